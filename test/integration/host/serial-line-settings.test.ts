// Line settings given when a port is added are the ones it opens with.
import { realpathSync } from 'node:fs';
import type { Host } from '../../../electron/host/host';
import { openPtyPair, type PtyPair } from '../../support/pty-pair';
import { testHost } from '../../support/test-host';

let host: Host;
let pty: PtyPair;

beforeAll(async () => {
  pty = await openPtyPair();
  host = await testHost({ demoBoards: 0 });
});
afterAll(async () => {
  await host?.close();
  await pty?.close();
});

describe('adding a serial port with line settings', () => {
  it('opens the port with them', async () => {
    const c = host.newClient('test');
    const dev = await host.request('devices.add-serial', { path: realpathSync(pty.b), protocol: 'console', line: { baudRate: 57600, dataBits: 7, parity: 'even', stopBits: 1 } }, c);
    const s = await host.request('session.open', { deviceId: dev.id }, c);
    const r = await host.request('command.run', { sessionId: s.id, commandId: 'serial.settings', scope: 'configuration', params: {} }, c);
    expect(r.result).toMatchObject({ text: '57600 7E1', changed: false });
  });

  it('refuses impossible settings before opening anything', async () => {
    const c = host.newClient('test');
    await expect(host.request('devices.add-serial', { path: realpathSync(pty.b), line: { baudRate: 12, dataBits: 8 } } as never, c)).rejects.toMatchObject({ code: 'bad-request' });
    await expect(host.request('devices.add-serial', { path: realpathSync(pty.b), line: { baudRate: 9600, dataBits: 9 } } as never, c)).rejects.toMatchObject({ code: 'bad-request' });
  });
});
