// A serial session through the whole host on a socat pty: the serial.*
// commands with their scopes, what a pty cannot do, line settings that
// survive a reconnect, and a scrollback that survives an unplug/replug.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testHost } from '../../support/test-host';
import { explicitSerialEntry } from '../../../electron/host/devices/discovery-sources';
import { SerialPortStream } from '../../../electron/host/transports/serial-port';
import type { Host } from '../../../electron/host/host';
import type { ClientInfo } from '../../../electron/host/router';
import type { SessionInfo } from '../../../electron/contract/devices';
import { until } from './until';
import { openPtyPair, type PtyPair } from '../../support/pty-pair';

let host: Host;
let c: ClientInfo;
let pair: PtyPair;
let board: SerialPortStream;
let sessionId: string;
const states: SessionInfo['state'][] = [];
const dir = mkdtempSync(join(tmpdir(), 'fwbench-serial-'));
// The host side is a path the session reopens after the "unplug"; the far side plays the board.
const hostSide = join(dir, 'ttyHOST');
const boardSide = join(dir, 'ttyBOARD');
let boardSaw = '';

async function plugBoard() {
  pair = await openPtyPair({ a: hostSide, b: boardSide });
  board = await SerialPortStream.open(boardSide);
  board.onData((d) => (boardSaw += Buffer.from(d).toString('latin1')));
}

const run = async (commandId: string, scope: string, params: unknown) => host.handle({ id: 1, channel: 'command.run', params: { sessionId, commandId, scope, params } }, c);
async function ok<T>(commandId: string, scope: string, params: unknown): Promise<T> {
  const r = await run(commandId, scope, params);
  if (!r.ok) throw new Error(`${commandId}: ${r.error.code}: ${r.error.message}`);
  return (r.result as { result: T }).result;
}
const history = async () => (await ok<{ text: string }>('console.history', 'debug-read-only', {})).text;

beforeAll(async () => {
  await plugBoard();
  host = await testHost({ demoBoards: 0 });
  c = host.newClient('test');
  host.onEvent((e) => {
    if (e.type === 'session') states.push(e.session.state);
  });
  host.registry.put(explicitSerialEntry(hostSide, 'console', (e) => (host as unknown as { dispatch(e: unknown): void }).dispatch(e), dir));
  sessionId = (await host.request('session.open', { deviceId: `serial:${hostSide}` }, c)).id;
});
afterAll(async () => {
  await host?.close();
  await board?.close().catch(() => {});
  await pair?.close();
});

describe('serial session on a pty', () => {
  it('lists the serial commands next to the console ones', async () => {
    const ids = (await host.request('catalog.list', { sessionId }, c)).map((d) => d.id);
    expect(ids).toEqual(expect.arrayContaining(['console.write', 'console.history', 'serial.settings', 'serial.sequence', 'serial.break']));
  });

  it('reads the line settings and changes the baud rate without a grant (only the host side changes)', async () => {
    expect(await ok('serial.settings', 'configuration', {})).toMatchObject({ text: '115200 8N1', changed: false });
    expect(await ok('serial.settings', 'configuration', { line: { baudRate: 57600 } })).toMatchObject({ text: '57600 8N1', changed: true, reopened: false });
  });

  it('asks for a grant before a change that reopens the port, then reopens it', async () => {
    expect(await run('serial.settings', 'configuration', { line: { parity: 'even' } })).toMatchObject({ ok: false, error: { code: 'grant-required' } });
    expect(await run('serial.settings', 'configuration', { line: { parity: 'sometimes' } })).toMatchObject({ ok: false, error: { code: 'invalid-params' } });
    await host.request('session.grant', { sessionId, scope: 'configuration', confirm: { acknowledged: true } }, c);
    expect(await ok('serial.settings', 'configuration', { line: { parity: 'even' } })).toMatchObject({ text: '57600 8E1', reopened: true });
    await board.write(Buffer.from('U-Boot 2023.01 after reopen\r\n'));
    const deadline = Date.now() + 3000;
    while (!(await history()).includes('after reopen') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 30));
    expect(await history()).toContain('after reopen');
  });

  it('a reset sequence needs the configuration grant and fails clearly on a pty', async () => {
    expect(await run('serial.sequence', 'configuration', { name: 'no-such-sequence' })).toMatchObject({ ok: false, error: { code: 'invalid-params' } });
    const r = await run('serial.sequence', 'configuration', { name: 'esp32-bootloader' });
    expect(r).toMatchObject({ ok: false, error: { code: 'not-supported', message: expect.stringMatching(/does not support modem control lines/) } });
  });

  it('a break needs debug-write and fails clearly on a pty', async () => {
    expect(await run('serial.break', 'debug-write', { ms: 100 })).toMatchObject({ ok: false, error: { code: 'grant-required' } });
    await host.request('session.grant', { sessionId, scope: 'debug-write', confirm: { acknowledged: true } }, c);
    expect(await run('serial.break', 'debug-write', { ms: 100 })).toMatchObject({ ok: false, error: { code: 'not-supported' } });
    expect(await run('serial.break', 'debug-write', { ms: 0 })).toMatchObject({ ok: false, error: { code: 'invalid-params' } });
    const denied = host.audit.query({ sessionId, commandId: 'serial.break' });
    expect(denied.map((a) => a.outcome)).toEqual(expect.arrayContaining(['denied', 'started', 'error']));
  });

  it('comes back after an unplug and replug with its scrollback and line settings', async () => {
    await board.write(Buffer.from('before unplug: marker-1\r\n'));
    const deadline = Date.now() + 3000;
    while (!(await history()).includes('marker-1') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 30));
    states.length = 0;
    await board.close();
    await pair.close();
    await until(() => states.includes('reconnecting'), 5000, "state 'reconnecting'");
    expect(await run('console.write', 'debug-write', { data: 'x' })).toMatchObject({ ok: false, error: { code: 'device-gone' } });
    await plugBoard();
    await until(() => states.at(-1) === 'open', 10_000, "state 'open' again");
    expect(states).toEqual(['reconnecting', 'open']);
    // Reopened with what the operator chose before the unplug, not the default.
    expect(await ok('serial.settings', 'configuration', {})).toMatchObject({ text: '57600 8E1' });
    await board.write(Buffer.from('after replug: marker-2\r\n'));
    const d2 = Date.now() + 3000;
    while (!(await history()).includes('marker-2') && Date.now() < d2) await new Promise((r) => setTimeout(r, 30));
    const text = await history();
    expect(text).toContain('marker-1');
    expect(text).toContain('link lost');
    expect(text.indexOf('marker-1')).toBeLessThan(text.indexOf('marker-2'));
    // Typing reaches the replugged board.
    await ok('console.write', 'debug-write', { data: 'help\r' });
    await until(() => boardSaw.includes('help\r'), 3000, 'typed input at the board');
  });
});
