// YMODEM upload to real U-Boot (qemu_arm64 under QEMU, console on a pty):
// fwbench's sender (UBootAdapter.loadY) against lrzsz `sb -k` sending the same
// file to the same U-Boot in the same run. Both are timed the same way: from
// typing `loady` (so the wait for U-Boot's first 'C' is included) to U-Boot's
// prompt after "## Total Size". Each side runs ROUNDS times, alternating; the
// best round of each is compared. Every transfer is checked by U-Boot's CRC-32.
// A third figure compares against sb started before `loady` (lrzsz's best case).
// Where the difference comes from: U-Boot sends one 'C' at once and then one
// every ~4.5 s, and after ACKing the YMODEM header it sends no 'C' at all.
// sb purges its input at start (so misses the first 'C' when started after
// `loady`) and waits for a 'C' after the header (one more ~4.5 s); fwbench's
// sender listens before `loady` and goes on 300 ms after the header's ACK.
import { spawn } from 'node:child_process';
import { closeSync, openSync, writeFileSync, constants as fsc } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { ReadStream } from 'node:tty';
import { spawnSync } from 'node:child_process';
import { UBootVm } from '../test/support/uboot-vm';
import { UBootAdapter, crc32 } from '../electron/host/protocols/uboot';
import { SerialPortStream } from '../electron/host/transports/serial-port';
import { round, type Figures } from './figures';

const SIZE = 256 * 1024;
const ROUNDS = 3;
const PROMPT_AFTER_LOAD = /## Total Size\s*=\s*0x([0-9a-f]+)[^\n]*\n[\s\S]*?=> $/i;

/** fwbench: loadY; the clock stops when U-Boot's prompt is back (loadY's next step is the CRC check, not timed). */
async function fwbenchRound(uboot: UBootAdapter, image: Uint8Array): Promise<number> {
  let stopped = 0;
  const t0 = performance.now();
  const r = await uboot.loadY(image, {
    name: 'bench.bin',
    onProgress: (p) => {
      if (p.step === 'verify-load' && stopped === 0) stopped = performance.now();
    },
  });
  if (r.size !== image.length || r.crc !== crc32(image)) throw new Error('fwbench: U-Boot did not get the image intact');
  return stopped - t0;
}

/**
 * lrzsz: our port is closed (so it reads nothing), `loady` is written on a
 * plain fd and `sb` runs with that fd as stdin and stdout.
 * - 'after-loady' (the way an operator does it in a terminal, and the main
 *   figure): `loady` first, then sb. sb purges its input when it starts
 *   (lrzsz purgeline), so U-Boot's first 'C' is lost and it waits for the next.
 * - 'prestarted' (lrzsz's best case, reported beside it): sb is started and
 *   given 300 ms to settle before the clock starts and `loady` is typed.
 */
async function lrzszRound(pty: string, file: string, mode: 'after-loady' | 'prestarted'): Promise<{ ms: number; size: number }> {
  const fd = openSync(pty, fsc.O_RDWR | fsc.O_NOCTTY);
  let tty: ReadStream | null = null;
  try {
    let t0 = performance.now();
    if (mode === 'after-loady') writeFileSync(fd, 'loady\n');
    const sb = spawn('sb', ['-k', file], { stdio: [fd, fd, 'pipe'] });
    let sbErr = '';
    sb.stderr!.on('data', (b) => (sbErr += b.toString()));
    if (mode === 'prestarted') {
      await new Promise((r) => setTimeout(r, 300));
      t0 = performance.now();
      writeFileSync(fd, 'loady\n');
    }
    const code = await new Promise<number>((resolve, reject) => {
      sb.once('error', reject);
      sb.once('exit', (c) => resolve(c ?? -1));
    });
    if (code !== 0) throw new Error(`sb exited with ${code}: ${sbErr.trim().slice(-300)}`);
    // What U-Boot printed after the last ACK is still queued; read it now that sb is gone.
    tty = new ReadStream(fd);
    tty.setRawMode(true);
    let text = '';
    const m = await new Promise<RegExpExecArray>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no prompt after sb: ${JSON.stringify(text.slice(-200))}`)), 15_000);
      tty!.on('data', (b: Buffer) => {
        text += b.toString('latin1');
        const hit = PROMPT_AFTER_LOAD.exec(text);
        if (hit) {
          clearTimeout(timer);
          resolve(hit);
        }
      });
    });
    return { ms: performance.now() - t0, size: parseInt(m[1], 16) };
  } finally {
    if (tty) {
      tty.pause();
      tty.destroy(); // closes fd
    } else closeSync(fd);
  }
}

export async function benchYmodem(): Promise<Figures> {
  if (spawnSync('sb', ['--version']).error) throw new Error('lrzsz (sb) is not installed: sudo bash test/setup/system-deps.sh');
  const vm = new UBootVm();
  const dir = vm.dir;
  const image = new Uint8Array(randomBytes(SIZE));
  const file = join(dir, 'bench.bin');
  writeFileSync(file, image);
  const ours: number[] = [];
  const theirs: number[] = [];
  const prestarted: number[] = [];
  let keeper = -1;
  try {
    let port = await vm.start();
    // Held open the whole run and never read: QEMU polls a pty it thinks is
    // disconnected only once a second, which would delay whichever side opened next.
    keeper = openSync(vm.consolePath, fsc.O_RDWR | fsc.O_NOCTTY);
    let uboot = UBootAdapter.over(port);
    const detecting = uboot.detect({ timeoutMs: 20_000 }).catch(() => ({ detected: false }));
    await vm.resume();
    // On a loaded machine the first answer can be slow; one more try from the prompt.
    if (!(await detecting).detected && !(await uboot.detect({ timeoutMs: 20_000 })).detected) throw new Error('U-Boot did not come up in QEMU');
    for (let round = 0; round < ROUNDS; round++) {
      ours.push(await fwbenchRound(uboot, image));
      uboot.console.dispose();
      await port.close();
      for (const mode of ['after-loady', 'prestarted'] as const) {
        const lr = await lrzszRound(vm.consolePath, file, mode);
        if (lr.size !== SIZE) throw new Error(`lrzsz: U-Boot received ${lr.size} bytes, not ${SIZE}`);
        (mode === 'after-loady' ? theirs : prestarted).push(lr.ms);
        port = await SerialPortStream.open(vm.consolePath);
        uboot = UBootAdapter.over(port);
        // Proves sb's upload arrived intact (outside the timing), and resynchronises at the prompt.
        if ((await uboot.detect()).detected !== true) throw new Error('U-Boot prompt lost after sb');
        if ((await uboot.crc32(0x40200000, SIZE)) !== crc32(image)) throw new Error("lrzsz: the image in U-Boot's RAM differs (CRC-32)");
        if (mode === 'after-loady') {
          uboot.console.dispose();
          await port.close();
        }
      }
    }
    uboot.console.dispose();
    await port.close();
  } finally {
    if (keeper >= 0) closeSync(keeper);
    await vm.dispose();
  }
  const best = (xs: number[]) => Math.min(...xs);
  const kibs = (ms: number) => SIZE / 1024 / (ms / 1000);
  const fw = best(ours);
  const lr = best(theirs);
  const pre = best(prestarted);
  return {
    'ymodem.uboot.256k.throughput': { value: round(kibs(fw), 1), unit: 'KiB/s', reference: round(kibs(lr), 1), ratio: round(kibs(fw) / kibs(lr), 2) },
    'ymodem.uboot.256k.time': { value: round(fw, 0), unit: 'ms', reference: round(lr, 0), ratio: round(fw / lr, 2) },
    'ymodem.uboot.256k.throughput.vs-sb-prestarted': { value: round(kibs(fw), 1), unit: 'KiB/s', reference: round(kibs(pre), 1), ratio: round(kibs(fw) / kibs(pre), 2) },
  };
}
