// The mlx5 command mailbox header (PRM; kernel mlx5_ifc mbox_in_hdr/mbox_out_hdr,
// restated in drivers/fwctl/mlx5/main.c). Big-endian, 16 bytes each way.
// fwctl passes the whole command through; the kernel overwrites `uid`.
import { HostError } from '../../errors/host-error';
import { MBOX_HDR_SIZE } from './layout';

export interface Mlx5CommandHeader {
  opcode: number;
  uid: number;
  opMod: number;
}

export function encodeCommand(h: { opcode: number; opMod?: number }, body: Uint8Array = new Uint8Array(0)): Uint8Array {
  for (const [k, v] of [['opcode', h.opcode], ['opMod', h.opMod ?? 0]] as const)
    if (!Number.isInteger(v) || v < 0 || v > 0xffff) throw new HostError('invalid-params', `The mlx5 ${k} is out of range.`, `${k}=${v}`);
  const out = new Uint8Array(MBOX_HDR_SIZE + body.length);
  const v = new DataView(out.buffer);
  v.setUint16(0, h.opcode);
  v.setUint16(6, h.opMod ?? 0);
  out.set(body, MBOX_HDR_SIZE);
  return out;
}

export function decodeCommandHeader(bytes: Uint8Array): Mlx5CommandHeader {
  if (bytes.length < MBOX_HDR_SIZE)
    throw new HostError('invalid-params', 'The mlx5 command is shorter than its header.', `need ${MBOX_HDR_SIZE} bytes, got ${bytes.length}`);
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return { opcode: v.getUint16(0), uid: v.getUint16(2), opMod: v.getUint16(6) };
}

/** Command delivery status (include/linux/mlx5/device.h MLX5_CMD_STAT_*). */
const STATUS: Readonly<Record<number, [string, string]>> = {
  0x00: ['OK', 'The command completed.'],
  0x01: ['INT_ERR', 'The firmware hit an internal error.'],
  0x02: ['BAD_OP_ERR', 'The firmware does not know this opcode, or this user context may not run it.'],
  0x03: ['BAD_PARAM_ERR', 'A command parameter is invalid.'],
  0x04: ['BAD_SYS_STATE_ERR', 'The device is in the wrong state for this command.'],
  0x05: ['BAD_RES_ERR', 'A referenced resource is invalid.'],
  0x06: ['RES_BUSY', 'A referenced resource is busy.'],
  0x08: ['LIM_ERR', 'A device limit was exceeded.'],
  0x09: ['BAD_RES_STATE_ERR', 'A referenced resource is in the wrong state.'],
  0x0a: ['IX_ERR', 'An index is out of range.'],
  0x0f: ['NO_RES_ERR', 'The device has run out of resources.'],
  0x50: ['BAD_INP_LEN_ERR', 'The command input length is wrong.'],
  0x51: ['BAD_OUTP_LEN_ERR', 'The output buffer length is wrong.'],
  0x10: ['BAD_QP_STATE_ERR', 'The queue pair is in the wrong state.'],
  0x11: ['BAD_PKT_ERR', 'A packet is malformed.'],
  0x40: ['BAD_SIZE_OUTS_CQES_ERR', 'Too many outstanding CQEs for the new size.'],
};

export interface Mlx5Reply {
  status: number;
  statusName: string;
  meaning: string;
  syndrome: number;
  body: Uint8Array;
}

export function decodeReply(bytes: Uint8Array): Mlx5Reply {
  if (bytes.length < MBOX_HDR_SIZE)
    throw new HostError('protocol-error', 'The mlx5 reply is shorter than its header.', `need ${MBOX_HDR_SIZE} bytes, got ${bytes.length}`);
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const status = bytes[0];
  const [statusName, meaning] = STATUS[status] ?? [`UNKNOWN_0x${status.toString(16)}`, 'The firmware returned a status fwbench does not know.'];
  return { status, statusName, meaning, syndrome: v.getUint32(4), body: bytes.subarray(MBOX_HDR_SIZE) };
}

/** Throws device-error when the firmware status is not OK. */
export function expectOk(reply: Mlx5Reply, what: string): Uint8Array {
  if (reply.status !== 0)
    throw new HostError('device-error', reply.meaning, `${what}: status 0x${reply.status.toString(16)} (${reply.statusName}), syndrome 0x${reply.syndrome.toString(16).padStart(8, '0')}`);
  return reply.body;
}
