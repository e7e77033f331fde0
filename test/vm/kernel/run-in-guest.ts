// Runs one command inside a throwaway x86_64 guest (QEMU >= 10, TCG) that has
// a CXL type-3 memory device, hence a real /dev/fwctl/fwctl0 from the test
// kernel built by build-kernel.sh. The guest sees the host's root read-only
// over virtio-9p and chroots into it, so the command is the host's own node,
// repo and addon. Output and exit status come back over the second serial port.
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const here = path.dirname(fileURLToPath(import.meta.url));
const SENTINEL = /FWBENCH-EXIT:(\d+)\s*$/;

export interface GuestOptions {
  /** Hard limit for the whole guest run; QEMU is killed after it. Default 180 s. */
  timeoutMs?: number;
  /** Working directory inside the guest (a host path). Default: process.cwd(). */
  cwd?: string;
  /** Extra environment; the guest otherwise starts from a clean one. */
  env?: Record<string, string>;
  /** bzImage to boot; default: build (or find in the cache) with build-kernel.sh. */
  kernel?: string;
  qemu?: string;
}

export interface GuestResult {
  code: number;
  /** The command's stdout and stderr, interleaved as written. */
  output: string;
  /** The kernel console (ttyS0), for diagnosis. */
  console: string;
  seconds: number;
}

/** Why QEMU cannot run the guest here, or null when it can. */
export async function qemuProblem(qemu = 'qemu-system-x86_64'): Promise<string | null> {
  let version: string;
  try {
    version = (await run(qemu, ['--version'], { timeout: 20_000 })).stdout;
  } catch (err) {
    return `${qemu} cannot be started (${(err as Error).message.split('\n')[0]}); install qemu-system-x86 >= 10 (test/setup/system-deps.sh)`;
  }
  const major = Number(/version (\d+)\./.exec(version)?.[1] ?? 0);
  if (major < 10) return `${qemu} is version ${major}; the CXL feature commands need QEMU >= 10`;
  try {
    const { stdout } = await run(qemu, ['-device', 'help'], { timeout: 20_000, maxBuffer: 4 << 20 });
    for (const dev of ['cxl-type3', 'pxb-cxl', 'virtio-9p-pci']) {
      if (!stdout.includes(`"${dev}"`)) return `${qemu} lacks the ${dev} device`;
    }
  } catch (err) {
    return `${qemu} -device help failed: ${(err as Error).message.split('\n')[0]}`;
  }
  return null;
}

async function script(name: string, timeoutMs: number): Promise<string> {
  try {
    const { stdout } = await run(path.join(here, name), [], { timeout: timeoutMs, maxBuffer: 16 << 20 });
    return stdout.trim().split('\n').pop() ?? '';
  } catch (err) {
    const e = err as { stderr?: string; message: string };
    const tail = (e.stderr ?? '').trim().split('\n').slice(-15).join('\n');
    throw new Error(`${name} failed: ${tail || e.message}`);
  }
}

/** The cached test kernel, built on first use (about 5 min on 2 cores). */
export function ensureKernel(): Promise<string> {
  return script('build-kernel.sh', 3_600_000);
}

export function ensureInitramfs(): Promise<string> {
  return script('build-initramfs.sh', 120_000);
}

const shellQuote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** QEMU's arguments for the guest: q35 with one CXL type-3 volatile device, 9p root share. */
export function qemuArgs(kernel: string, initramfs: string, runScript: string, consoleLog: string, outputLog: string): string[] {
  return [
    '-accel', 'tcg', '-cpu', 'max', '-smp', '2',
    '-M', 'q35,cxl=on', '-m', '2G,maxmem=4G,slots=8',
    '-object', 'memory-backend-ram,id=vmem0,share=on,size=256M',
    '-device', 'pxb-cxl,bus_nr=12,bus=pcie.0,id=cxl.1',
    '-device', 'cxl-rp,port=0,bus=cxl.1,id=root_port13,chassis=0,slot=2',
    '-device', 'cxl-type3,bus=root_port13,volatile-memdev=vmem0,id=cxl-vmem0,sn=0x1234',
    '-M', 'cxl-fmw.0.targets.0=cxl.1,cxl-fmw.0.size=4G',
    // bus=pcie.0: the -virtfs shorthand lands behind the CXL bridge and fails.
    '-fsdev', 'local,id=hostfs,path=/,security_model=none,readonly=on,multidevs=remap',
    '-device', 'virtio-9p-pci,fsdev=hostfs,mount_tag=host,bus=pcie.0',
    '-kernel', kernel, '-initrd', initramfs,
    '-append', `console=ttyS0 panic=-1 fwbench.run=${runScript}`,
    '-display', 'none', '-monitor', 'none',
    '-serial', `file:${consoleLog}`, '-serial', `file:${outputLog}`,
    '-no-reboot', '-nic', 'none',
  ];
}

export async function runInGuest(command: string[], opts: GuestOptions = {}): Promise<GuestResult> {
  if (command.length === 0) throw new Error('runInGuest: empty command');
  const timeoutMs = opts.timeoutMs ?? 180_000;
  const kernel = opts.kernel ?? (await ensureKernel());
  const initramfs = await ensureInitramfs();
  if (!existsSync(kernel)) throw new Error(`runInGuest: no kernel at ${kernel}`);

  const dir = mkdtempSync(path.join(tmpdir(), 'fwbench-guest-'));
  const runScript = path.join(dir, 'run.sh');
  const consoleLog = path.join(dir, 'console.log');
  const outputLog = path.join(dir, 'output.log');
  const lines = [
    `cd ${shellQuote(opts.cwd ?? process.cwd())} || exit 253`,
    ...Object.entries(opts.env ?? {}).map(([k, v]) => {
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(k)) throw new Error(`runInGuest: bad environment name ${k}`);
      return `export ${k}=${shellQuote(v)}`;
    }),
    `exec ${command.map(shellQuote).join(' ')}`,
  ];
  writeFileSync(runScript, lines.join('\n') + '\n');
  writeFileSync(consoleLog, '');
  writeFileSync(outputLog, '');

  const started = Date.now();
  const read = (f: string) => readFileSync(f, 'utf8').replace(/\r\n/g, '\n');
  try {
    const env = { ...process.env };
    const qemu = opts.qemu ?? 'qemu-system-x86_64';
    const exit = await new Promise<{ status: number | null; stderr: string; timedOut: boolean }>((resolve, reject) => {
      const child = spawn(qemu, qemuArgs(kernel, initramfs, runScript, consoleLog, outputLog), { env, stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      let timedOut = false;
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      const timer = setTimeout(() => {
        timedOut = true;
        child.kill('SIGKILL');
      }, timeoutMs);
      child.on('error', (err) => {
        clearTimeout(timer);
        reject(err);
      });
      child.on('close', (status) => {
        clearTimeout(timer);
        resolve({ status, stderr, timedOut });
      });
    });
    const seconds = (Date.now() - started) / 1000;
    const consoleText = read(consoleLog);
    const raw = read(outputLog);
    const tail = (s: string) => s.trim().split('\n').slice(-25).join('\n');
    if (exit.timedOut) {
      throw new Error(`guest did not finish within ${timeoutMs / 1000} s; output so far:\n${tail(raw)}\n--- console:\n${tail(consoleText)}`);
    }
    const m = SENTINEL.exec(raw);
    if (!m) {
      throw new Error(
        `guest ended (QEMU status ${exit.status}) without reporting an exit status.\n${exit.stderr.trim()}\n--- output:\n${tail(raw)}\n--- console:\n${tail(consoleText)}`,
      );
    }
    return { code: Number(m[1]), output: raw.slice(0, m.index), console: consoleText, seconds };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
