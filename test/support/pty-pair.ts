import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A socat pseudo-terminal pair: bytes written to one end come out of the other, raw. */
export interface PtyPair {
  a: string;
  b: string;
  proc: ChildProcess;
  close(): Promise<void>;
}

/** Fixed link paths let a test kill the pair (board unplugged) and make it again on the same paths (plugged back in). */
export async function openPtyPair(at?: { a: string; b: string }): Promise<PtyPair> {
  const dir = at ? '' : mkdtempSync(join(tmpdir(), 'fwbench-pty-'));
  const a = at?.a ?? join(dir, 'a');
  const b = at?.b ?? join(dir, 'b');
  const proc = spawn('socat', [`pty,raw,echo=0,link=${a}`, `pty,raw,echo=0,link=${b}`], { stdio: 'ignore' });
  const deadline = Date.now() + 5000;
  while (!(existsSync(a) && existsSync(b))) {
    if (Date.now() > deadline || proc.exitCode !== null) throw new Error('socat did not create the pty pair (is socat installed?)');
    await new Promise((r) => setTimeout(r, 20));
  }
  return {
    a,
    b,
    proc,
    close: () =>
      new Promise<void>((resolve) => {
        if (proc.exitCode !== null || proc.signalCode !== null) return resolve();
        proc.once('exit', () => resolve());
        proc.kill('SIGTERM');
      }),
  };
}
