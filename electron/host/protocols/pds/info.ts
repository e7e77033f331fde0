// FWCTL_INFO device data for pds (struct fwctl_info_pds).
import { HostError } from '../../errors/host-error';

export interface PdsInfo {
  uctxCaps: number;
  /**
   * Decoded as the driver sets it: pdsfc_probe() stores
   * PDS_FWCTL_QUERY_CAP | PDS_FWCTL_SEND_CAP (the enum values 0 | 1, not bit
   * positions), so current kernels report 1; this keeps both readings visible.
   */
  capabilities: string[];
}

export function decodePdsInfo(data: Uint8Array): PdsInfo {
  if (data.length < 4) throw new HostError('protocol-error', 'The pds device info is truncated.', `need 4 bytes, got ${data.length}`);
  const uctxCaps = new DataView(data.buffer, data.byteOffset, 4).getUint32(0, true);
  const capabilities: string[] = [];
  if (uctxCaps & 1) capabilities.push('query');
  if (uctxCaps & 2) capabilities.push('send');
  return { uctxCaps, capabilities };
}
