// Real U-Boot (Debian u-boot-qemu, qemu_arm64) under QEMU >= 10 with its
// console on a pty, for the `uboot` test project. See
// /work/shared/notes/uboot-qemu.md for why it is started this way:
// - `-S` + `cont` on the monitor: output written before the pty is opened is
//   lost, so the guest only runs once our port is open;
// - the env lives in the second CFI bank (pflash index 1), a file we keep across
//   restarts so `saveenv` can be proven to persist;
// - every QEMU started here is killed on process exit, and a tiny watchdog kills
//   it even when the test worker itself is SIGKILLed.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, openSync, ftruncateSync, closeSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SerialPortStream } from '../../electron/host/transports/serial-port';

export const UBOOT_BIN = '/usr/lib/u-boot/qemu_arm64/u-boot.bin';
const QEMU = 'qemu-system-aarch64';
const INSTALL_HINT =
  'Install the real peers with: sudo bash test/setup/system-deps.sh ' +
  '(u-boot-qemu, and qemu-system-arm >= 10 from bookworm-backports: apt-get install -y -t bookworm-backports qemu-system-arm qemu-utils)';

/** Fails loudly (never skips) when U-Boot or a recent enough QEMU is missing. */
export function checkUBootPrerequisites(): void {
  const v = spawnSync(QEMU, ['--version'], { encoding: 'utf8' });
  if (v.error || v.status !== 0) throw new Error(`${QEMU} is not installed. ${INSTALL_HINT}`);
  const major = Number(/version (\d+)\./.exec(v.stdout)?.[1] ?? 0);
  if (major < 10) throw new Error(`${QEMU} is version ${major}; saveenv needs QEMU >= 10 (pflash write bug, QEMU issue 2343). ${INSTALL_HINT}`);
  if (!existsSync(UBOOT_BIN)) throw new Error(`${UBOOT_BIN} is missing. ${INSTALL_HINT}`);
}

const live = new Set<ChildProcess>();
const tempDirs = new Set<string>();
let hooked = false;
function hookExit(): void {
  if (hooked) return;
  hooked = true;
  process.on('exit', () => {
    for (const p of live) if (p.exitCode === null && p.signalCode === null) p.kill('SIGKILL');
    for (const d of tempDirs) rmSync(d, { recursive: true, force: true });
  });
}

/** Kills `pid` if this Node process dies without running its exit hooks; ends by itself when QEMU ends. */
function startWatchdog(pid: number): void {
  const script = `while kill -0 ${process.pid} 2>/dev/null && kill -0 ${pid} 2>/dev/null; do sleep 1; done; kill -9 ${pid} 2>/dev/null; exit 0`;
  const w = spawn('sh', ['-c', script], { stdio: 'ignore', detached: true });
  w.unref();
}

export interface UBootVmOptions {
  /** Reuse an existing 64 MiB flash image (the env survives); default: a fresh one in the VM's temp dir. */
  envImage?: string;
}

export class UBootVm {
  readonly dir: string;
  readonly envImage: string;
  private proc: ChildProcess | null = null;
  private port: SerialPortStream | null = null;
  private ptyPath = '';
  private stderr = '';

  constructor(opts: UBootVmOptions = {}) {
    checkUBootPrerequisites();
    hookExit();
    this.dir = mkdtempSync(join(tmpdir(), 'fwbench-uboot-'));
    tempDirs.add(this.dir);
    this.envImage = opts.envImage ?? join(this.dir, 'flash1.img');
    if (!existsSync(this.envImage)) {
      // A sparse 64 MiB file: U-Boot sees two CFI banks (nor0 at 0x0, nor1 at 0x04000000).
      const fd = openSync(this.envImage, 'w');
      ftruncateSync(fd, 64 * 1024 * 1024);
      closeSync(fd);
    }
  }

  get monitorPath(): string {
    return join(this.dir, 'mon.sock');
  }

  get consolePath(): string {
    return this.ptyPath;
  }

  get running(): boolean {
    return !!this.proc && this.proc.exitCode === null && this.proc.signalCode === null;
  }

  /**
   * Starts QEMU halted, opens the console pty, and returns the open stream.
   * The guest is still stopped: attach your reader, then call resume().
   */
  async start(): Promise<SerialPortStream> {
    if (this.running) throw new Error('U-Boot VM already running');
    rmSync(this.monitorPath, { force: true });
    this.stderr = '';
    const args = [
      '-machine', 'virt', '-cpu', 'cortex-a57', '-m', '512', '-display', 'none',
      '-bios', UBOOT_BIN, '-nic', 'none',
      '-monitor', `unix:${this.monitorPath},server=on,wait=off`,
      '-chardev', 'pty,id=con0', '-serial', 'chardev:con0',
      '-drive', `if=pflash,format=raw,index=1,file=${this.envImage}`,
      '-S',
    ];
    const proc = spawn(QEMU, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    this.proc = proc;
    live.add(proc);
    proc.once('exit', () => live.delete(proc));
    if (proc.pid) startWatchdog(proc.pid);

    const onOut = (b: Buffer) => (this.stderr += b.toString('utf8'));
    proc.stdout!.on('data', onOut);
    proc.stderr!.on('data', onOut);
    const deadline = Date.now() + 15_000;
    for (;;) {
      const m = /char device redirected to (\S+) \(label con0\)/.exec(this.stderr);
      if (m && existsSync(this.monitorPath)) {
        this.ptyPath = m[1];
        break;
      }
      if (!this.running) throw new Error(`QEMU exited at start: ${this.stderr.trim()}`);
      if (Date.now() > deadline) {
        await this.kill();
        throw new Error(`QEMU did not report its console pty: ${this.stderr.trim()}`);
      }
      await sleep(20);
    }
    this.port = await SerialPortStream.open(this.ptyPath, { baudRate: 115200 });
    return this.port;
  }

  /** Lets the halted guest run (`cont` on the monitor). */
  async resume(): Promise<void> {
    await this.monitor('cont');
  }

  /** Sends one monitor command and returns what the monitor printed up to its next prompt. */
  monitor(command: string): Promise<string> {
    return new Promise((resolve, reject) => {
      const sock = createConnection(this.monitorPath);
      let text = '';
      let sent = false;
      const timer = setTimeout(() => {
        sock.destroy();
        reject(new Error(`QEMU monitor did not answer "${command}": ${text}`));
      }, 10_000);
      sock.on('data', (b) => {
        text += b.toString('latin1');
        const prompts = text.split('(qemu) ').length - 1;
        if (!sent && prompts >= 1) {
          sent = true;
          sock.write(`${command}\n`);
        } else if (sent && prompts >= 2) {
          clearTimeout(timer);
          sock.end();
          resolve(text);
        }
      });
      sock.on('error', (e) => {
        clearTimeout(timer);
        reject(e);
      });
    });
  }

  /** Cuts the link the hard way (SIGKILL), like a board losing power; the pty disappears. */
  async kill(): Promise<void> {
    const p = this.proc;
    if (!p || !this.running) return;
    const exited = new Promise<void>((r) => p.once('exit', () => r()));
    p.kill('SIGKILL');
    await exited;
  }

  /** Closes our end of the console and stops QEMU. */
  async stop(): Promise<void> {
    const port = this.port;
    this.port = null;
    await this.kill();
    if (port) await port.close().catch(() => {});
  }

  /** Cold restart with the same flash image (proves what saveenv wrote); returns the new, halted stream. */
  async restart(): Promise<SerialPortStream> {
    await this.stop();
    return this.start();
  }

  /** Stops QEMU and removes the temp dir (the flash image with it unless it was passed in). */
  async dispose(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
    tempDirs.delete(this.dir);
  }

  /** What QEMU printed (for failure messages). */
  get qemuOutput(): string {
    return this.stderr;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
