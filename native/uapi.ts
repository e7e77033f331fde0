// The fwctl uAPI (include/uapi/fwctl/fwctl.h, Linux >= 6.15) as TypeScript.
// native/src/fwctl.cc spells out the same structs; LAYOUT_CHECKS below is
// compiled against Debian's linux-libc-dev headers by test/conformance, so a
// drift between this file and the kernel fails a test that names the field.

export const FWCTL_TYPE = 0x9a;
/** _IO(0x9A, 0): no size in the number; the struct carries its own size. */
export const FWCTL_INFO = 0x9a00;
/** _IO(0x9A, 1). */
export const FWCTL_RPC = 0x9a01;

/** enum fwctl_device_type. */
export const FWCTL_DEVICE_TYPE = {
  error: 0,
  mlx5: 1,
  cxl: 2,
  bnxt: 3,
  pds: 4,
} as const;
export type FwctlDeviceTypeName = keyof typeof FWCTL_DEVICE_TYPE;

export function deviceTypeName(type: number): FwctlDeviceTypeName | 'unknown' {
  const hit = (Object.keys(FWCTL_DEVICE_TYPE) as FwctlDeviceTypeName[]).find((k) => FWCTL_DEVICE_TYPE[k] === type);
  return hit ?? 'unknown';
}

/** enum fwctl_rpc_scope (the contract's FWCTL_SCOPE_VALUE holds the same numbers by scope name). */
export const FWCTL_RPC_SCOPE = {
  configuration: 0,
  debugReadOnly: 1,
  debugWrite: 2,
  debugWriteFull: 3,
} as const;

/** struct fwctl_info: u32 size, flags, out_device_type, device_data_len; aligned_u64 out_device_data. */
export const FWCTL_INFO_LAYOUT = {
  size: 24,
  offsets: { size: 0, flags: 4, out_device_type: 8, device_data_len: 12, out_device_data: 16 },
} as const;

/** struct fwctl_rpc: u32 size, scope, in_len, out_len; aligned_u64 in, out (user addresses). */
export const FWCTL_RPC_LAYOUT = {
  size: 32,
  offsets: { size: 0, scope: 4, in_len: 8, out_len: 12, in: 16, out: 24 },
} as const;

/** TAINT_FWCTL: bit 19 of /proc/sys/kernel/tainted, set by the first debug-write RPC. */
export const TAINT_FWCTL_BIT = 19;

export interface LayoutCheck {
  /** A C expression over the uAPI headers. */
  c: string;
  value: number;
}

function structChecks(struct: string, layout: { size: number; offsets: Record<string, number> }): LayoutCheck[] {
  return [
    { c: `sizeof(struct ${struct})`, value: layout.size },
    ...Object.entries(layout.offsets).map(([field, value]) => ({ c: `offsetof(struct ${struct}, ${field})`, value })),
  ];
}

/** Every number above, as C expressions over <fwctl/fwctl.h>. */
export const LAYOUT_CHECKS: LayoutCheck[] = [
  { c: 'FWCTL_TYPE', value: FWCTL_TYPE },
  { c: 'FWCTL_INFO', value: FWCTL_INFO },
  { c: 'FWCTL_RPC', value: FWCTL_RPC },
  ...Object.entries(FWCTL_DEVICE_TYPE).map(([name, value]) => ({ c: `FWCTL_DEVICE_TYPE_${name.toUpperCase()}`, value })),
  { c: 'FWCTL_RPC_CONFIGURATION', value: FWCTL_RPC_SCOPE.configuration },
  { c: 'FWCTL_RPC_DEBUG_READ_ONLY', value: FWCTL_RPC_SCOPE.debugReadOnly },
  { c: 'FWCTL_RPC_DEBUG_WRITE', value: FWCTL_RPC_SCOPE.debugWrite },
  { c: 'FWCTL_RPC_DEBUG_WRITE_FULL', value: FWCTL_RPC_SCOPE.debugWriteFull },
  ...structChecks('fwctl_info', FWCTL_INFO_LAYOUT),
  ...structChecks('fwctl_rpc', FWCTL_RPC_LAYOUT),
];
