// Harness for running Debian's lrzsz (sx, sb, rx, rb) against our code over ptys.
//
// lrzsz reads its stdin tty and writes its stdout; on exit it calls tcdrain() and
// then TCFLSH(TCIOFLUSH) on stdin's tty. On a UART tcdrain waits until the last
// byte is on the wire; on a pty it does not, so if stdin and stdout were the same
// pty the final ACK could be thrown away before socat read it (seen in about a
// third of runs). So lrzsz gets one pty pair per direction, and our side is the
// two SerialPortStreams joined into one ByteStream.
import { spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openPtyPair, type PtyPair } from '../../support/pty-pair';
import { SerialPortStream } from '../../../electron/host/transports/serial-port';
import type { ByteStream } from '../../../electron/host/transports/byte-stream';
import { CorruptingPipe, type CorruptionPlan } from './corrupting-pipe';
import { traceStream } from './trace';

export interface LrzszRun {
  /** Exit code (null when killed) and signal, plus everything lrzsz wrote to stderr. */
  done: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>;
  kill(signal?: NodeJS.Signals): void;
}

/** Two ports (one per direction) seen as one ByteStream; records single control bytes we write. */
export class DuplexPorts implements ByteStream {
  /** Every byte written in a one-byte write (ACK, NAK, 'C', EOT...), in order. */
  readonly controlBytesSent: number[] = [];
  constructor(
    readonly tx: SerialPortStream,
    readonly rx: SerialPortStream,
  ) {}
  get isOpen(): boolean {
    return this.tx.isOpen && this.rx.isOpen;
  }
  write(data: Uint8Array): Promise<void> {
    if (data.length === 1) this.controlBytesSent.push(data[0]);
    return this.tx.write(data);
  }
  onData(listener: (chunk: Uint8Array) => void): () => void {
    return this.rx.onData(listener);
  }
  onClose(listener: (reason?: Error) => void): () => void {
    let fired = false;
    const once = (reason?: Error) => {
      if (fired) return;
      fired = true;
      listener(reason);
    };
    const a = this.tx.onClose(once);
    const b = this.rx.onClose(once);
    return () => {
      a();
      b();
    };
  }
  async close(): Promise<void> {
    await this.tx.close();
    await this.rx.close();
  }
}

export interface Link {
  /** Our end. */
  port: DuplexPorts;
  /** Where lrzsz reads (its stdin) and writes (its stdout). */
  peerIn: string;
  peerOut: string;
  dir: string;
  pipe?: CorruptingPipe;
  /** Kills every socat behind the link: the ptys vanish as when a USB adapter is pulled. */
  killPtys(): void;
  close(): Promise<void>;
}

/**
 * Opens the ptys. With `corrupt`, a CorruptingPipe sits on one direction:
 * 'to-peer' damages what we send, 'from-peer' what lrzsz sends.
 */
export async function openLink(corrupt?: { direction: 'to-peer' | 'from-peer' } & CorruptionPlan): Promise<Link> {
  const pairs: PtyPair[] = [];
  const pair = async () => {
    const p = await openPtyPair();
    pairs.push(p);
    return p;
  };
  const open = (path: string) => SerialPortStream.open(path, { baudRate: 115200 });
  const toPeer = await pair();
  const fromPeer = await pair();
  let peerIn = toPeer.b;
  let peerOut = fromPeer.b;
  let pipe: CorruptingPipe | undefined;
  if (corrupt) {
    const extra = await pair();
    if (corrupt.direction === 'to-peer') {
      pipe = new CorruptingPipe(await open(toPeer.b), await open(extra.a), corrupt);
      peerIn = extra.b;
    } else {
      pipe = new CorruptingPipe(await open(extra.b), await open(fromPeer.b), corrupt);
      peerOut = extra.a;
    }
  }
  const port = new DuplexPorts(await open(toPeer.a), await open(fromPeer.a));
  traceStream(port, 'ours');
  const dir = mkdtempSync(join(tmpdir(), 'fwbench-xmodem-'));
  return {
    port,
    peerIn,
    peerOut,
    dir,
    pipe,
    killPtys: () => pairs.forEach((p) => p.proc.kill('SIGKILL')),
    close: async () => {
      await port.close().catch(() => {});
      await pipe?.close().catch(() => {});
      for (const p of pairs) await p.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function runLrzsz(program: 'sx' | 'sb' | 'rx' | 'rb', args: string[], link: Link): LrzszRun {
  const inFd = openSync(link.peerIn, 'r+');
  const outFd = openSync(link.peerOut, 'r+');
  const child = spawn(program, args, { cwd: link.dir, stdio: [inFd, outFd, 'pipe'] });
  // Our copies stay open until lrzsz exits so its exit never hangs up the ptys.
  child.once('close', () => {
    closeSync(inFd);
    closeSync(outFd);
  });
  let stderr = '';
  child.stderr!.setEncoding('latin1');
  child.stderr!.on('data', (s: string) => (stderr += s));
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => resolve({ code, signal, stderr }));
  });
  return {
    done,
    kill: (signal = 'SIGKILL') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    },
  };
}

/** Deterministic bytes that include every value (SUB, CAN, NUL...). */
export function testData(length: number, seed: number): Uint8Array {
  const out = new Uint8Array(length);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < length; i++) {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}
