// `fwbench demo board`: the demo board on a pty with a chosen SMP build, run
// as a user would from a shell, and the SMP CLI against it in another process.
// Proves the configuration reaches the device (groups, buf_size) as a client
// sees it, and that bad flags stop with a usage error before any pty is made.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

const BIN = join(process.cwd(), 'bin', 'fwbench.mjs');
const socat = spawnSync('socat', ['-V'], { stdio: 'ignore' }).status === 0;
if (!socat) console.log('demo board CLI tests skipped: socat is not installed');

let dir: string;
let env: NodeJS.ProcessEnv;

function fwbench(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const p = spawn('node', [BIN, ...args], { env });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d) => (stdout += d));
    p.stderr.on('data', (d) => (stderr += d));
    p.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

/** Starts `fwbench demo board ... --json` and resolves with the process and what it printed first. */
function board(...args: string[]): Promise<{ proc: ChildProcess; info: { port: string; link: string; smp: { groups: string[]; bufSize: number } } }> {
  return new Promise((resolve, reject) => {
    const proc = spawn('node', [BIN, 'demo', 'board', '--json', ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    proc.stderr!.on('data', (d) => (stderr += d));
    proc.on('exit', (code) => reject(new Error(`demo board exited ${code}: ${stderr}`)));
    createInterface({ input: proc.stdout! }).once('line', (line) => resolve({ proc, info: JSON.parse(line) }));
  });
}

function stop(proc: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    proc.removeAllListeners('exit');
    proc.once('exit', (code) => resolve(code));
    proc.kill('SIGINT');
  });
}

beforeAll(() => {
  if (!existsSync(join(process.cwd(), 'dist'))) spawnSync('node', ['build/build.mjs'], { stdio: 'inherit' });
  dir = mkdtempSync(join(tmpdir(), 'fwbench-demo-board-'));
  env = { ...process.env, XDG_CONFIG_HOME: join(dir, 'config'), XDG_STATE_HOME: join(dir, 'state'), XDG_CACHE_HOME: join(dir, 'cache') };
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.skipIf(!socat)('fwbench demo board', () => {
  it('serves an SMP build without the img group: echo works, image list is not offered, and the port goes away on Ctrl-C', async () => {
    const link = join(dir, 'ttyNOIMG');
    const { proc, info } = await board('--smp-profile', 'no-img', '--link', link);
    try {
      expect(info.link).toBe(link);
      expect(info.port).toMatch(/^\/dev\/pts\/\d+$/);
      expect(info.smp.groups).not.toContain('img');
      const echo = await fwbench('smp', '--port', info.port, 'echo', 'hello from a shell');
      expect(echo.code, echo.stderr).toBe(0);
      expect(echo.stdout.trim()).toBe('hello from a shell');
      const list = await fwbench('smp', '--port', info.port, 'image', 'list');
      expect(list.code).toBe(1);
      expect(list.stderr).toMatch(/not offered by this device/);
    } finally {
      expect(await stop(proc)).toBe(0);
    }
    expect(existsSync(link)).toBe(false);
  });

  it('takes single overrides: a buf_size the client then reads back from the device', async () => {
    const link = join(dir, 'ttyBUF');
    const { proc, info } = await board('--smp-profile', 'full', '--buf-size', '512', '--link', link);
    try {
      const params = await fwbench('smp', '--port', info.port, 'params', '--json');
      expect(params.code, params.stderr).toBe(0);
      expect(JSON.stringify(JSON.parse(params.stdout))).toMatch(/"bufSize":512\b|"buf_size":512\b/);
    } finally {
      await stop(proc);
    }
  });

  it.each([
    [['--smp-profile', 'nope'], /No SMP profile "nope"/],
    [['--groups', 'os,bogus'], /Unknown SMP group bogus/],
    [['--buf-size', '12'], /--buf-size takes a whole number from 128/],
    [['--boot-mode', 'xip'], /--boot-mode takes swap, direct-xip, ram-load/],
  ])('refuses %j with a usage error and makes no pty', async (flags, message) => {
    const r = await fwbench('demo', 'board', ...flags, '--link', join(dir, 'never'));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(existsSync(join(dir, 'never'))).toBe(false);
  });

  it('will not put a port over an existing file', async () => {
    const taken = join(dir, 'taken');
    writeFileSync(taken, 'keep me');
    const r = await fwbench('demo', 'board', '--link', taken);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/already exists/);
    expect(spawnSync('cat', [taken]).stdout.toString()).toBe('keep me');
  });
});
