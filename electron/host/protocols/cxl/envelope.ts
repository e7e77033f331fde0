// The fwctl CXL RPC envelope (<fwctl/cxl.h>): struct fwctl_rpc_cxl in,
// struct fwctl_rpc_cxl_out back. All fields little-endian.
import { HostError } from '../../errors/host-error';
import { RPC_HDR_SIZE, RPC_OUT_HDR_SIZE } from './layout';

export interface CxlRpcRequest {
  opcode: number;
  flags?: number;
  /** The mailbox payload (becomes op_size bytes after the 16-byte header). */
  payload: Uint8Array;
}

export function encodeRpc(req: CxlRpcRequest): Uint8Array {
  const out = new Uint8Array(RPC_HDR_SIZE + req.payload.length);
  const v = new DataView(out.buffer);
  v.setUint32(0, req.opcode >>> 0, true);
  v.setUint32(4, (req.flags ?? 0) >>> 0, true);
  v.setUint32(8, req.payload.length, true);
  v.setUint32(12, 0, true);
  out.set(req.payload, RPC_HDR_SIZE);
  return out;
}

export interface DecodedRpcRequest {
  opcode: number;
  flags: number;
  opSize: number;
  reserved1: number;
  /** Bytes after the header, as many as the buffer holds (may differ from opSize). */
  payload: Uint8Array;
}

export function decodeRpc(bytes: Uint8Array): DecodedRpcRequest {
  if (bytes.length < RPC_HDR_SIZE)
    throw new HostError('invalid-params', 'The CXL request is shorter than its header.', `need ${RPC_HDR_SIZE} bytes, got ${bytes.length}`);
  const v = view(bytes);
  return {
    opcode: v.getUint32(0, true),
    flags: v.getUint32(4, true),
    opSize: v.getUint32(8, true),
    reserved1: v.getUint32(12, true),
    payload: bytes.subarray(RPC_HDR_SIZE),
  };
}

export interface CxlRpcReply {
  /** Device return code (CXL mailbox return code). */
  retval: number;
  /** The `size` bytes of payload the reply carries. */
  payload: Uint8Array;
}

export function encodeRpcReply(reply: CxlRpcReply, padTo = 0): Uint8Array {
  const out = new Uint8Array(Math.max(RPC_OUT_HDR_SIZE + reply.payload.length, padTo));
  const v = new DataView(out.buffer);
  v.setUint32(0, reply.payload.length, true);
  v.setUint32(4, reply.retval >>> 0, true);
  out.set(reply.payload, RPC_OUT_HDR_SIZE);
  return out;
}

export function decodeRpcReply(bytes: Uint8Array): CxlRpcReply {
  if (bytes.length < RPC_OUT_HDR_SIZE)
    throw new HostError('protocol-error', 'The CXL reply is shorter than its header.', `need ${RPC_OUT_HDR_SIZE} bytes, got ${bytes.length}`);
  const v = view(bytes);
  const size = v.getUint32(0, true);
  const retval = v.getUint32(4, true);
  if (RPC_OUT_HDR_SIZE + size > bytes.length)
    throw new HostError('protocol-error', 'The CXL reply is truncated.', `header says ${size} payload bytes, only ${bytes.length - RPC_OUT_HDR_SIZE} arrived`);
  return { retval, payload: bytes.subarray(RPC_OUT_HDR_SIZE, RPC_OUT_HDR_SIZE + size) };
}

export function view(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
