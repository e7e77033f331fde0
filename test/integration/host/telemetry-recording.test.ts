// Telemetry from the demo board over a real pty, recorded by the session while
// it streams, then reopened by name with no device.
import type { Host } from '../../../electron/host/host';
import type { ClientInfo } from '../../../electron/host/router';
import { testHost } from '../../support/test-host';

let host: Host;
let c: ClientInfo;
let sessionId: string;
const run = async (commandId: string, scope: string, params: unknown) => (await host.request('command.run', { sessionId, commandId, scope: scope as never, params }, c)).result as Record<string, unknown>;

beforeAll(async () => {
  host = await testHost({ demoBoards: 1, demoTransport: 'pty' });
  c = host.newClient('test');
  sessionId = (await host.request('session.open', { deviceId: 'demo:DEMO-1001' }, c)).id;
});
afterAll(async () => host?.close());

describe('telemetry recording', () => {
  it('records every sample the session streamed, with markers, and reopens it offline', async () => {
    let counting = false;
    let sent = 0;
    const off = host.onEvent((e) => {
      if (e.type === 'telemetry' && counting) sent += e.t.length * e.channels.length;
    });
    await run('telemetry.stream', 'debug-read-only', { on: true });
    await new Promise((r) => setTimeout(r, 300));
    const started = await run('telemetry.record', 'debug-read-only', { on: true, formats: ['fwtl', 'csv'] });
    counting = true;
    expect(started.recording).toBe(true);
    await new Promise((r) => setTimeout(r, 1200));
    await run('telemetry.mark', 'debug-read-only', { text: 'fan unplugged' });
    await new Promise((r) => setTimeout(r, 600));
    counting = false;
    const summary = await run('telemetry.record', 'debug-read-only', { on: false });
    off();
    expect(sent).toBeGreaterThan(6 * 200); // 6 channels at 200 Hz for ~1.8 s
    expect(summary.samples).toBe(sent);

    const list = await host.request('recordings.list', {}, c);
    expect(list).toHaveLength(1);
    const view = await host.request('recording.read', { name: list[0].name, buckets: 100 }, c);
    expect(view.channels.map((ch) => ch.name)).toEqual(['temp_cpu', 'temp_board', 'vin', 'v3v3', 'vcore', 'iin']);
    expect(view.channels.reduce((n, ch) => n + ch.samples, 0)).toBe(sent);
    expect(view.markers.map((m) => m.text)).toEqual(['fan unplugged']);
    expect(view.tornBytes).toBe(0);
    const vin = view.channels.find((ch) => ch.name === 'vin')!;
    const mins = [...vin.min].filter((x) => !Number.isNaN(x));
    expect(Math.min(...mins)).toBeGreaterThan(11.5);
    expect(Math.max(...[...vin.max].filter((x) => !Number.isNaN(x)))).toBeLessThan(12.5);
  });

  it('refuses names that are not recordings in its folder', async () => {
    await expect(host.request('recording.read', { name: '../../etc/passwd' }, c)).rejects.toMatchObject({ code: 'invalid-params' });
    await expect(host.request('recording.read', { name: 'nope.fwtl' }, c)).rejects.toMatchObject({ code: 'invalid-params' });
  });

  it('refuses a marker when nothing records', async () => {
    await expect(run('telemetry.mark', 'debug-read-only', { text: 'x' })).rejects.toMatchObject({ code: 'bad-request' });
  });
});
