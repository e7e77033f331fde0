// The fwctl path through the host with the simulated CXL device, which applies
// the kernel's own rules: the host must pick the scope the kernel wants, refuse
// before sending when the session's grant is too low, and audit every call.
import type { Host } from '../../../electron/host/host';
import type { ClientInfo } from '../../../electron/host/router';
import { CXL_FEATURE_UUID, encodePatrolScrubWrite, encodePprWrite, encodeRpc, encodeGetFeatureIn } from '../../../electron/host/protocols/cxl';
import { testHost } from '../../support/test-host';

let host: Host;
let c: ClientInfo;
let sessionId: string;
const run = (commandId: string, scope: string, params: unknown) => host.handle({ id: 1, channel: 'command.run', params: { sessionId, commandId, scope, params } }, c);

beforeAll(async () => {
  host = await testHost({ demoBoards: 0, demoCxl: true, capSysRawio: () => true });
  c = host.newClient('test');
  sessionId = (await host.request('session.open', { deviceId: 'fwctl:sim-cxl0' }, c)).id;
});
afterAll(async () => host?.close());

describe('simulated CXL fwctl device through the host', () => {
  it('reads INFO and lists the features with the scope each Set needs', async () => {
    const info = await run('fwctl.info', 'configuration', {});
    expect(info).toMatchObject({ ok: true, result: { result: { deviceType: 2, driver: 'cxl', simulated: true } } });
    const r = await run('cxl.features.list', 'configuration', {});
    if (!r.ok) throw new Error(r.error.message);
    const features = (r.result as { result: { features: { uuid: string; title: string; setScope: string | null; current: { decoded?: { kind: string } } }[] } }).result.features;
    expect(features).toHaveLength(8);
    const scrub = features.find((f) => f.uuid === CXL_FEATURE_UUID.patrolScrub)!;
    expect(scrub.title).toBe('Device Patrol Scrub Control');
    expect(scrub.setScope).toBe('debug-write-full');
    expect(scrub.current.decoded?.kind).toBe('patrolScrub');
    expect(features.find((f) => f.uuid === CXL_FEATURE_UUID.hardPpr)!.setScope).toBe('debug-write');
  });

  it('refuses a Set below the scope the feature needs without sending it', async () => {
    await host.request('session.grant', { sessionId, scope: 'debug-write', confirm: { acknowledged: true } }, c);
    const r = await run('cxl.feature.set', 'debug-write', { uuid: CXL_FEATURE_UUID.patrolScrub, data: encodePatrolScrubWrite({ cycleHours: 24, enabled: true }) });
    expect(r).toMatchObject({ ok: false, error: { code: 'scope-too-low' } });
    const get = await run('cxl.feature.get', 'configuration', { uuid: CXL_FEATURE_UUID.patrolScrub });
    expect((get as { result: { result: { raw: string } } }).result.result.raw).toBe('030c0100');
  });

  it('sets a reset-time feature at debug-write and reads it back', async () => {
    const r = await run('cxl.feature.set', 'debug-write', { uuid: CXL_FEATURE_UUID.hardPpr, data: encodePprWrite({ deviceInitiatedEnabled: true, sparingEventRecordEnabled: true, deviceInitiatedAtBootEnabled: false }) });
    expect(r.ok).toBe(true);
  });

  it('sets an immediate feature at debug-write-full after the typed grant, value read back', async () => {
    const label = 'CXL memory device (simulated)';
    await host.request('session.grant', { sessionId, scope: 'debug-write-full', confirm: { acknowledged: true, typed: label } }, c);
    const r = await run('cxl.feature.set', 'debug-write-full', { uuid: CXL_FEATURE_UUID.patrolScrub, data: encodePatrolScrubWrite({ cycleHours: 24, enabled: true }) });
    if (!r.ok) throw new Error(r.error.message);
    expect((r.result as { result: { raw: string } }).result.raw).toBe('03180101');
  });

  it('refuses Set data of the wrong size with the size it needs', async () => {
    const r = await run('cxl.feature.set', 'debug-write-full', { uuid: CXL_FEATURE_UUID.patrolScrub, data: Uint8Array.of(1, 2, 3) });
    expect(r).toMatchObject({ ok: false, error: { code: 'invalid-params' } });
    if (!r.ok) expect(r.error.message).toMatch(/exactly 2 bytes/);
  });

  it('runs a raw RPC at the scope it names; a bad opcode comes back as the kernel error', async () => {
    const getFeature = encodeRpc({ opcode: 0x0501, payload: encodeGetFeatureIn({ uuid: CXL_FEATURE_UUID.patrolScrub, offset: 0, count: 4, selection: 'current' }) });
    const ok = await run('fwctl.rpc', 'debug-read-only', { rpcScope: 'debug-read-only', request: getFeature, outLen: 64 });
    expect(ok.ok).toBe(true);
    const bad = await run('fwctl.rpc', 'debug-read-only', { rpcScope: 'debug-read-only', request: encodeRpc({ opcode: 0x4200, payload: new Uint8Array(8) }), outLen: 64 });
    expect(bad).toMatchObject({ ok: false });
    if (!bad.ok) expect(bad.error.detail ?? '').toMatch(/EINVAL/);
  });

  it('refuses an RPC over 2 MiB before it reaches the device', async () => {
    const r = await run('fwctl.rpc', 'debug-read-only', { rpcScope: 'debug-read-only', request: new Uint8Array(2 * 1024 * 1024 + 1), outLen: 16 });
    expect(r).toMatchObject({ ok: false, error: { code: 'invalid-params' } });
  });

  it('asks for a grant for a raw RPC that may write', async () => {
    await host.request('session.drop-grant', { sessionId }, c);
    const r = await run('fwctl.rpc', 'configuration', { rpcScope: 'configuration', request: encodeRpc({ opcode: 0x0500, payload: new Uint8Array(8) }), outLen: 64 });
    expect(r).toMatchObject({ ok: false, error: { code: 'grant-required' } });
  });

  it('audited every call, granted or denied', () => {
    const recs = host.audit.query({ sessionId });
    const sets = recs.filter((r) => r.commandId === 'cxl.feature.set').reverse();
    expect(sets.map((r) => `${r.outcome}:${r.scope}`)).toEqual([
      'denied:debug-write', // patrol scrub asked at debug-write
      'started:debug-write', // hPPR
      'ok:debug-write',
      'started:debug-write-full', // patrol scrub
      'ok:debug-write-full',
      'started:debug-write-full', // wrong size, refused by the handler
      'error:debug-write-full',
    ]);
    expect(host.audit.verify().ok).toBe(true);
  });
});
