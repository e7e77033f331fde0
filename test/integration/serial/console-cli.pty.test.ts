// `fwbench console` on a pty: output shown and logged, typing only with a
// debug-write grant (and audited), Ctrl-] quits.
import { PassThrough } from 'node:stream';
import { readFileSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { runConsole, splitAtQuit, type ConsoleIo } from '../../../electron/cli/commands/console';
import { parseArgs } from '../../../electron/cli/args';
import { exitCodeFor } from '../../../electron/cli/exit-codes';
import { SerialPortStream } from '../../../electron/host/transports/serial-port';
import { openPtyPair, type PtyPair } from '../../support/pty-pair';
import { useCliHome } from './cli-env';
import { until } from './until';

let pair: PtyPair;
let board: SerialPortStream;
let boardSaw = '';
let env: ReturnType<typeof useCliHome>;
const VALUED = ['port', 'device', 'scope', 'baud', 'log'];

function io() {
  const stdin = new PassThrough();
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out = { text: '', err: '' };
  stdout.on('data', (b) => (out.text += b.toString('latin1')));
  stderr.on('data', (b) => (out.err += b.toString('utf8')));
  return { io: { stdin, stdout, stderr } as ConsoleIo, stdin, out };
}

beforeAll(async () => {
  env = useCliHome();
  pair = await openPtyPair();
  board = await SerialPortStream.open(pair.b);
  board.onData((d) => (boardSaw += Buffer.from(d).toString('latin1')));
});
afterAll(async () => {
  await board?.close();
  await pair?.close();
});

describe('fwbench console', () => {
  it('splits typed bytes at Ctrl-]', () => {
    expect(splitAtQuit(Buffer.from('ab\x1dcd'))).toEqual({ send: Buffer.from('ab'), quit: true });
    expect(splitAtQuit(Buffer.from('abc'))).toEqual({ send: Buffer.from('abc'), quit: false });
  });

  it('with debug-write: shows and logs output, sends keystrokes, quits on Ctrl-]', async () => {
    const port = realpathSync(pair.a); // a /dev/pts/N path, as devices.add-serial wants
    const log = join(env.home, 'console.log');
    const t = io();
    const running = runConsole(parseArgs(['--port', port, '--baud', '9600', '--log', log, '--scope', 'debug-write', '--yes'], VALUED), t.io);
    await until(() => t.out.err.includes('Ctrl-] quits'), 10_000, 'the banner');
    expect(t.out.err).toMatch(/\(9600 8N1\)/);
    await board.write(Buffer.from('=> hello from the board\r\n'));
    await until(() => t.out.text.includes('hello from the board'), 5000, 'board output on stdout');
    t.stdin.write('version\r');
    await until(() => boardSaw.includes('version\r'), 5000, 'typed input at the board');
    t.stdin.write(Buffer.from([0x1d]));
    expect(await running).toBe(0);
    expect(readFileSync(log, 'latin1')).toContain('hello from the board');
    const audit = readFileSync(env.audit, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(audit.filter((r) => r.commandId === 'console.write' && r.kind === 'command-result' && r.outcome === 'ok').length).toBeGreaterThan(0);
    expect(audit.some((r) => r.kind === 'grant' && r.scope === 'debug-write')).toBe(true);
  });

  it('without a grant: read-only, says so, sends nothing', async () => {
    boardSaw = '';
    const t = io();
    const running = runConsole(parseArgs(['--port', realpathSync(pair.a)], VALUED), t.io);
    await until(() => t.out.err.includes('Read-only'), 10_000, 'the banner');
    await board.write(Buffer.from('boot log line\r\n'));
    await until(() => t.out.text.includes('boot log line'), 5000, 'board output on stdout');
    t.stdin.write('reset\r');
    await until(() => t.out.err.includes('input is not sent'), 5000, 'the read-only note');
    t.stdin.write(Buffer.from([0x1d]));
    expect(await running).toBe(0);
    await new Promise((r) => setTimeout(r, 100));
    expect(boardSaw).toBe('');
  });

  it('refuses a missing port, a bad baud rate and no port at all, with exit codes', async () => {
    const t = io();
    const err = await runConsole(parseArgs(['--port', '/dev/ttyFWBENCH-none'], VALUED), t.io).catch((e) => e);
    expect(err.code).toBe('unknown-device');
    expect(exitCodeFor(err)).toBe(4);
    const bad = await runConsole(parseArgs(['--port', realpathSync(pair.a), '--baud', 'fast'], VALUED), t.io).catch((e) => e);
    expect([bad.code, exitCodeFor(bad), bad.message]).toEqual(['bad-request', 2, '--baud takes a whole number from 50 to 12000000.']);
    const none = await runConsole(parseArgs([], VALUED), t.io).catch((e) => e);
    expect([none.code, exitCodeFor(none)]).toEqual(['bad-request', 2]);
  });
});
