// QUERY_HCA_CAP and QUERY_ADAPTER, as far as public layouts go (mlx5_ifc.h
// query_hca_cap_in/out, query_adapter_out + query_adapter_param_block).
import { HostError } from '../../errors/host-error';
import { encodeCommand } from './command';
import { MBOX_HDR_SIZE } from './layout';
import { MLX5_OPCODE } from './opcodes';

/** op_mod of QUERY_HCA_CAP: capability type in bits 15:1, bit 0 = 1 for current values, 0 for maximum. */
export function encodeQueryHcaCap(capType: number, current: boolean): Uint8Array {
  if (!Number.isInteger(capType) || capType < 0 || capType > 0x7fff) throw new HostError('invalid-params', 'The HCA capability type is out of range.', `capType=${capType}`);
  return encodeCommand({ opcode: MLX5_OPCODE.QUERY_HCA_CAP, opMod: (capType << 1) | (current ? 1 : 0) }, new Uint8Array(MBOX_HDR_SIZE));
}

/** Output of QUERY_HCA_CAP: header, then the 4 KiB capability block (layout depends on the type). */
export const QUERY_HCA_CAP_OUT_SIZE = MBOX_HDR_SIZE + 0x1000;

export function encodeQueryAdapter(): Uint8Array {
  return encodeCommand({ opcode: MLX5_OPCODE.QUERY_ADAPTER }, new Uint8Array(MBOX_HDR_SIZE));
}

/** query_adapter_out: 16-byte header + 256-byte query_adapter_param_block. */
export const QUERY_ADAPTER_OUT_SIZE = MBOX_HDR_SIZE + 256;

export interface AdapterInfo {
  ieeeVendorId: number;
  vsdVendorId: number;
  /** Vendor-specific data, as text up to the first NUL. */
  vsd: string;
  /** Parameter-set ID: the board's firmware image identity (e.g. MT_0000000008). */
  psid: string;
}

export function decodeQueryAdapterBody(body: Uint8Array): AdapterInfo {
  if (body.length < 256) throw new HostError('protocol-error', 'The QUERY_ADAPTER reply is truncated.', `need 256 body bytes, got ${body.length}`);
  const v = new DataView(body.buffer, body.byteOffset, body.byteLength);
  return {
    ieeeVendorId: v.getUint32(0x18) & 0xffffff,
    vsdVendorId: v.getUint16(0x1e),
    vsd: text(body.subarray(0x20, 0x20 + 208)),
    psid: text(body.subarray(0xf0, 0xf0 + 16)),
  };
}

function text(b: Uint8Array): string {
  const end = b.indexOf(0);
  return new TextDecoder('latin1').decode(end < 0 ? b : b.subarray(0, end)).trim();
}
