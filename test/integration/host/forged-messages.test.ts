// A compromised renderer sends whatever it likes straight to the host. The
// host must refuse everything above the session's grant, whatever the message
// claims, and audit the refusals.
import type { Host } from '../../../electron/host/host';
import type { ClientInfo } from '../../../electron/host/router';
import { testHost } from '../../support/test-host';

let host: Host;
let renderer: ClientInfo;
let sessionId: string;
const DEMO = 'demo:DEMO-1001';

beforeAll(async () => {
  host = await testHost({ demoBoards: 1, capSysRawio: () => false });
  renderer = host.newClient('test');
  sessionId = (await host.request('session.open', { deviceId: DEMO }, renderer)).id;
});
afterAll(async () => host?.close());

const send = (msg: unknown, client = renderer) => host.handle(msg, client);

describe('forged messages straight to the host', () => {
  it('rejects a message that is not an envelope', async () => {
    for (const bad of [null, 42, 'x', [], { id: 'one', channel: 'devices.list', params: {} }, { id: 1, channel: 'devices.list', params: {}, extra: 1 }]) {
      const r = await send(bad);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error.code).toBe('bad-request');
    }
  });

  it('rejects unknown channels', async () => {
    const r = await send({ id: 7, channel: 'host.exec', params: { cmd: 'rm -rf /' } });
    expect(r).toMatchObject({ id: 7, ok: false, error: { code: 'unknown-channel' } });
  });

  it('rejects extra fields, such as a claimed grant', async () => {
    const r = await send({ id: 8, channel: 'command.run', params: { sessionId, commandId: 'config.write', scope: 'configuration', params: { changes: { led: false } }, grant: 'debug-write-full' } });
    expect(r).toMatchObject({ ok: false, error: { code: 'bad-request' } });
  });

  it('refuses a write at the default (read-only) grant, and the board is unchanged', async () => {
    const r = await send({ id: 9, channel: 'command.run', params: { sessionId, commandId: 'config.write', scope: 'configuration', params: { changes: { vcore_mv: 990 } } } });
    expect(r).toMatchObject({ ok: false, error: { code: 'grant-required' } });
    const cfg = (await host.request('command.run', { sessionId, commandId: 'config.read', scope: 'configuration', params: {} }, renderer)).result as { entries: { key: string; value: unknown }[] };
    expect(cfg.entries.find((e) => e.key === 'vcore_mv')?.value).toBe(850);
  });

  it('refuses a command asked at a lower scope than it declares', async () => {
    const r = await send({ id: 10, channel: 'command.run', params: { sessionId, commandId: 'console.write', scope: 'configuration', params: { data: 'reboot\r' } } });
    expect(r).toMatchObject({ ok: false, error: { code: 'scope-too-low' } });
  });

  it('refuses raw console input with only a configuration grant', async () => {
    await host.request('session.grant', { sessionId, scope: 'configuration', confirm: { acknowledged: true } }, renderer);
    const r = await send({ id: 11, channel: 'command.run', params: { sessionId, commandId: 'console.write', scope: 'debug-write', params: { data: 'reboot\r' } } });
    expect(r).toMatchObject({ ok: false, error: { code: 'grant-required' } });
  });

  it('refuses debug-write-full without CAP_SYS_RAWIO, even with the confirmation typed', async () => {
    const r = await send({ id: 12, channel: 'session.grant', params: { sessionId, scope: 'debug-write-full', confirm: { acknowledged: true, typed: 'Demo board 1 (simulated)' } } });
    expect(r).toMatchObject({ ok: false, error: { code: 'capability-missing' } });
  });

  it('refuses invalid command params with the reason', async () => {
    const r = await send({ id: 13, channel: 'command.run', params: { sessionId, commandId: 'config.write', scope: 'configuration', params: { changes: {} } } });
    expect(r).toMatchObject({ ok: false, error: { code: 'invalid-params' } });
  });

  it('refuses unknown commands and sessions of another client', async () => {
    expect(await send({ id: 14, channel: 'command.run', params: { sessionId, commandId: 'flash.erase_all', scope: 'debug-write-full', params: {} } })).toMatchObject({ ok: false, error: { code: 'unknown-command' } });
    const other = host.newClient('test');
    expect(await send({ id: 15, channel: 'command.run', params: { sessionId, commandId: 'config.read', scope: 'configuration', params: {} } }, other)).toMatchObject({ ok: false, error: { code: 'unknown-session' } });
    expect(await send({ id: 16, channel: 'session.open', params: { deviceId: DEMO } }, other)).toMatchObject({ ok: false, error: { code: 'device-busy' } });
  });

  it('audits every refusal with the command and the reason', async () => {
    const denied = host.audit.query({ outcome: 'denied', sessionId });
    const codes = denied.map((r) => r.code);
    expect(codes).toEqual(expect.arrayContaining(['grant-required', 'scope-too-low', 'invalid-params', 'unknown-command', 'bad-request', 'capability-missing']));
    expect(host.audit.verify().ok).toBe(true);
  });

  it('accepts the write once granted, and audits intent before the outcome', async () => {
    const r = await host.request('command.run', { sessionId, commandId: 'config.write', scope: 'configuration', params: { changes: { vcore_mv: 900, fan_mode: 'quiet' } } }, renderer);
    expect((r.result as { applied: unknown[] }).applied).toHaveLength(2);
    const recs = host.audit.query({ sessionId, commandId: 'config.write' }).reverse();
    const okIdx = recs.findIndex((x) => x.outcome === 'ok');
    expect(recs[okIdx - 1].outcome).toBe('started');
    expect(recs[okIdx].durationMs).toBeGreaterThanOrEqual(0);
  });

  it('a dropped grant no longer covers writes', async () => {
    await host.request('session.drop-grant', { sessionId }, renderer);
    const r = await send({ id: 17, channel: 'command.run', params: { sessionId, commandId: 'device.reset', scope: 'configuration', params: {} } });
    expect(r).toMatchObject({ ok: false, error: { code: 'grant-required' } });
  });
});

describe('jobs of another client', () => {
  it('cannot be cancelled by a client that does not own the session', async () => {
    await host.request('session.grant', { sessionId, scope: 'configuration', confirm: { acknowledged: true } }, renderer);
    const { buildMcubootImage } = await import('../../support/mcuboot-image');
    const r = await host.request('command.run', { sessionId, commandId: 'firmware.upload', scope: 'configuration', params: { name: 'a.bin', data: buildMcubootImage({ version: [9, 0, 0, 0], bodySize: 64 * 1024 }) } }, renderer);
    const intruder = host.newClient('test');
    await expect(host.request('job.cancel', { jobId: r.jobId! }, intruder)).rejects.toMatchObject({ code: 'unknown-session' });
    const mine = await host.request('job.cancel', { jobId: r.jobId! }, renderer);
    expect(mine.id).toBe(r.jobId);
  });
});
