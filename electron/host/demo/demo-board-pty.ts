// The demo board behind a real pty pair (socat): the board holds one end, and
// the other is a serial port any client opens by path — the app's demo device,
// or `fwbench demo board` for a user trying the serial CLI.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DemoBoard, type DemoBoardOptions } from './board/demo-board';
import { SerialPortStream } from '../transports/serial-port';
import { HostError } from '../errors/host-error';

export interface DemoBoardPty {
  board: DemoBoard;
  /** The client's end as a link (the path given, or one in a fresh temp folder). */
  hostPath: string;
  /** The pty the link points at (/dev/pts/N): the path a client names, since fwbench opens only /dev terminals. */
  devPath: string;
  stop(): Promise<void>;
}

export function hasSocat(): boolean {
  return spawnSync('socat', ['-V'], { stdio: 'ignore' }).status === 0;
}

export async function startDemoBoardOnPty(opts: DemoBoardOptions & { link?: string }): Promise<DemoBoardPty> {
  if (!hasSocat()) throw new HostError('capability-missing', 'socat is not installed; it makes the pty pair the demo board sits on (apt-get install socat).');
  const { link, ...boardOpts } = opts;
  if (link && existsSync(link)) throw new HostError('bad-request', `${link} already exists; name a path that does not, so nothing is overwritten.`);
  const dir = mkdtempSync(join(tmpdir(), 'fwbench-demo-'));
  const boardEnd = join(dir, 'board');
  const hostEnd = link ?? join(dir, 'ttyDEMO0');
  // ignoreeof: a client closing its end (a session closing) must not end socat.
  const proc: ChildProcess = spawn('socat', [`pty,raw,echo=0,link=${boardEnd},ignoreeof`, `pty,raw,echo=0,link=${hostEnd},ignoreeof`], { stdio: 'ignore' });
  const cleanup = () => {
    proc.kill();
    rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 5000;
  while (!(existsSync(boardEnd) && existsSync(hostEnd))) {
    if (Date.now() > deadline || proc.exitCode !== null) {
      cleanup();
      throw new HostError('device-error', `socat did not create the demo board's pty pair${link ? ` at ${link} (is its folder writable?)` : ''}.`);
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  const boardStream = await SerialPortStream.open(realpathSync(boardEnd), { baudRate: 115200 });
  const board = new DemoBoard(boardStream, boardOpts);
  return {
    board,
    hostPath: hostEnd,
    devPath: realpathSync(hostEnd),
    stop: async () => {
      board.stop();
      await boardStream.close().catch(() => {});
      cleanup();
    },
  };
}
