// The 8-byte SMP header (Zephyr smp_protocol.rst, "Frame: the envelope"):
//   byte 0: Res(3 bits) | Ver(2 bits) | OP(3 bits)
//   byte 1: Flags, bytes 2-3: Data Length (BE), bytes 4-5: Group ID (BE),
//   byte 6: Sequence Num, byte 7: Command ID.
// Ver 0b00 is SMP version 1 (legacy "rc" errors), 0b01 is SMP version 2
// (group errors {"err": {"group", "rc"}}). We name them by protocol version.
import { HostError } from '../../errors/host-error';

export const SMP_HEADER_SIZE = 8;

export const SmpOp = { Read: 0, ReadResponse: 1, Write: 2, WriteResponse: 3 } as const;
export type SmpOpCode = (typeof SmpOp)[keyof typeof SmpOp];

/** SMP protocol version 1 (header Ver field 0) or 2 (Ver field 1). */
export type SmpVersion = 1 | 2;

export interface SmpHeader {
  version: SmpVersion;
  op: SmpOpCode;
  flags: number;
  /** Length of the CBOR data following the header. */
  length: number;
  group: number;
  seq: number;
  id: number;
}

export function encodeHeader(h: SmpHeader): Uint8Array {
  checkRange('op', h.op, 0, 3);
  checkRange('flags', h.flags, 0, 0xff);
  checkRange('length', h.length, 0, 0xffff);
  checkRange('group', h.group, 0, 0xffff);
  checkRange('seq', h.seq, 0, 0xff);
  checkRange('id', h.id, 0, 0xff);
  const out = new Uint8Array(SMP_HEADER_SIZE);
  out[0] = ((h.version === 2 ? 1 : 0) << 3) | h.op;
  out[1] = h.flags;
  out[2] = h.length >> 8;
  out[3] = h.length & 0xff;
  out[4] = h.group >> 8;
  out[5] = h.group & 0xff;
  out[6] = h.seq;
  out[7] = h.id;
  return out;
}

export function decodeHeader(bytes: Uint8Array): SmpHeader {
  if (bytes.length < SMP_HEADER_SIZE)
    throw new HostError('protocol-error', 'The device sent a truncated SMP message.', `header needs ${SMP_HEADER_SIZE} bytes, got ${bytes.length}`);
  const b0 = bytes[0];
  const res = b0 >> 5;
  const ver = (b0 >> 3) & 0b11;
  const op = b0 & 0b111;
  if (res !== 0) throw new HostError('protocol-error', 'The device sent an SMP header with reserved bits set.', `byte 0 = 0x${hex2(b0)}`);
  if (ver > 1) throw new HostError('protocol-error', 'The device uses an SMP version fwbench does not know.', `header Ver field = ${ver} (0 = v1, 1 = v2)`);
  if (op > 3) throw new HostError('protocol-error', 'The device sent an SMP header with an unknown operation.', `OP = ${op}`);
  return {
    version: ver === 1 ? 2 : 1,
    op: op as SmpOpCode,
    flags: bytes[1],
    length: (bytes[2] << 8) | bytes[3],
    group: (bytes[4] << 8) | bytes[5],
    seq: bytes[6],
    id: bytes[7],
  };
}

function checkRange(name: string, v: number, min: number, max: number): void {
  if (!Number.isInteger(v) || v < min || v > max) throw new HostError('invalid-params', `SMP header field ${name} is out of range.`, `${name} = ${v}, allowed ${min}..${max}`);
}

function hex2(n: number): string {
  return n.toString(16).padStart(2, '0');
}
