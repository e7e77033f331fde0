// Loads the fwctl N-API addon (native/build/Release/fwctl.node). Never throws:
// without the addon (no toolchain at build time, other OS) callers get
// { available: false, reason } and fwbench reports fwctl as unavailable.
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

/**
 * The raw binding. Every call returns the kernel's convention: a value >= 0 on
 * success, -errno on failure (errno read right after the syscall). Arguments
 * of the wrong type throw TypeError. Async calls run on the libuv pool.
 */
export interface FwctlBinding {
  readonly available: true;
  /** Where the addon was loaded from. */
  readonly file: string;
  /** open(path, O_RDWR | O_CLOEXEC): fd or -errno. */
  open(path: string): Promise<number>;
  openSync(path: string): number;
  close(fd: number): Promise<number>;
  closeSync(fd: number): number;
  /**
   * FWCTL_INFO: 0 or -errno. Copies up to deviceData.length bytes of the
   * device's info blob; meta[0] = device type, meta[1] = the blob's full length.
   */
  info(fd: number, deviceData: Uint8Array, meta: Uint32Array): Promise<number>;
  infoSync(fd: number, deviceData: Uint8Array, meta: Uint32Array): number;
  /**
   * FWCTL_RPC with in_len = input.length and out_len = output.length: the
   * out_len the kernel reported, or -errno. No size policy here: the transport
   * refuses oversize RPCs, this raw path lets tests reach the kernel's own checks.
   */
  rpc(fd: number, scope: number, input: Uint8Array, output: Uint8Array): Promise<number>;
  rpcSync(fd: number, scope: number, input: Uint8Array, output: Uint8Array): number;
}

export interface FwctlUnavailable {
  readonly available: false;
  readonly reason: string;
}

export type FwctlNative = FwctlBinding | FwctlUnavailable;

let loaded: FwctlNative | undefined;

/** Where the built addon lives; FWBENCH_FWCTL_ADDON overrides (packaged app). */
export function addonPath(): string {
  const override = process.env.FWBENCH_FWCTL_ADDON;
  if (override) return override;
  // From source this module sits in native/; bundled, in dist/host or dist/electron.
  const here = path.dirname(fileURLToPath(import.meta.url));
  const candidates = [path.join(here, 'build', 'Release', 'fwctl.node'), path.join(here, '..', '..', 'native', 'build', 'Release', 'fwctl.node')];
  return candidates.find((c) => existsSync(c)) ?? candidates[0];
}

export function loadFwctl(): FwctlNative {
  if (loaded) return loaded;
  if (process.platform !== 'linux') {
    return (loaded = { available: false, reason: `fwctl is a Linux interface; this is ${process.platform}.` });
  }
  const file = addonPath();
  if (!existsSync(file)) {
    return (loaded = {
      available: false,
      reason: `The fwctl native addon is not built (${file} is missing); run "node native/build.mjs".`,
    });
  }
  try {
    const require = createRequire(import.meta.url);
    const raw = require(file) as Omit<FwctlBinding, 'available' | 'file'>;
    for (const fn of ['open', 'openSync', 'close', 'closeSync', 'info', 'infoSync', 'rpc', 'rpcSync'] as const) {
      if (typeof raw[fn] !== 'function') throw new Error(`the addon lacks ${fn}()`);
    }
    return (loaded = Object.freeze({ ...raw, available: true as const, file }));
  } catch (err) {
    return (loaded = {
      available: false,
      reason: `The fwctl native addon could not be loaded from ${file}: ${(err as Error).message}`,
    });
  }
}
