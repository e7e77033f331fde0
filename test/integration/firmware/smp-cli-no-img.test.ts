// `fwbench smp --port P` against a board whose MCUmgr build has only the os,
// stat, settings, fs and shell groups (no img, no enum: it answers rc 8 to an
// image-state request), on a pty through the bundled CLI. Opening must not
// depend on the img group; image actions say "not offered by this device".
// Needs `node build/build.mjs` (built here when dist/ is missing).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DemoBoard } from '../../../electron/host/demo/board/demo-board';
import { SMP_DEVICE_PROFILES } from '../../../electron/host/demo/smp-server';
import { SerialPortStream } from '../../../electron/host/transports/serial-port';

const BIN = join(process.cwd(), 'bin', 'fwbench.mjs');
let dir: string;
let socat: ReturnType<typeof spawn>;
let boardEnd: SerialPortStream;
let board: DemoBoard;
let env: NodeJS.ProcessEnv;
let hostPath: string;

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

beforeAll(async () => {
  if (!existsSync(join(process.cwd(), 'dist'))) spawnSync('node', ['build/build.mjs'], { stdio: 'inherit' });
  dir = mkdtempSync(join(tmpdir(), 'fwbench-smp-noimg-'));
  const b = join(dir, 'board');
  hostPath = join(dir, 'ttyNOIMG');
  socat = spawn('socat', [`pty,raw,echo=0,link=${b},ignoreeof`, `pty,raw,echo=0,link=${hostPath},ignoreeof`], { stdio: 'ignore' });
  for (let i = 0; i < 250 && !(existsSync(b) && existsSync(hostPath)); i++) await new Promise((r) => setTimeout(r, 20));
  boardEnd = await SerialPortStream.open(b, { baudRate: 115200 });
  hostPath = realpathSync(hostPath);
  board = new DemoBoard(boardEnd, { serial: 'DEMO-NOIMG', bootMs: 50, smp: SMP_DEVICE_PROFILES['no-img'] });
  mkdirSync(join(dir, 'config', 'fwbench'), { recursive: true });
  writeFileSync(join(dir, 'config', 'fwbench', 'policy.json'), JSON.stringify({ allowYes: true }));
  env = { ...process.env, XDG_CONFIG_HOME: join(dir, 'config'), XDG_STATE_HOME: join(dir, 'state'), XDG_CACHE_HOME: join(dir, 'cache') };
});

afterAll(async () => {
  board?.stop();
  await boardEnd?.close().catch(() => {});
  socat?.kill();
  rmSync(dir, { recursive: true, force: true });
});

describe('fwbench smp against a board without the img group', () => {
  it('echoes and reads stats: opening does not need the image group', async () => {
    const echo = await fwbench('smp', '--port', hostPath, 'echo', 'hello');
    expect(echo.code, echo.stderr).toBe(0);
    expect(echo.stdout.trim()).toBe('hello');
    const stats = await fwbench('smp', '--port', hostPath, 'stats', 'list');
    expect(stats.code, stats.stderr).toBe(0);
    expect(stats.stdout).toMatch(/system/);
    expect(echo.stderr + stats.stderr).not.toMatch(/refused the image state request/);
  });

  it('says an image action is not offered by this device (exit 1), not a failed session', async () => {
    const r = await fwbench('smp', '--port', hostPath, 'image', 'list');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/smp image list is not offered by this device/);
    expect(r.stderr).toMatch(/image/);
    expect(r.stderr).not.toMatch(/refused/);
  });

  it('says the same for an image upload, before reading a byte of flash', async () => {
    const r = await fwbench('smp', '--port', hostPath, '--scope', 'configuration', '--yes', 'image', 'upload', BIN);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/Firmware update \(image upload\) is not offered by this device/);
  });
});
