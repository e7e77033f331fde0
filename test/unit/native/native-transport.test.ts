// The addon and the native transport against /dev/null: a real fd whose ioctls
// the kernel answers with ENOTTY, so every call crosses the real syscall path.
import { constants } from 'node:os';
import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { openNativeFwctl } from '../../../electron/host/fwctl/native-transport';
import { FwctlErrnoError } from '../../../electron/host/fwctl/errno';
import { FWCTL_MAX_RPC_LEN } from '../../../electron/host/fwctl/transport';
import type { FwctlBinding } from '../../../native/index';

const { ENOTTY, ENOENT, EBADF, EISDIR } = constants.errno;
let b: FwctlBinding;

beforeAll(async () => {
  execFileSync(process.execPath, ['native/build.mjs'], { stdio: 'pipe' });
  const { loadFwctl } = await import('../../../native/index');
  const n = loadFwctl();
  if (!n.available) throw new Error(`addon not available: ${n.reason}`);
  b = n;
});

async function expectHostError(p: Promise<unknown>, code: string, errno?: number) {
  const e = await p.then(
    () => {
      throw new Error('expected a rejection');
    },
    (err) => err,
  );
  expect(e.code).toBe(code);
  if (errno === undefined) expect(e).not.toBeInstanceOf(FwctlErrnoError);
  else expect((e as FwctlErrnoError).errno).toBe(errno);
  return e;
}

describe('fwctl addon (raw binding)', () => {
  it('opens, returns -errno from ioctls and closes, sync and async', async () => {
    const fd = b.openSync('/dev/null');
    expect(fd).toBeGreaterThanOrEqual(0);
    const meta = new Uint32Array(2);
    expect(b.infoSync(fd, new Uint8Array(16), meta)).toBe(-ENOTTY);
    expect(b.rpcSync(fd, 0, new Uint8Array(8), new Uint8Array(8))).toBe(-ENOTTY);
    const pending = b.info(fd, new Uint8Array(16), meta);
    expect(pending).toBeInstanceOf(Promise);
    expect(await pending).toBe(-ENOTTY);
    expect(await b.rpc(fd, 3, new Uint8Array(8), new Uint8Array(8))).toBe(-ENOTTY);
    expect(await b.close(fd)).toBe(0);
    expect(b.closeSync(fd)).toBe(-EBADF);
  });

  it('reports open errors as -errno', async () => {
    expect(b.openSync('/nonexistent/fwctl0')).toBe(-ENOENT);
    expect(await b.open('/')).toBe(-EISDIR);
  });

  it('rejects arguments of the wrong type with TypeError', () => {
    const fd = b.openSync('/dev/null');
    try {
      expect(() => b.rpcSync(fd, 0, [1, 2] as unknown as Uint8Array, new Uint8Array(1))).toThrow(/argument 2 must be a Uint8Array/);
      expect(() => b.rpcSync(fd, 0, new Uint8Array(1), new Uint16Array(1) as unknown as Uint8Array)).toThrow(/argument 3 must be a Uint8Array/);
      expect(() => b.infoSync(fd, new Uint8Array(1), new Uint32Array(1))).toThrow(/Uint32Array of length >= 2/);
      expect(() => b.info('x' as unknown as number, new Uint8Array(1), new Uint32Array(2))).toThrow(/file descriptor/);
      expect(() => b.openSync(3 as unknown as string)).toThrow(/path must be a string/);
    } finally {
      b.closeSync(fd);
    }
  });

  it('runs many async calls concurrently on the pool', async () => {
    const fd = b.openSync('/dev/null');
    const results = await Promise.all(Array.from({ length: 64 }, () => b.rpc(fd, 0, new Uint8Array(4), new Uint8Array(4))));
    expect(results.every((r) => r === -ENOTTY)).toBe(true);
    b.closeSync(fd);
  });
});

describe('openNativeFwctl', () => {
  it('maps ENOTTY from FWCTL_INFO/FWCTL_RPC to not-supported', async () => {
    const t = await openNativeFwctl('/dev/null');
    expect(t.simulated).toBe(false);
    const e = await expectHostError(t.info(), 'not-supported', ENOTTY);
    expect(e.detail).toContain('FWCTL_INFO on /dev/null failed: ENOTTY');
    await expectHostError(t.rpc('debug-read-only', new Uint8Array(16), 64), 'not-supported', ENOTTY);
    await t.close();
  });

  it('refuses in or out over 2 MiB before the ioctl (no ENOTTY comes back)', async () => {
    const t = await openNativeFwctl('/dev/null');
    const e = await expectHostError(t.rpc('configuration', new Uint8Array(FWCTL_MAX_RPC_LEN + 1), 16), 'invalid-params');
    expect(e.message).toMatch(/2 MiB.*not sent/);
    await expectHostError(t.rpc('configuration', new Uint8Array(16), FWCTL_MAX_RPC_LEN + 1), 'invalid-params');
    // exactly 2 MiB is allowed through to the kernel
    await expectHostError(t.rpc('configuration', new Uint8Array(16), FWCTL_MAX_RPC_LEN), 'not-supported', ENOTTY);
    await t.close();
  });

  it('refuses a bad scope, a bad reply size and non-byte requests', async () => {
    const t = await openNativeFwctl('/dev/null');
    await expectHostError(t.rpc('root' as never, new Uint8Array(1), 1), 'invalid-params');
    await expectHostError(t.rpc('configuration', new Uint8Array(1), -1), 'invalid-params');
    await expectHostError(t.rpc('configuration', new Uint8Array(1), 1.5), 'invalid-params');
    await expectHostError(t.rpc('configuration', 'abc' as never, 1), 'invalid-params');
    await t.close();
  });

  it('says no such device for a missing path', async () => {
    await expectHostError(openNativeFwctl('/dev/fwctl/no-such-fwctl'), 'unknown-device', ENOENT);
  });

  it('refuses calls after close and closes only once, after calls in flight', async () => {
    const t = await openNativeFwctl('/dev/null');
    const inFlight = t.rpc('configuration', new Uint8Array(4), 4).catch((e) => e.code);
    await t.close();
    expect(await inFlight).toBe('not-supported'); // it completed on the fd before the close
    await expectHostError(t.info(), 'device-gone');
    await t.close();
  });
});

describe('native/index loader', () => {
  let dir: string;
  beforeAll(() => (dir = mkdtempSync(path.join(tmpdir(), 'fwbench-addon-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  afterEach(() => {
    delete process.env.FWBENCH_FWCTL_ADDON;
    vi.resetModules();
  });

  it('reports a missing addon instead of throwing', async () => {
    process.env.FWBENCH_FWCTL_ADDON = path.join(dir, 'missing.node');
    vi.resetModules();
    const { loadFwctl } = await import('../../../native/index');
    const n = loadFwctl();
    expect(n.available).toBe(false);
    if (!n.available) expect(n.reason).toMatch(/not built.*missing\.node/);
  });

  it('reports an addon that does not load instead of throwing', async () => {
    const bogus = path.join(dir, 'bogus.node');
    writeFileSync(bogus, 'not an ELF file');
    process.env.FWBENCH_FWCTL_ADDON = bogus;
    vi.resetModules();
    const { loadFwctl } = await import('../../../native/index');
    const n = loadFwctl();
    expect(n.available).toBe(false);
    if (!n.available) expect(n.reason).toMatch(/could not be loaded/);
  });
});
