// fwbench against a REAL kernel fwctl device: boots the test kernel once under
// QEMU (CXL type-3 device, TCG), runs test/kernel/guest/fwctl-checks.ts in the
// guest through fwbench's own host code, and asserts on what it reports.
// First run builds the kernel (~5 min on 2 free cores; cached afterwards).
// Skips only when QEMU cannot run here at all, and says why.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { constants, homedir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { qemuProblem, runInGuest, ensureKernel, type GuestResult } from '../vm/kernel/run-in-guest';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const problem = await qemuProblem();
if (problem) console.warn(`kernel suite skipped: QEMU cannot run the test guest here: ${problem}`);

const { EINVAL, EMSGSIZE } = constants.errno;
const CAP_SYS_RAWIO = 17n;
const PATROL_SCRUB = '96dad7d6-fde8-482b-a733-75774e06db8a';
const DDR5_ECS = 'e5b13f22-2328-4a14-b8ba-b9691e893386';

type Outcome<T = any> = { ok: true; value: T } | { ok: false; error: { code?: string; errno?: string; message: string; detail?: string } };

describe.skipIf(problem !== null)('fwctl on a real kernel (QEMU CXL type-3)', () => {
  let guest: GuestResult;
  let r: Record<string, any>;
  const ok = <T = any>(name: string): T => {
    const o = r[name] as Outcome<T>;
    if (!o.ok) throw new Error(`${name} failed in the guest: ${o.error.message} (${o.error.detail ?? ''})`);
    return o.value;
  };
  const refused = (name: string) => {
    const o = r[name] as Outcome;
    if (o.ok) throw new Error(`${name} was expected to be refused but succeeded: ${JSON.stringify(o.value)}`);
    return o.error;
  };

  beforeAll(async () => {
    await ensureKernel();
    execFileSync(process.execPath, [path.join(repo, 'native/build.mjs')], { stdio: 'inherit' });
    // Bundle the guest script so the slow TCG guest runs plain JS (no tsx);
    // it lives under the cache, not /tmp, which the guest mounts a tmpfs over.
    const dir = path.join(process.env.XDG_CACHE_HOME ?? path.join(homedir(), '.cache'), 'fwbench', `guest-${process.pid}`);
    mkdirSync(dir, { recursive: true });
    const bundle = path.join(dir, 'fwctl-checks.mjs');
    try {
      await build({
        entryPoints: [path.join(repo, 'test/kernel/guest/fwctl-checks.ts')],
        bundle: true,
        platform: 'node',
        format: 'esm',
        target: 'node20',
        outfile: bundle,
        logLevel: 'error',
      });
      guest = await runInGuest([process.execPath, bundle], {
        cwd: repo,
        timeoutMs: 600_000,
        env: { FWBENCH_FWCTL_ADDON: path.join(repo, 'native/build/Release/fwctl.node') },
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const line = guest.output.split('\n').find((l) => l.startsWith('FWBENCH-RESULT '));
    if (guest.code !== 0 || !line) {
      throw new Error(`guest script failed (exit ${guest.code}):\n${guest.output}\n--- console tail:\n${guest.console.split('\n').slice(-30).join('\n')}`);
    }
    r = JSON.parse(line.slice('FWBENCH-RESULT '.length));
    console.log(`guest run took ${guest.seconds.toFixed(1)} s`);
  });

  it('loads the addon in the guest and FWCTL_INFO reports a CXL device (type 2)', () => {
    expect(r.addon).toEqual({ available: true });
    expect(ok('info')).toMatchObject({ deviceType: 2, cxl: true });
  });

  it('lists the features QEMU offers, patrol scrub and DDR5 ECS, settable at debug-write-full', () => {
    const features = ok<{ uuid: string; changeable: boolean; setSize: number; requiredSetScope: string | null }[]>('features');
    const scrub = features.find((f) => f.uuid === PATROL_SCRUB);
    const ecs = features.find((f) => f.uuid === DDR5_ECS);
    expect(scrub, JSON.stringify(features)).toBeDefined();
    expect(ecs, JSON.stringify(features)).toBeDefined();
    // Changeable with a non-zero set size: the test kernel's one change left them to user space.
    expect(scrub).toMatchObject({ changeable: true, requiredSetScope: 'debug-write-full' });
    expect(scrub!.setSize).toBeGreaterThan(0);
  });

  it('reads patrol scrub with Get Feature', () => {
    const before = ok<{ hex: string; decoded: { cycleHours: number; minCycleHours: number } }>('scrubBefore');
    expect(before.hex).toMatch(/^[0-9a-f]{8}$/);
    expect(before.decoded.cycleHours).toBeGreaterThanOrEqual(before.decoded.minCycleHours);
    expect(before.decoded.cycleHours).not.toBe(24); // so the Set below is a visible change
  });

  it('refuses Set Feature at debug-write with the kernel\'s EINVAL, and taints the kernel (bit 19) only from then', () => {
    expect(r.taintedBefore).toBe(false);
    const e = refused('setAtDebugWrite');
    expect(e.errno).toBe('EINVAL');
    expect(e.code).toBe('invalid-params');
    expect(r.taintedAfterDebugWrite).toBe(true);
  });

  it('sets patrol scrub at debug-write-full and reads the new value back', () => {
    ok('setAtDebugWriteFull');
    const before = ok<{ hex: string }>('scrubBefore');
    const after = ok<{ hex: string; decoded: { cycleHours: number; enabled: boolean } }>('scrubAfter');
    expect(after.hex).not.toBe(before.hex);
    expect(after.decoded).toMatchObject({ cycleHours: 24, enabled: true });
  });

  it('refuses an opcode the CXL driver does not pass through (EINVAL)', () => {
    const e = refused('unknownOpcode');
    expect(e.errno).toBe('EINVAL');
  });

  it('refuses an RPC over 2 MiB before the ioctl, and the kernel gives EMSGSIZE on the raw path', () => {
    const e = refused('oversizeTransport');
    expect(e.code).toBe('invalid-params');
    expect(e.errno).toBeUndefined(); // fwbench's refusal, not the kernel's
    expect(e.message).toMatch(/2 MiB/);
    const raw = ok<{ inResult: number; outResult: number; atLimit: number }>('oversizeRaw');
    expect(raw.inResult).toBe(-EMSGSIZE);
    expect(raw.outResult).toBe(-EMSGSIZE);
    expect(raw.atLimit).toBeGreaterThanOrEqual(0); // exactly 2 MiB is allowed
  });

  it('gets EPERM for debug-write-full without CAP_SYS_RAWIO', () => {
    const probe = ok<{ capEff: string; rpc: Outcome }>('withoutRawio');
    expect((BigInt(`0x${probe.capEff}`) >> CAP_SYS_RAWIO) & 1n).toBe(0n);
    expect((BigInt(`0x${r.withRawioCapEff}`) >> CAP_SYS_RAWIO) & 1n).toBe(1n);
    expect(probe.rpc.ok).toBe(false);
    if (probe.rpc.ok) return;
    expect(probe.rpc.error.errno).toBe('EPERM');
    expect(probe.rpc.error.code).toBe('permission-denied');
  });

  it('uploads a 4 KiB firmware image through /sys/class/firmware/mem0 with decreasing progress and no error', () => {
    const done = ok<{ seconds: number; error: string }>('firmwareUpload');
    expect(done.error).toBe('');
    const progress = r.firmwareProgress as { phase: string; remaining: number; total: number }[];
    expect(progress.every((p) => p.total === 4096)).toBe(true);
    const device = progress.filter((p) => p.phase !== 'writing' && p.phase !== 'idle');
    expect(device.length, JSON.stringify(progress)).toBeGreaterThan(1);
    for (let i = 1; i < device.length; i++) expect(device[i].remaining).toBeLessThanOrEqual(device[i - 1].remaining);
    expect(device[0].remaining).toBeGreaterThan(device[device.length - 1].remaining);
    expect(progress[progress.length - 1]).toMatchObject({ phase: 'idle', remaining: 0 });
  });
});
