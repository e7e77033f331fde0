import type { Scope } from '../../contract/scopes';

/** What FWCTL_INFO returns: the driver's type and its device-specific info blob. */
export interface FwctlInfo {
  /** enum fwctl_device_type: 1 mlx5, 2 CXL, 3 bnxt, 4 pds. */
  deviceType: number;
  deviceData: Uint8Array;
}

/**
 * One open fwctl device. The native addon (real /dev/fwctl/fwctlN), the
 * simulated CXL device and a replayed transcript all implement this, so the
 * device formats above never know which one they talk to.
 */
export interface FwctlTransport {
  info(): Promise<FwctlInfo>;
  /**
   * FWCTL_RPC at `scope`. The output buffer holds `outLen` bytes; the result is
   * trimmed to the out_len the kernel reported back.
   */
  rpc(scope: Scope, request: Uint8Array, outLen: number): Promise<Uint8Array>;
  close(): Promise<void>;
  /** True for anything that is not a real kernel device. */
  readonly simulated: boolean;
}

/** The fwctl core refuses larger in_len/out_len with EMSGSIZE (drivers/fwctl/main.c, MAX_RPC_LEN). */
export const FWCTL_MAX_RPC_LEN = 2 * 1024 * 1024;
