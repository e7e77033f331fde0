// What the fwctl addon adds on top of the bare ioctl: the same FWCTL_INFO on
// the same open file, from a C loop (reference), through the addon's sync call
// and through its async (libuv pool) call, measured in one run.
// Without /dev/fwctl the file is /dev/null: the kernel answers FWCTL_INFO there
// with ENOTTY through the same ioctl syscall path, so the figure names say so.
import { execFile, spawn } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, rmSync, writeFileSync, constants as fsc } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { loadFwctl } from '../native/index';
import { FWCTL_INFO } from '../native/uapi';

const run = promisify(execFile);

export interface BenchFigure {
  value: number;
  unit: string;
  reference?: number;
  ratio?: number;
}

const SYNC_CALLS = 200_000;
const ASYNC_SEQUENTIAL = 4_000;
const ASYNC_CONCURRENT = 16_000;
const CONCURRENCY = 64;

// Loops FWCTL_INFO on fd 3 (handed over by the parent, so it is the very same
// open file) and prints nanoseconds per call.
const C_LOOP = `
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <time.h>
struct fwctl_info { uint32_t size, flags, out_device_type, device_data_len; uint64_t out_device_data __attribute__((aligned(8))); };
static double now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec * 1e9 + t.tv_nsec; }
int main(int argc, char **argv) {
  long n = atol(argv[1]);
  unsigned char data[16];
  volatile long failures = 0;
  for (long i = 0; i < n / 10; i++) { struct fwctl_info w = { sizeof w, 0, 0, sizeof data, (uintptr_t)data }; if (ioctl(3, ${FWCTL_INFO}, &w) < 0) failures++; }
  double t0 = now();
  for (long i = 0; i < n; i++) {
    struct fwctl_info info = { sizeof info, 0, 0, sizeof data, (uintptr_t)data };
    if (ioctl(3, ${FWCTL_INFO}, &info) < 0) failures++;
  }
  printf("%.3f\\n", (now() - t0) / n);
  return 0;
}
`;

async function cLoopNsPerCall(fd: number, calls: number): Promise<number> {
  const dir = mkdtempSync(path.join(tmpdir(), 'fwbench-bench-'));
  try {
    const src = path.join(dir, 'loop.c');
    const exe = path.join(dir, 'loop');
    writeFileSync(src, C_LOOP);
    await run('cc', ['-O2', '-o', exe, src]);
    const out = await new Promise<string>((resolve, reject) => {
      const child = spawn(exe, [String(calls)], { stdio: ['ignore', 'pipe', 'inherit', fd] });
      let text = '';
      child.stdout!.on('data', (d: Buffer) => (text += d.toString()));
      child.on('error', reject);
      child.on('close', (code) => (code === 0 ? resolve(text) : reject(new Error(`C loop exited ${code}`))));
    });
    return Number(out.trim());
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function benchFwctl(): Promise<Record<string, BenchFigure>> {
  const b = loadFwctl();
  if (!b.available) throw new Error(`fwctl addon unavailable: ${b.reason}`);

  const device = process.env.FWBENCH_BENCH_FWCTL_DEVICE ?? (existsSync('/dev/fwctl/fwctl0') ? '/dev/fwctl/fwctl0' : '/dev/null');
  const what = device === '/dev/null' ? 'FWCTL_INFO on /dev/null (ENOTTY, same syscall path; no fwctl device here)' : `FWCTL_INFO on ${device}`;
  const fd = openSync(device, fsc.O_RDWR);
  try {
    const data = new Uint8Array(16);
    const meta = new Uint32Array(2);
    const expected = b.infoSync(fd, data, meta); // same answer every call: 0 or -ENOTTY

    const c = await cLoopNsPerCall(fd, SYNC_CALLS);

    for (let i = 0; i < SYNC_CALLS / 10; i++) b.infoSync(fd, data, meta); // warm up
    let t0 = process.hrtime.bigint();
    for (let i = 0; i < SYNC_CALLS; i++) {
      if (b.infoSync(fd, data, meta) !== expected) throw new Error('FWCTL_INFO answered differently during the run');
    }
    const syncNs = Number(process.hrtime.bigint() - t0) / SYNC_CALLS;

    for (let i = 0; i < 200; i++) await b.info(fd, data, meta);
    t0 = process.hrtime.bigint();
    for (let i = 0; i < ASYNC_SEQUENTIAL; i++) await b.info(fd, data, meta);
    const asyncSeqNs = Number(process.hrtime.bigint() - t0) / ASYNC_SEQUENTIAL;

    t0 = process.hrtime.bigint();
    let next = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next++ < ASYNC_CONCURRENT) await b.info(fd, new Uint8Array(16), new Uint32Array(2));
      }),
    );
    const asyncConcNs = Number(process.hrtime.bigint() - t0) / ASYNC_CONCURRENT;

    const vsC = (ns: number): BenchFigure => ({ value: round(ns), unit: 'ns/call', reference: round(c), ratio: round(ns / c) });
    return {
      [`fwctl ioctl, C loop: ${what}`]: { value: round(c), unit: 'ns/call' },
      [`fwctl addon sync call vs C loop: ${what}`]: vsC(syncNs),
      [`fwctl addon async call, one at a time, vs C loop: ${what}`]: vsC(asyncSeqNs),
      [`fwctl addon async calls, ${CONCURRENCY} in flight, vs C loop: ${what}`]: vsC(asyncConcNs),
    };
  } finally {
    closeSync(fd);
  }
}

const round = (x: number) => Math.round(x * 100) / 100;
