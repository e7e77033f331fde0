// Each interlock blocks a write and says why and how to fix it; an override
// works only for what the lab policy lists, once, and lands in the audit.
import { mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { testHost } from '../../support/test-host';
import { buildMcubootImage } from '../../support/mcuboot-image';
import { LabPolicySchema } from '../../../electron/host/policy/lab-policy';
import { PreflightEngine } from '../../../electron/host/preflight/preflight-engine';
import { SupplyWatch } from '../../../electron/host/preflight/supply-watch';
import { compareVersions } from '../../../electron/host/preflight/version-order';
import type { Host } from '../../../electron/host/host';
import type { ClientInfo } from '../../../electron/host/router';
import type { Session, SessionManager } from '../../../electron/host/sessions/session-manager';
import type { DeviceRegistry } from '../../../electron/host/devices/registry';

let host: Host;
let c: ClientInfo;
let sessionId: string;

async function start(policy: Record<string, unknown> = {}) {
  host = await testHost({ demoCxl: false, policy: LabPolicySchema.parse(policy) });
  c = host.newClient('test');
  const dev = (await host.request('devices.list', {}, c))[0];
  sessionId = (await host.request('session.open', { deviceId: dev.id }, c)).id;
  await host.request('session.grant', { sessionId, scope: 'configuration', confirm: { acknowledged: true } }, c);
}
afterEach(async () => {
  await host?.close();
});

const run = (commandId: string, params: unknown, scope = 'configuration') => host.handle({ id: 1, channel: 'command.run', params: { sessionId, commandId, scope, params } }, c);
const blockedIds = (r: Awaited<ReturnType<typeof run>>) => {
  if (r.ok) throw new Error('expected the command to be blocked');
  expect(r.error.code).toBe('preflight-blocked');
  return (JSON.parse(r.error.detail ?? '[]') as { id: string }[]).map((p) => p.id);
};
const setHostname = (name: string) => run('config.write', { changes: { hostname: name } });

describe('preflight interlocks through the host', () => {
  it('reports a device owned by another client as port-owned', async () => {
    await start();
    const other = host.newClient('test');
    const dev = (await host.request('devices.list', {}, other))[0];
    const report = await host.request('preflight.check', { deviceId: dev.id }, other);
    expect(report.problems).toHaveLength(1);
    expect(report.problems[0]).toMatchObject({ id: 'port-owned', overridable: false });
    expect(report.problems[0].reason).toMatch(/open in another session/);
    expect(report.problems[0].fix).toMatch(/Close the session/);
    expect((await host.request('preflight.check', { sessionId }, c)).problems).toEqual([]);
  });

  it('blocks a firmware image whose hash does not match, one without an MCUboot hash, and a downgrade', async () => {
    await start();
    const good = buildMcubootImage({ version: [9, 0, 0, 0], bodySize: 1024 });
    const corrupt = good.slice();
    corrupt[100] ^= 0xff;
    expect(blockedIds(await run('firmware.upload', { name: 'corrupt.bin', data: corrupt }))).toEqual(['image-hash-mismatch']);
    expect(blockedIds(await run('firmware.upload', { name: 'raw.bin', data: new Uint8Array(2048).fill(7) }))).toEqual(['image-unverified']);
    const old = buildMcubootImage({ version: [0, 9, 0, 0], bodySize: 1024 });
    const r = await run('firmware.upload', { name: 'old.bin', data: old });
    expect(blockedIds(r)).toEqual(['downgrade']);
    expect(!r.ok && r.error.message).toMatch(/older than the running 1\.0\.0\+0/);
    // The check shows the same before the click.
    const report = await host.request('preflight.check', { sessionId, commandId: 'firmware.upload', params: { name: 'old.bin', data: old } }, c);
    expect(report.problems.map((p) => p.id)).toEqual(['downgrade']);
    // And nothing reached the device: the journal shows the denial, not a start.
    const recs = host.audit.query({ sessionId, commandId: 'firmware.upload' });
    expect(recs.every((x) => x.outcome === 'denied' && x.code === 'preflight-blocked')).toBe(true);
  });

  it('blocks while a supply channel in live telemetry is below the policy minimum', async () => {
    await start({ minSupplyVolts: 13, supplyWindowSeconds: 30 });
    expect((await setHostname('before-telemetry')).ok).toBe(true);
    await new Promise<void>((resolve) => {
      const off = host.onEvent((e) => {
        if (e.type === 'telemetry' && e.channels.some((ch) => ch.name === 'vin')) {
          off();
          resolve();
        }
      });
      void run('telemetry.stream', { on: true }, 'debug-read-only');
    });
    const r = await setHostname('during-brownout');
    expect(blockedIds(r)).toEqual(['low-supply']);
    expect(!r.ok && r.error.message).toMatch(/vin read 1[12]\.\d\d V .* below the lab's minimum of 13 V/);
    await run('telemetry.stream', { on: false }, 'debug-read-only');
  });

  it('needs a config backup newer than the policy allows before a config write', async () => {
    await start({ maxBackupAgeMinutes: 30 });
    expect(blockedIds(await setHostname('x1'))).toEqual(['no-config-backup']);
    const dir = join(host.paths.state, 'backups', 'demo_DEMO-1001');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, 'env-old.txt');
    writeFileSync(file, 'hostname=demo-board\n');
    const hourAgo = (Date.now() - 60 * 60_000) / 1000;
    utimesSync(file, hourAgo, hourAgo);
    const stale = await setHostname('x2');
    expect(blockedIds(stale)).toEqual(['no-config-backup']);
    expect(!stale.ok && stale.error.message).toMatch(/60 minutes old/);
    writeFileSync(join(dir, 'env-new.txt'), 'hostname=demo-board\n');
    expect((await setHostname('x3')).ok).toBe(true);
    // Reads are never blocked.
    expect((await run('config.read', {})).ok).toBe(true);
  });

  it('lets an operator override only what the policy lists, once, and audits the override', async () => {
    await start({ maxBackupAgeMinutes: 30, overridable: ['downgrade'] });
    const refused = await host.handle({ id: 2, channel: 'preflight.override', params: { sessionId, problemIds: ['no-config-backup'], reason: 'bench test' } }, c);
    expect(refused).toMatchObject({ ok: false, error: { code: 'scope-denied-by-policy' } });
    expect(blockedIds(await setHostname('y1'))).toEqual(['no-config-backup']);
    const denials = host.audit.query({ sessionId, kind: 'grant' }).filter((r) => r.outcome === 'denied');
    expect(denials[0].detail).toMatchObject({ preflightOverride: ['no-config-backup'], reason: 'bench test' });
  });

  it('runs a write with an allowed override, records the overridden ids, and blocks the next write again', async () => {
    await start({ maxBackupAgeMinutes: 30, overridable: ['no-config-backup'] });
    const armed = await host.request('preflight.override', { sessionId, problemIds: ['no-config-backup'], reason: 'fresh board, nothing to lose' }, c);
    expect(armed.armed).toEqual(['no-config-backup']);
    expect((await host.request('preflight.check', { sessionId }, c)).armedOverride).toEqual(['no-config-backup']);
    expect((await setHostname('z1')).ok).toBe(true);
    const started = host.audit.query({ sessionId, commandId: 'config.write' }).find((r) => r.outcome === 'started');
    expect(started?.detail).toEqual({ overriddenProblems: ['no-config-backup'] });
    const grant = host.audit.query({ sessionId, kind: 'grant' }).find((r) => r.detail?.preflightOverride);
    expect(grant?.detail).toMatchObject({ reason: 'fresh board, nothing to lose' });
    expect(blockedIds(await setHostname('z2'))).toEqual(['no-config-backup']);
    expect(host.audit.verify().ok).toBe(true);
  });

  it('rejects malformed preflight requests', async () => {
    await start();
    expect(await host.handle({ id: 3, channel: 'preflight.check', params: {} }, c)).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    expect(await host.handle({ id: 3, channel: 'preflight.check', params: { sessionId, deviceId: 'x' } }, c)).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    expect(await host.handle({ id: 4, channel: 'preflight.override', params: { sessionId, problemIds: [], reason: 'why' } }, c)).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    expect(await host.handle({ id: 5, channel: 'preflight.override', params: { sessionId, problemIds: ['downgrade'], reason: '' } }, c)).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    expect(await host.handle({ id: 6, channel: 'preflight.check', params: { sessionId, commandId: 'no.such' } }, c)).toMatchObject({ ok: false, error: { code: 'unknown-command' } });
    const stranger = host.newClient('test');
    expect(await host.handle({ id: 7, channel: 'preflight.override', params: { sessionId, problemIds: ['downgrade'], reason: 'not mine' } }, stranger)).toMatchObject({ ok: false, error: { code: 'unknown-session' } });
  });
});

describe('preflight engine interlocks that need a particular host', () => {
  function engine(facts: { capSysRawio: boolean; lockdown: string }, adapter: object | null, device: Record<string, unknown>) {
    const session = {
      info: { id: 's1', deviceId: 'd1', deviceLabel: 'Dev', identity: {}, state: 'open' },
      owner: 'c1',
      adapter,
      entry: { device: { id: 'd1', label: 'Dev', kind: 'fwctl', simulated: false, protocol: 'cxl', present: true, details: {}, ...device } },
    } as unknown as Session;
    const sessions = { list: () => [], get: () => session } as unknown as SessionManager;
    const e = new PreflightEngine({ sessions, registry: {} as DeviceRegistry, policy: () => LabPolicySchema.parse({}), facts: () => facts, stateDir: '/nonexistent', supply: new SupplyWatch() });
    return { e, session };
  }

  it('blocks debug-write-full under kernel lockdown and without CAP_SYS_RAWIO', async () => {
    const { e, session } = engine({ capSysRawio: false, lockdown: 'integrity' }, null, {});
    const ids = (await e.problems(session, { effects: ['changes-config-now'], scope: 'debug-write-full' })).map((p) => p.id);
    expect(ids).toEqual(['missing-cap-sys-rawio', 'kernel-lockdown']);
    const ok = engine({ capSysRawio: true, lockdown: 'none' }, null, {});
    expect(await ok.e.problems(ok.session, { effects: ['changes-config-now'], scope: 'debug-write-full' })).toEqual([]);
    // Lockdown does not matter below debug-write-full.
    const lower = engine({ capSysRawio: false, lockdown: 'confidentiality' }, null, {});
    expect(await lower.e.problems(lower.session, { effects: ['changes-config-now'], scope: 'debug-write' })).toEqual([]);
  });

  it('blocks a flash write while the adapter reports an image waiting for confirmation', async () => {
    let pending = true;
    const adapter = { protocol: 'smp', commands: () => [], identity: () => ({}), close: async () => {}, pendingConfirmation: async () => pending };
    const { e, session } = engine({ capSysRawio: true, lockdown: 'none' }, adapter, { kind: 'serial', protocol: 'smp' });
    const ps = await e.problems(session, { effects: ['writes-flash'], scope: 'configuration' });
    expect(ps.map((p) => p.id)).toEqual(['image-pending-confirmation']);
    expect(ps[0].fix).toMatch(/Confirm the running image/);
    pending = false;
    expect(await e.problems(session, { effects: ['writes-flash'], scope: 'configuration' })).toEqual([]);
    // A config change is not a flash write.
    pending = true;
    expect(await e.problems(session, { effects: ['changes-config-now'], scope: 'configuration' })).toEqual([]);
  });

  it('compares firmware versions by their numbers', () => {
    expect(compareVersions('0.9.0+0', '1.0.0+0')).toBeLessThan(0);
    expect(compareVersions('1.0.0+1', '1.0.0+0')).toBeGreaterThan(0);
    expect(compareVersions('U-Boot 2023.01', '2023.01')).toBe(0);
    expect(compareVersions('unknown', '1.0')).toBeNull();
  });
});
