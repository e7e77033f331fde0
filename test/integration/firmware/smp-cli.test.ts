// `fwbench smp` and `fwbench flash` as a lab script runs them: the bundled CLI
// against the demo board on a pty (port opened as an SMP device), through the
// same router, scope policy and audit journal. Needs `node build/build.mjs`.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DemoBoard } from '../../../electron/host/demo/board/demo-board';
import { SerialPortStream } from '../../../electron/host/transports/serial-port';
import { buildMcubootImage } from '../../support/mcuboot-image';

const BIN = join(process.cwd(), 'bin', 'fwbench.mjs');
let dir: string;
let socat: ReturnType<typeof spawn>;
let boardEnd: SerialPortStream;
let board: DemoBoard;
let env: NodeJS.ProcessEnv;
let hostPath: string;

/** Runs the CLI without blocking: the simulated board lives in this process and must keep answering. */
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
  dir = mkdtempSync(join(tmpdir(), 'fwbench-smp-cli-'));
  const b = join(dir, 'board');
  hostPath = join(dir, 'ttyDEMO');
  socat = spawn('socat', [`pty,raw,echo=0,link=${b},ignoreeof`, `pty,raw,echo=0,link=${hostPath},ignoreeof`], { stdio: 'ignore' });
  for (let i = 0; i < 250 && !(existsSync(b) && existsSync(hostPath)); i++) await new Promise((r) => setTimeout(r, 20));
  boardEnd = await SerialPortStream.open(b, { baudRate: 115200 });
  // devices.add-serial takes paths under /dev: the pty itself, not socat's link to it.
  hostPath = realpathSync(hostPath);
  board = new DemoBoard(boardEnd, { serial: 'DEMO-CLI1', bootMs: 50 });
  mkdirSync(join(dir, 'config', 'fwbench'), { recursive: true });
  writeFileSync(join(dir, 'config', 'fwbench', 'policy.json'), JSON.stringify({ allowYes: true, maxScope: 'debug-write' }));
  env = { ...process.env, XDG_CONFIG_HOME: join(dir, 'config'), XDG_STATE_HOME: join(dir, 'state'), XDG_CACHE_HOME: join(dir, 'cache') };
});

afterAll(async () => {
  board?.stop();
  await boardEnd?.close().catch(() => {});
  socat?.kill();
  rmSync(dir, { recursive: true, force: true });
});

describe('fwbench smp / flash against the demo board on a pty', async () => {
  it('lists the image slots as JSON without a grant', async () => {
    const r = await fwbench('smp', '--port', hostPath, '--json', 'image', 'list');
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.images[0]).toMatchObject({ slot: 0, version: '1.0.0', active: true, confirmed: true });
  });

  it('echoes, and reads stats and settings', async () => {
    expect((await fwbench('smp', '--port', hostPath, 'echo', 'hi', 'there')).stdout.trim()).toBe('hi there');
    // The board's 2048-byte SMP buffer, not a fixed 256, limits the echo.
    const long = 'x'.repeat(1900);
    expect((await fwbench('smp', '--port', hostPath, 'echo', long)).stdout.trim()).toBe(long);
    expect((await fwbench('smp', '--port', hostPath, 'stats', 'list')).stdout).toMatch(/system/);
    expect((await fwbench('smp', '--port', hostPath, 'settings', 'read', 'fan_mode')).stdout.trim()).toBe('auto');
  });

  it('refuses a write without a grant (exit 3), and a malformed action (exit 2)', async () => {
    const denied = await fwbench('smp', '--port', hostPath, 'settings', 'write', 'fan_mode', 'full');
    expect(denied.code).toBe(3);
    expect(denied.stderr).toMatch(/needs a Configuration grant/);
    const usage = await fwbench('smp', '--port', hostPath, 'image', 'frobnicate');
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/Unknown smp action/);
    const erase = await fwbench('smp', '--port', hostPath, '--scope', 'configuration', '--yes', 'image', 'erase');
    expect(erase.code).toBe(3); // erase needs debug-write
  });

  it('flashes an image as one job with progress lines, and the board runs it confirmed', async () => {
    const file = join(dir, 'app-2.2.0.bin');
    writeFileSync(file, buildMcubootImage({ version: [2, 2, 0, 0], bodySize: 64 * 1024 }));
    const r = await fwbench('flash', '--port', hostPath, '--scope', 'configuration', '--yes', file);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/Transfer: running/);
    expect(r.stderr).toMatch(/100% \(/);
    expect(r.stderr).toMatch(/Confirm: done/);
    expect(r.stdout).toMatch(/running 2\.2\.0\+0, confirmed \(was 1\.0\.0\+0\)/);
    expect(board.version).toBe('2.2.0+0');
    const audit = readFileSync(join(dir, 'state', 'fwbench', 'audit.jsonl'), 'utf8');
    expect(audit).toMatch(/"commandId":"firmware.update"/);
  });

  it('refuses a downgrade with a plain message and a failure exit code', async () => {
    const file = join(dir, 'app-1.5.0.bin');
    writeFileSync(file, buildMcubootImage({ version: [1, 5, 0, 0], bodySize: 1024 }));
    const r = await fwbench('smp', '--port', hostPath, '--scope', 'configuration', '--yes', 'image', 'upload', file);
    // Refused by the host's preflight interlock when one is wired in (exit 1), else by the update job itself (exit 2).
    expect([1, 2], r.stderr).toContain(r.code);
    expect(r.stderr).toMatch(/(older than the running|not newer than the) 2\.2\.0\+0/);
    expect(board.version).toBe('2.2.0+0');
  });
});
