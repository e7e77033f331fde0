// A board that streams CSV over a real pty: parsed in the host, recorded by
// the session, every sample accounted for; malformed lines counted, not fatal.
import { realpathSync } from 'node:fs';
import type { Host } from '../../../electron/host/host';
import type { ClientInfo } from '../../../electron/host/router';
import { SerialPortStream } from '../../../electron/host/transports/serial-port';
import { openPtyPair, type PtyPair } from '../../support/pty-pair';
import { testHost } from '../../support/test-host';

let host: Host;
let c: ClientInfo;
let pty: PtyPair;
let board: SerialPortStream;
let sessionId: string;
const run = async (commandId: string, params: unknown) => (await host.request('command.run', { sessionId, commandId, scope: 'debug-read-only', params }, c)).result as Record<string, unknown>;

beforeAll(async () => {
  pty = await openPtyPair();
  board = await SerialPortStream.open(pty.a, { baudRate: 115200 });
  host = await testHost({ demoBoards: 0 });
  c = host.newClient('test');
  // The link socat made points at the real pty under /dev/pts.
  const dev = await host.request('devices.add-serial', { path: realpathSync(pty.b), protocol: 'telemetry-csv' }, c);
  sessionId = (await host.request('session.open', { deviceId: dev.id }, c)).id;
});
afterAll(async () => {
  await host?.close();
  await board?.close();
  await pty?.close();
});

describe('CSV telemetry from a serial port', () => {
  it('records every sample of every row and reports the bad lines', async () => {
    await board.write(Buffer.from('vin,iout,temp\n'));
    await new Promise((r) => setTimeout(r, 100));
    await run('telemetry.record', { on: true });
    const rows = 20_000;
    let text = '';
    for (let i = 0; i < rows; i++) {
      text += `${(12 + (i % 7) / 100).toFixed(2)},${(i % 100) / 10},${40 + (i % 13)}\n`;
      if (i === 5000) text += 'garbage,,line\n';
    }
    await board.write(Buffer.from(text));
    const deadline = Date.now() + 20_000;
    let info: Record<string, unknown> = {};
    while (Date.now() < deadline) {
      info = await run('device.info', {});
      if (Number(info.samples) >= rows * 3) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    await new Promise((r) => setTimeout(r, 200));
    const summary = await run('telemetry.record', { on: false });
    expect(Number(info.samples)).toBe(rows * 3);
    expect(summary.samples).toBe(rows * 3);
    expect(Number(info.parseErrors)).toBe(1);
    expect(String(info.recentErrors)).toMatch(/line/);
    const [rec] = await host.request('recordings.list', {}, c);
    const view = await host.request('recording.read', { name: rec.name, buckets: 10 }, c);
    expect(view.channels.map((ch) => ch.name)).toEqual(['vin', 'iout', 'temp']);
    expect(view.channels.map((ch) => ch.samples)).toEqual([rows, rows, rows]);
    const temp = view.channels[2];
    expect(Math.min(...[...temp.min].filter((x) => !Number.isNaN(x)))).toBe(40);
    expect(Math.max(...[...temp.max].filter((x) => !Number.isNaN(x)))).toBe(52);
  });
});
