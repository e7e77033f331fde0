import { HostError } from '../../../electron/host/errors/host-error';
import type { SmpClient } from '../../../electron/host/protocols/smp';
import { planSmpStatsPoll, smpReadTimeoutMs, smpStatsReader } from '../../../electron/host/telemetry-sources/smp-stats-reader';

/** Just the two stats calls, answering from a table; "broken" fails like a device error. */
function fakeClient(groups: Record<string, Record<string, number>>, seen: { group: string; timeoutMs?: number }[] = []): () => SmpClient {
  const c = {
    statsList: async () => Object.keys(groups),
    statsRead: async (group: string, opts?: { timeoutMs?: number }) => {
      seen.push({ group, timeoutMs: opts?.timeoutMs });
      if (group === 'broken') throw new HostError('device-error', 'The device refused the stats read.');
      return groups[group];
    },
  };
  return () => c as unknown as SmpClient;
}

const signal = new AbortController().signal;

describe('SMP stats reader', () => {
  it('names channels group.counter and passes its timeout', async () => {
    const seen: { group: string; timeoutMs?: number }[] = [];
    const r = await smpStatsReader(fakeClient({ system: { uptime_s: 5, boots: 2 }, telemetry: { samples_sent: 100 } }, seen), ['system', 'telemetry'], 1234).read(signal, () => {});
    expect(r).toEqual([
      { channel: 'system.uptime_s', unit: '', value: 5 },
      { channel: 'system.boots', unit: '', value: 2 },
      { channel: 'telemetry.samples_sent', unit: '', value: 100 },
    ]);
    expect(seen.map((s) => s.timeoutMs)).toEqual([1234, 1234]);
  });

  it('reports a failing group and keeps the others; throws when every group fails', async () => {
    const problems: string[] = [];
    const client = fakeClient({ system: { uptime_s: 1 }, broken: {} });
    expect(await smpStatsReader(client, ['broken', 'system'], 1000).read(signal, (p) => problems.push(p))).toHaveLength(1);
    expect(problems).toEqual(['stats group "broken": The device refused the stats read.']);
    await expect(smpStatsReader(client, ['broken'], 1000).read(signal, () => {})).rejects.toMatchObject({ code: 'device-error' });
  });

  it('keeps the read timeout between 1 s and 5 s', () => {
    expect(smpReadTimeoutMs(100)).toBe(1000);
    expect(smpReadTimeoutMs(1000)).toBe(2000);
    expect(smpReadTimeoutMs(60_000)).toBe(5000);
  });
});

describe('planSmpStatsPoll', () => {
  const client = fakeClient({ system: { uptime_s: 1 }, net: { rx: 3 } });

  it('defaults to every listed group', async () => {
    const plan = await planSmpStatsPoll(client, { on: true }, signal, 1000);
    expect((await plan.reader.read(signal, () => {})).map((r) => r.channel)).toEqual(['system.uptime_s', 'net.rx']);
  });

  it('refuses unknown groups (naming what the device lists), CXL parameters and devices without stats', async () => {
    await expect(planSmpStatsPoll(client, { on: true, groups: ['system', 'nope'] }, signal, 1000)).rejects.toMatchObject({ code: 'invalid-params', message: 'The device has no stats group "nope". It lists: system, net.' });
    await expect(planSmpStatsPoll(client, { on: true, features: ['patrolScrub'] }, signal, 1000)).rejects.toMatchObject({ code: 'invalid-params' });
    await expect(planSmpStatsPoll(client, { on: true, source: 'cxl-features' }, signal, 1000)).rejects.toMatchObject({ code: 'not-supported' });
    await expect(planSmpStatsPoll(fakeClient({}), { on: true }, signal, 1000)).rejects.toMatchObject({ code: 'not-supported' });
  });
});
