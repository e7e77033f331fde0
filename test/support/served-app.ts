import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Starts `fwbench serve` as a user would (the built CLI), with its own XDG dirs. */
export async function startServedApp(extraArgs: string[] = []): Promise<{ url: string; proc: ChildProcess; home: string; stop(): Promise<void>; output(): string }> {
  const home = mkdtempSync(join(tmpdir(), 'fwbench-e2e-'));
  const env = { ...process.env, XDG_CONFIG_HOME: join(home, 'config'), XDG_STATE_HOME: join(home, 'state'), XDG_CACHE_HOME: join(home, 'cache') };
  const proc = spawn(process.execPath, ['bin/fwbench.mjs', 'serve', ...extraArgs], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  proc.stdout!.on('data', (d) => (out += d));
  proc.stderr!.on('data', (d) => (out += d));
  const url = await new Promise<string>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`fwbench serve printed no URL in 30 s:\n${out}`)), 30_000);
    const check = () => {
      const m = /^(http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)$/m.exec(out);
      if (m) {
        clearTimeout(t);
        resolve(m[1]);
      }
    };
    proc.stdout!.on('data', check);
    proc.once('exit', (code) => reject(new Error(`fwbench serve exited with ${code}:\n${out}`)));
  });
  return {
    url,
    proc,
    home,
    output: () => out,
    stop: () =>
      new Promise<void>((resolve) => {
        if (proc.exitCode !== null) return resolve();
        proc.once('exit', () => resolve());
        proc.kill('SIGTERM');
        setTimeout(() => proc.kill('SIGKILL'), 5000).unref();
      }),
  };
}
