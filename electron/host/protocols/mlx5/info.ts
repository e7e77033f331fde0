// FWCTL_INFO device data for mlx5 (struct fwctl_info_mlx5, host-endian u32s).
import { HostError } from '../../errors/host-error';

/** uctx capability bits (mlx5_ifc.h MLX5_UCTX_OBJECT_CAP_*). */
export const UCTX_CAPS = [
  { bit: 0x1, name: 'raw-tx', meaning: 'may send raw packets' },
  { bit: 0x2, name: 'internal-device-resources', meaning: 'may use internal device resources' },
  { bit: 0x4, name: 'tools-resources', meaning: 'may run tools commands that touch global device state (newer firmware)' },
] as const;

export interface Mlx5Info {
  /** The firmware user-context ID the kernel stamps into every command. */
  uid: number;
  uctxCaps: number;
  capabilities: string[];
}

export function decodeMlx5Info(data: Uint8Array): Mlx5Info {
  if (data.length < 8) throw new HostError('protocol-error', 'The mlx5 device info is truncated.', `need 8 bytes, got ${data.length}`);
  const v = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const uid = v.getUint32(0, true);
  const uctxCaps = v.getUint32(4, true);
  const capabilities: string[] = UCTX_CAPS.filter((c) => uctxCaps & c.bit).map((c) => c.name);
  const unknown = uctxCaps & ~0x7;
  if (unknown) capabilities.push(`unknown-0x${unknown.toString(16)}`);
  return { uid, uctxCaps, capabilities };
}
