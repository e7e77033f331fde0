// A socat pty pair on fixed link paths, so a test can kill it (the board is
// unplugged) and make it again on the same paths (plugged back in).
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';

export interface FixedPtyPair {
  proc: ChildProcess;
  kill(): Promise<void>;
}

export async function openFixedPtyPair(a: string, b: string): Promise<FixedPtyPair> {
  const proc = spawn('socat', [`pty,raw,echo=0,link=${a}`, `pty,raw,echo=0,link=${b}`], { stdio: 'ignore' });
  const deadline = Date.now() + 5000;
  while (!(existsSync(a) && existsSync(b))) {
    if (Date.now() > deadline || proc.exitCode !== null) throw new Error('socat did not create the pty pair (is socat installed?)');
    await new Promise((r) => setTimeout(r, 20));
  }
  return {
    proc,
    kill: () =>
      new Promise<void>((resolve) => {
        if (proc.exitCode !== null || proc.signalCode !== null) return resolve();
        proc.once('exit', () => resolve());
        proc.kill('SIGTERM');
      }),
  };
}

export async function until(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
