// Real U-Boot (Debian u-boot-qemu 2023.01) under QEMU >= 10 with its console
// on a pty, for the `uboot` test project, on several boards (UBOOT_BOARDS).
// See /work/shared/notes/uboot-qemu.md for why it is started this way:
// - `-S` + `cont` on the monitor: output written before the pty is opened is
//   lost, so the guest only runs once our port is open;
// - on the arm `virt` boards the env lives in the second CFI bank (pflash
//   index 1), a file we keep across restarts so `saveenv` can be proven to persist;
// - every QEMU started here is killed on process exit, and a tiny watchdog kills
//   it even when the test worker itself is SIGKILLed.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, openSync, ftruncateSync, closeSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SerialPortStream } from '../../electron/host/transports/serial-port';

/**
 * One U-Boot board as QEMU runs it, and what the real board is known to do
 * (measured by running it; the tests compare fwbench's findings with these,
 * fwbench itself knows none of it).
 */
export interface UBootBoard {
  /** The u-boot-qemu directory name (/usr/lib/u-boot/<id>). */
  id: string;
  qemu: string;
  machine: string[];
  /** What QEMU loads with -bios. */
  firmware: string;
  /** Attach a 64 MiB file as pflash bank 2 (where qemu_arm/qemu_arm64 keep their env). */
  envFlash: boolean;
  expect: {
    /** U-Boot's board_name. */
    boardName: string;
    /** `Build = 32-bit` / `64-bit` in bdinfo. */
    build: '32-bit' | '64-bit';
    loadAddr: number;
    /** Digits of an address in bdinfo (8 on 32-bit builds, 16 on 64-bit). */
    addrDigits: 8 | 16;
    dramStart: number;
    dramSize: number;
    /** "Loading Environment from X..." */
    envLocation: 'Flash' | 'nowhere';
    /** Bytes U-Boot reserves for the env (printenv's size line). */
    envTotal: number;
    /** bdinfo flashsize (0 = no NOR flash). */
    flashSize: number;
    /** fwbench ships a flash recipe for this board. */
    flashRecipe: boolean;
    /** A compiler name in `version`. */
    toolchain: RegExp;
  };
  /** YMODEM test size: big on the primary board, small on the rest (about 80 KiB/s over a pty). */
  transferBytes: number;
}

const INSTALL_HINT =
  'Install the real peers with: sudo bash test/setup/system-deps.sh ' +
  '(u-boot-qemu, and qemu-system-arm/-misc/-x86 >= 10 from bookworm-backports)';

export const UBOOT_BOARDS: Record<string, UBootBoard> = {
  qemu_arm64: {
    id: 'qemu_arm64',
    qemu: 'qemu-system-aarch64',
    machine: ['-machine', 'virt', '-cpu', 'cortex-a57', '-m', '512'],
    firmware: '/usr/lib/u-boot/qemu_arm64/u-boot.bin',
    envFlash: true,
    expect: {
      boardName: 'qemu-arm', build: '64-bit', loadAddr: 0x40200000, addrDigits: 16, dramStart: 0x40000000, dramSize: 0x20000000,
      envLocation: 'Flash', envTotal: 262140, flashSize: 0x04000000, flashRecipe: true, toolchain: /aarch64-linux-gnu-gcc/,
    },
    transferBytes: 1024 * 1024,
  },
  qemu_arm: {
    id: 'qemu_arm',
    qemu: 'qemu-system-arm',
    machine: ['-machine', 'virt', '-m', '512'],
    firmware: '/usr/lib/u-boot/qemu_arm/u-boot.bin',
    envFlash: true,
    expect: {
      boardName: 'qemu-arm', build: '32-bit', loadAddr: 0x40200000, addrDigits: 8, dramStart: 0x40000000, dramSize: 0x20000000,
      envLocation: 'Flash', envTotal: 262140, flashSize: 0x04000000, flashRecipe: true, toolchain: /arm-linux-gnueabihf-gcc/,
    },
    transferBytes: 64 * 1024,
  },
  'qemu-riscv64': {
    id: 'qemu-riscv64',
    qemu: 'qemu-system-riscv64',
    machine: ['-machine', 'virt', '-m', '512'],
    firmware: '/usr/lib/u-boot/qemu-riscv64/u-boot.bin',
    envFlash: false,
    expect: {
      boardName: 'qemu-riscv', build: '64-bit', loadAddr: 0x80200000, addrDigits: 16, dramStart: 0x80000000, dramSize: 0x20000000,
      envLocation: 'nowhere', envTotal: 131068, flashSize: 0x02000000, flashRecipe: false, toolchain: /riscv64-linux-gnu-gcc/,
    },
    transferBytes: 64 * 1024,
  },
  'qemu-x86_64': {
    id: 'qemu-x86_64',
    qemu: 'qemu-system-x86_64',
    machine: ['-m', '512'],
    firmware: '/usr/lib/u-boot/qemu-x86_64/u-boot.rom',
    envFlash: false,
    expect: {
      boardName: 'qemu-x86', build: '64-bit', loadAddr: 0x02000000, addrDigits: 16, dramStart: 0, dramSize: 0x20000000,
      envLocation: 'nowhere', envTotal: 262140, flashSize: 0, flashRecipe: false, toolchain: /x86_64-linux-gnu-gcc/,
    },
    transferBytes: 64 * 1024,
  },
};

/** The boards to test: all, or the comma-separated UBOOT_BOARDS (e.g. UBOOT_BOARDS=qemu_arm64). */
export function ubootBoards(): UBootBoard[] {
  const wanted = process.env.UBOOT_BOARDS?.split(',').map((s) => s.trim()).filter(Boolean);
  if (!wanted) return Object.values(UBOOT_BOARDS);
  const unknown = wanted.filter((w) => !UBOOT_BOARDS[w]);
  if (unknown.length) throw new Error(`UBOOT_BOARDS names unknown board(s) ${unknown.join(', ')}; known: ${Object.keys(UBOOT_BOARDS).join(', ')}`);
  return wanted.map((w) => UBOOT_BOARDS[w]);
}

/** The board most of the host/CLI tests run on: the one with env in flash and a flash recipe. */
export const PRIMARY_BOARD = UBOOT_BOARDS.qemu_arm64;
export const UBOOT_BIN = PRIMARY_BOARD.firmware;

/** Fails loudly (never skips) when U-Boot or a recent enough QEMU is missing. */
export function checkUBootPrerequisites(board: UBootBoard = PRIMARY_BOARD): void {
  const v = spawnSync(board.qemu, ['--version'], { encoding: 'utf8' });
  if (v.error || v.status !== 0) throw new Error(`${board.qemu} is not installed. ${INSTALL_HINT}`);
  const major = Number(/version (\d+)\./.exec(v.stdout)?.[1] ?? 0);
  if (major < 10) throw new Error(`${board.qemu} is version ${major}; saveenv needs QEMU >= 10 (pflash write bug, QEMU issue 2343). ${INSTALL_HINT}`);
  if (!existsSync(board.firmware)) throw new Error(`${board.firmware} is missing. ${INSTALL_HINT}`);
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
  /** Which board (default: qemu_arm64). */
  board?: UBootBoard;
  /** Reuse an existing 64 MiB flash image (the env survives); default: a fresh one in the VM's temp dir. */
  envImage?: string;
}

export class UBootVm {
  readonly dir: string;
  readonly envImage: string;
  readonly board: UBootBoard;
  private proc: ChildProcess | null = null;
  private port: SerialPortStream | null = null;
  private ptyPath = '';
  private stderr = '';

  constructor(opts: UBootVmOptions = {}) {
    this.board = opts.board ?? PRIMARY_BOARD;
    checkUBootPrerequisites(this.board);
    hookExit();
    this.dir = mkdtempSync(join(tmpdir(), 'fwbench-uboot-'));
    tempDirs.add(this.dir);
    this.envImage = opts.envImage ?? join(this.dir, 'flash1.img');
    if (this.board.envFlash && !existsSync(this.envImage)) {
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
      ...this.board.machine, '-display', 'none',
      '-bios', this.board.firmware, '-nic', 'none',
      '-monitor', `unix:${this.monitorPath},server=on,wait=off`,
      '-chardev', 'pty,id=con0', '-serial', 'chardev:con0',
      ...(this.board.envFlash ? ['-drive', `if=pflash,format=raw,index=1,file=${this.envImage}`] : []),
      '-S',
    ];
    const proc = spawn(this.board.qemu, args, { stdio: ['ignore', 'pipe', 'pipe'] });
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
