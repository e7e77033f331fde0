// `fwbench console`: an interactive serial console (picocom-like) on the
// host's session, so the scope policy and the audit journal see every keystroke
// sent. Without a debug-write grant it only shows what the board prints.
import { createWriteStream, type WriteStream } from 'node:fs';
import { HostError } from '../../host/errors/host-error';
import { describeLine, type FullLineSettings } from '../../host/serial';
import { scopeCovers } from '../../contract/scopes';
import { openCliSession, type CliSession } from '../cli-session';
import { EXIT } from '../exit-codes';
import { intFlag, stringFlag, type Args } from '../args';
import type { CliCommand } from '../command';

/** Ctrl-] (telnet's and picocom-style escape): leaves the console. */
export const QUIT_BYTE = 0x1d;
/** console.write takes at most 4096 characters per call. */
const MAX_WRITE = 4096;

const USAGE = [
  'fwbench console --port PATH [--baud N] [--log FILE] [--scope debug-write [--yes]]',
  '',
  'Shows what the board prints. With a debug-write grant, what you type goes to the board raw',
  '(Ctrl-C included); without it the console is read-only. Ctrl-] quits.',
  '--log FILE appends everything the board prints to FILE.',
].join('\n');

export interface ConsoleIo {
  stdin: NodeJS.ReadableStream & { isTTY?: boolean; setRawMode?: (on: boolean) => unknown };
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

const processIo = (): ConsoleIo => ({ stdin: process.stdin, stdout: process.stdout, stderr: process.stderr });

/** Splits typed bytes at Ctrl-]: what comes before it is still sent. */
export function splitAtQuit(chunk: Uint8Array): { send: Uint8Array; quit: boolean } {
  const i = chunk.indexOf(QUIT_BYTE);
  return i < 0 ? { send: chunk, quit: false } : { send: chunk.subarray(0, i), quit: true };
}

export async function runConsole(args: Args, io: ConsoleIo = processIo()): Promise<number> {
  if (!args.flags.has('port') && !args.flags.has('device')) throw new HostError('bad-request', 'fwbench console needs --port PATH.', USAGE);
  const baud = args.flags.has('baud') ? intFlag(args, 'baud', 115200, 50, 12_000_000) : undefined;
  const logFile = stringFlag(args, 'log');
  const s: CliSession = await openCliSession(args, { protocol: 'console' });
  let log: WriteStream | null = null;
  const cleanups: (() => void)[] = [];
  try {
    const r = await s.run<{ line: FullLineSettings }>('serial.settings', 'configuration', baud ? { line: { baudRate: baud } } : {});
    if (logFile) {
      log = createWriteStream(logFile, { flags: 'a' });
      await new Promise<void>((resolve, reject) => {
        log!.once('open', () => resolve());
        log!.once('error', (e) => reject(new HostError('io-error', `Cannot write the log file ${logFile}.`, e.message)));
      });
    }
    const writable = scopeCovers(s.session.grant, 'debug-write');
    io.stderr.write(
      `fwbench console on ${s.session.deviceLabel} (${describeLine(r.line)}). Ctrl-] quits.` +
        (writable ? ' Typing goes to the board (debug-write; the session is tainted).\n' : ' Read-only: typing needs --scope debug-write.\n'),
    );

    let finish!: (code: number) => void;
    const done = new Promise<number>((resolve) => (finish = resolve));

    cleanups.push(
      s.host.onEvent((e) => {
        if (e.type === 'console' && e.sessionId === s.session.id) {
          io.stdout.write(e.data);
          log?.write(e.data);
        } else if (e.type === 'session' && e.session.id === s.session.id) {
          if (e.session.state === 'reconnecting') io.stderr.write('\r\n[fwbench: the port went away; waiting for it to come back]\r\n');
          if (e.session.state === 'gone' || e.session.state === 'closed') finish(EXIT.deviceError);
        }
      }, s.client.id),
    );

    // Keystrokes are sent in order, one console.write at a time.
    let chain: Promise<unknown> = Promise.resolve();
    let warned = false;
    const onInput = (b: Buffer | string) => {
      const bytes = typeof b === 'string' ? Buffer.from(b, 'utf8') : b;
      const { send, quit } = splitAtQuit(bytes);
      if (send.length) {
        if (!writable) {
          if (!warned) io.stderr.write('\r\n[fwbench: read-only console; input is not sent. Run with --scope debug-write to type.]\r\n');
          warned = true;
        } else {
          const text = Buffer.from(send).toString('utf8');
          for (let i = 0; i < text.length; i += MAX_WRITE) {
            const part = text.slice(i, i + MAX_WRITE);
            chain = chain.then(() => s.run('console.write', 'debug-write', { data: part })).catch((e) => io.stderr.write(`\r\n[fwbench: ${HostError.from(e).message}]\r\n`));
          }
        }
      }
      if (quit) void chain.then(() => finish(EXIT.ok));
    };
    if (io.stdin.isTTY && io.stdin.setRawMode) {
      io.stdin.setRawMode(true);
      cleanups.push(() => io.stdin.setRawMode?.(false));
    }
    io.stdin.on('data', onInput);
    io.stdin.resume();
    cleanups.push(() => {
      io.stdin.off('data', onInput);
      io.stdin.pause();
    });
    const onSignal = () => finish(EXIT.ok);
    process.once('SIGTERM', onSignal);
    process.once('SIGHUP', onSignal);
    cleanups.push(() => {
      process.off('SIGTERM', onSignal);
      process.off('SIGHUP', onSignal);
    });

    const code = await done;
    io.stderr.write('\r\n[fwbench: console closed]\n');
    return code;
  } finally {
    for (const c of cleanups.reverse()) c();
    if (log) await new Promise<void>((r) => log!.end(() => r()));
    await s.close();
  }
}

export const consoleCommand: CliCommand = {
  name: 'console',
  summary: 'interactive serial console (read-only without a debug-write grant; Ctrl-] quits)',
  usage: USAGE,
  valued: ['port', 'device', 'scope', 'baud', 'log'],
  run: (args) => runConsole(args),
};
