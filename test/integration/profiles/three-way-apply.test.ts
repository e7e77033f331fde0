// Profiles against the demo board through the host's channels: save (which
// snapshots), drift on the device, a three-way diff checked key by key, a dry
// run that returns exactly the config.write params, and an apply that sends
// only those keys and journals before/after for each.
import type { Host } from '../../../electron/host/host';
import type { ClientInfo } from '../../../electron/host/router';
import type { ConfigProfile } from '../../../electron/contract/recipes';
import { testHost } from '../../support/test-host';

const DEMO = 'demo:DEMO-1001';
let host: Host;
let c: ClientInfo;
let sessionId: string;
beforeAll(async () => {
  host = await testHost({ demoBoards: 1 });
  c = host.newClient('test');
  sessionId = (await host.request('session.open', { deviceId: DEMO }, c)).id;
});
afterAll(async () => host?.close());

const write = (changes: Record<string, unknown>) => host.request('command.run', { sessionId, commandId: 'config.write', scope: 'configuration', params: { changes } }, c);

describe('config profiles through the host', () => {
  let saved: ConfigProfile;

  it('saves a profile of the live settings without read-only ones, and snapshots them', async () => {
    saved = await host.request('profile.capture', { sessionId, name: 'golden' }, c);
    expect(saved).toMatchObject({ 'fwbench-profile': 1, name: 'golden', device: { kind: 'serial', protocol: 'demo-board' }, source: { deviceId: DEMO } });
    expect(saved.values).toEqual({ sample_rate_hz: 200, fan_mode: 'auto', vcore_mv: 850, alarm_temp_c: 85, led: true, hostname: 'demo-board' });
  });

  it('diffs live, snapshot and profile key by key', async () => {
    await host.request('session.grant', { sessionId, scope: 'configuration', confirm: { acknowledged: true } }, c);
    await write({ led: false, vcore_mv: 900 }); // drift on the bench since the snapshot
    const profile = { ...saved, values: { ...saved.values, fan_mode: 'quiet', vcore_mv: 900, no_such_key: 1 } };
    const diff = await host.request('profile.diff', { sessionId, profile }, c);
    const row = (k: string) => diff.rows.find((r) => r.key === k);
    expect(diff.snapshotAt).not.toBeNull();
    expect(row('fan_mode')).toMatchObject({ live: 'auto', snapshot: 'auto', profile: 'quiet', status: 'differs-from-profile', changedSinceSnapshot: false });
    // Agrees with the profile, but someone changed it after the snapshot: that is what it shows.
    expect(row('vcore_mv')).toMatchObject({ live: 900, snapshot: 850, profile: 900, status: 'changed-since-snapshot', changedSinceSnapshot: true });
    expect(row('led')).toMatchObject({ live: false, snapshot: true, profile: true, status: 'differs-from-profile', changedSinceSnapshot: true });
    expect(row('no_such_key')).toMatchObject({ profile: 1, status: 'missing' });
    expect(row('no_such_key')?.live).toBeUndefined();
    expect(row('hostname')).toMatchObject({ status: 'same', changedSinceSnapshot: false });
    expect(row('serial_number')).toMatchObject({ live: 'DEMO-1001', readOnly: true, status: 'same' });
    expect(diff.counts).toEqual({ same: 4, 'differs-from-profile': 2, 'changed-since-snapshot': 1, missing: 1 });

    // Without the profile's disagreement a drifted key shows as changed since the snapshot.
    const diff2 = await host.request('profile.diff', { sessionId, profile: saved }, c);
    expect(diff2.rows.find((r) => r.key === 'vcore_mv')).toMatchObject({ status: 'differs-from-profile' });
    const noVcore = { ...saved, values: { ...saved.values } } as ConfigProfile;
    delete (noVcore.values as Record<string, unknown>).vcore_mv;
    const diff3 = await host.request('profile.diff', { sessionId, profile: noVcore }, c);
    expect(diff3.rows.find((r) => r.key === 'vcore_mv')).toMatchObject({ status: 'changed-since-snapshot', live: 900, snapshot: 850 });
  });

  it('dry-runs to the exact config.write params and changes nothing', async () => {
    const profile = { ...saved, values: { ...saved.values, fan_mode: 'full', hostname: 'bench-9' } };
    const before = host.audit.query({ commandId: 'config.write' }).length;
    const r = await host.request('profile.apply', { sessionId, profile, dryRun: true, save: true }, c);
    // vcore_mv (900 -> 850) and led (false -> true) drifted; fan_mode and hostname differ by the profile.
    expect(r.writeParams).toEqual({ changes: { fan_mode: 'full', vcore_mv: 850, led: true, hostname: 'bench-9' }, save: true });
    expect(r.changes).toEqual([
      { key: 'fan_mode', before: 'auto', after: 'full' },
      { key: 'vcore_mv', before: 900, after: 850 },
      { key: 'led', before: false, after: true },
      { key: 'hostname', before: 'demo-board', after: 'bench-9' },
    ]);
    expect(r.journal).toBeUndefined();
    expect(host.audit.query({ commandId: 'config.write' }).length).toBe(before);
    expect(await host.request('profile.history', { deviceId: DEMO }, c)).toEqual([]);
  });

  it('applies only the differing keys, reads back, and journals before/after of each', async () => {
    await write({ led: true, vcore_mv: 850 }); // back in line except for the two profile keys
    const profile = { ...saved, values: { ...saved.values, fan_mode: 'full', hostname: 'bench-9', serial_number: 'X-1' } };
    const r = await host.request('profile.apply', { sessionId, profile, dryRun: false }, c);
    expect(r.writeParams).toEqual({ changes: { fan_mode: 'full', hostname: 'bench-9' } });
    expect(r.skipped).toEqual([{ key: 'serial_number', reason: 'read-only on the device' }]);
    const live = (await host.request('command.run', { sessionId, commandId: 'config.read', scope: 'configuration', params: {} }, c)).result as { entries: { key: string; value: unknown }[] };
    const values = Object.fromEntries(live.entries.map((e) => [e.key, e.value]));
    expect(values).toMatchObject({ fan_mode: 'full', hostname: 'bench-9', vcore_mv: 850, led: true, serial_number: 'DEMO-1001' });
    const history = await host.request('profile.history', { deviceId: DEMO }, c);
    expect(history).toHaveLength(1);
    expect(history[0]).toMatchObject({ deviceId: DEMO, source: 'profile golden', saved: false, client: expect.stringContaining('test:') });
    expect(history[0].changes).toEqual([
      { key: 'fan_mode', before: 'auto', after: 'full' },
      { key: 'hostname', before: 'demo-board', after: 'bench-9' },
    ]);
    // The snapshot now holds the applied state: nothing changed since it.
    const diff = await host.request('profile.diff', { sessionId, profile }, c);
    expect(diff.counts['changed-since-snapshot']).toBe(0);
    expect(diff.rows.filter((x) => x.changedSinceSnapshot)).toEqual([]);
    // Applying again sends nothing.
    const again = await host.request('profile.apply', { sessionId, profile, dryRun: false }, c);
    expect(again.writeParams).toBeNull();
    expect(await host.request('profile.history', { deviceId: DEMO }, c)).toHaveLength(1);
  });

  it('refuses malformed profiles and profiles for another kind of device with clear messages', async () => {
    await expect(host.request('profile.diff', { sessionId, profile: { name: 'x' } }, c)).rejects.toMatchObject({ code: 'bad-request', message: expect.stringContaining('no "fwbench-profile" version') });
    await expect(host.request('profile.diff', { sessionId, profile: { ...saved, 'fwbench-profile': 2 } }, c)).rejects.toMatchObject({ message: expect.stringContaining('format version 2') });
    await expect(host.request('profile.diff', { sessionId, profile: { ...saved, values: { led: [1] } } }, c)).rejects.toMatchObject({ message: expect.stringContaining('values.led') });
    await expect(host.request('profile.apply', { sessionId, profile: { ...saved, device: { kind: 'serial', protocol: 'uboot' } }, dryRun: true }, c)).rejects.toMatchObject({ message: expect.stringContaining('is for uboot devices') });
  });

  it('refuses to apply without a grant', async () => {
    await host.request('session.drop-grant', { sessionId }, c);
    const profile = { ...saved, values: { ...saved.values, led: false } };
    await expect(host.request('profile.apply', { sessionId, profile, dryRun: false }, c)).rejects.toMatchObject({ code: 'grant-required' });
    expect(await host.request('profile.history', { deviceId: DEMO }, c)).toHaveLength(1);
  });
});
