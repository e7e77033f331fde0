import { decodeFeatureData, encodeEcsRead, encodePatrolScrubRead, CXL_FEATURE_UUID, type CxlFeatureInfo, type CxlFwctlClient } from '../../../electron/host/protocols/cxl';
import { featureReadings } from '../../../electron/host/telemetry-sources/cxl-feature-fields';
import { planCxlFeaturePoll } from '../../../electron/host/telemetry-sources/cxl-feature-reader';

describe('CXL feature fields as readings', () => {
  it('turns patrol scrub into hours and 0/1 flags, leaving out the raw register bytes', () => {
    const bytes = encodePatrolScrubRead({ cycleChangeable: true, realtimeReportCapable: false, cycleHours: 12, minCycleHours: 1, enabled: true });
    const r = featureReadings(decodeFeatureData(CXL_FEATURE_UUID.patrolScrub, bytes));
    expect(r).toEqual([
      { channel: 'patrolScrub.cycleChangeable', unit: '', value: 1 },
      { channel: 'patrolScrub.realtimeReportCapable', unit: '', value: 0 },
      { channel: 'patrolScrub.cycleHours', unit: 'h', value: 12 },
      { channel: 'patrolScrub.minCycleHours', unit: 'h', value: 1 },
      { channel: 'patrolScrub.enabled', unit: '', value: 1 },
    ]);
  });

  it('indexes ECS media FRUs and skips text fields', () => {
    const bytes = encodeEcsRead({
      logEntryType: 'per-dram',
      frus: [
        { threshold: 256, thresholdIndex: 3, countMode: 'rows', resetCounter: false, realtimeReportCapable: true },
        { threshold: 4096, thresholdIndex: 5, countMode: 'codewords', resetCounter: false, realtimeReportCapable: false },
      ],
    });
    const r = Object.fromEntries(featureReadings(decodeFeatureData(CXL_FEATURE_UUID.ddr5Ecs, bytes)).map((x) => [x.channel, x.value]));
    expect(r['ddr5Ecs.frus.0.threshold']).toBe(256);
    expect(r['ddr5Ecs.frus.1.threshold']).toBe(4096);
    expect(r['ddr5Ecs.frus.1.thresholdIndex']).toBe(5);
    expect(r['ddr5Ecs.frus.0.realtimeReportCapable']).toBe(1);
    expect(Object.keys(r).some((k) => /logEntryType|countMode|\.config$|capabilities/.test(k))).toBe(false);
  });

  it('gives nothing for an unknown feature', () => {
    expect(featureReadings(decodeFeatureData('00000000-0000-0000-0000-000000000001', Uint8Array.of(1, 2)))).toEqual([]);
  });
});

describe('planCxlFeaturePoll', () => {
  const feat = (uuid: string, getSize = 4): CxlFeatureInfo => ({ uuid, index: 0, getSize, setSize: 2, flags: 0, attributes: {} as never, getVersion: 1, setVersion: 1, effects: 0, effectNames: [] });
  const client = {} as CxlFwctlClient;
  const supported = [feat(CXL_FEATURE_UUID.patrolScrub), feat('11111111-2222-3333-4444-555555555555'), feat(CXL_FEATURE_UUID.softPpr, 0)];

  it('defaults to the decodable, readable features', () => {
    expect(planCxlFeaturePoll(client, supported, { on: true }).source).toBe('cxl-features');
  });

  it('refuses bad names, unlisted or undecodable features, SMP parameters and an empty table', () => {
    expect(() => planCxlFeaturePoll(client, supported, { on: true, features: ['warp'] })).toThrow(expect.objectContaining({ code: 'invalid-params', message: expect.stringMatching(/neither a CXL feature name/) }));
    expect(() => planCxlFeaturePoll(client, supported, { on: true, features: ['ddr5Ecs'] })).toThrow(expect.objectContaining({ code: 'not-supported', message: expect.stringMatching(/does not list the feature "ddr5Ecs"/) }));
    expect(() => planCxlFeaturePoll(client, supported, { on: true, features: ['11111111-2222-3333-4444-555555555555'] })).toThrow(expect.objectContaining({ code: 'not-supported', message: expect.stringMatching(/cannot turn/) }));
    expect(() => planCxlFeaturePoll(client, supported, { on: true, features: ['softPpr'] })).toThrow(expect.objectContaining({ code: 'not-supported' }));
    expect(() => planCxlFeaturePoll(client, supported, { on: true, groups: ['system'] })).toThrow(expect.objectContaining({ code: 'invalid-params' }));
    expect(() => planCxlFeaturePoll(client, supported, { on: true, source: 'smp-stats' })).toThrow(expect.objectContaining({ code: 'not-supported' }));
    expect(() => planCxlFeaturePoll(client, [supported[1]], { on: true })).toThrow(expect.objectContaining({ code: 'not-supported', message: expect.stringMatching(/no CXL feature/) }));
  });
});
