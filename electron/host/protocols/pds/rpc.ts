// struct fwctl_rpc_pds: the request names an endpoint and operation and
// points at user buffers; the kernel fills out.retval (firmware completion
// error) and copies the response into out.payload. The two payload fields
// are user addresses, so only the native layer can fill them in.
import { HostError } from '../../errors/host-error';
import { RPC_PDS_SIZE } from './layout';

export interface PdsRpcIn {
  op: number;
  ep: number;
  inLen: number;
  inPayload: bigint;
  outLen: number;
  outPayload: bigint;
}

export function encodePdsRpc(r: PdsRpcIn): Uint8Array {
  const out = new Uint8Array(RPC_PDS_SIZE);
  const v = new DataView(out.buffer);
  for (const [k, val] of [['op', r.op], ['ep', r.ep], ['inLen', r.inLen], ['outLen', r.outLen]] as const)
    if (!Number.isInteger(val) || val < 0 || val > 0xffffffff) throw new HostError('invalid-params', `The pds RPC ${k} is out of range.`, `${k}=${val}`);
  v.setUint32(0, r.op, true);
  v.setUint32(4, r.ep, true);
  v.setUint32(12, r.inLen, true);
  v.setBigUint64(16, r.inPayload, true);
  v.setUint32(36, r.outLen, true);
  v.setBigUint64(40, r.outPayload, true);
  return out;
}

export interface PdsRpcOut {
  op: number;
  ep: number;
  /** Firmware completion error (0 = success). */
  retval: number;
  outLen: number;
}

export function decodePdsRpc(bytes: Uint8Array): PdsRpcOut {
  if (bytes.length < RPC_PDS_SIZE) throw new HostError('protocol-error', 'The pds RPC reply is truncated.', `need ${RPC_PDS_SIZE} bytes, got ${bytes.length}`);
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return { op: v.getUint32(0, true), ep: v.getUint32(4, true), retval: v.getUint32(24, true), outLen: v.getUint32(36, true) };
}

/** Operation IDs carry a command (bits 15:0) and a version (bits 23:16) (pds_adminq.h). */
export function splitPdsOpcode(op: number): { command: number; version: number } {
  return { command: op & 0xffff, version: (op >>> 16) & 0xff };
}

/** PDS_FWCTL_RPC_OPCODE_CMP: same command, and the requested version is not newer than the device's. */
export function pdsOpcodeMatches(requested: number, offered: number): boolean {
  const a = splitPdsOpcode(requested);
  const b = splitPdsOpcode(offered);
  return a.command === b.command && a.version <= b.version;
}
