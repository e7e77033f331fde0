// XMODEM / YMODEM framing: pure functions, no I/O.
// Frame: header (SOH = 128-byte payload, STX = 1024) | seq | 255 - seq | payload | check,
// where check is one checksum byte (sum mod 256) or a big-endian CRC-16/XMODEM.
// YMODEM block 0 (per Chuck Forsberg's ymodem.txt): "name\0size mtime mode serial",
// size decimal, mtime and mode octal; an empty name ends the batch.
import { crc16Xmodem } from '../../checksums/crc16-xmodem';
import { HostError } from '../../errors/host-error';

export const SOH = 0x01;
export const STX = 0x02;
export const EOT = 0x04;
export const ACK = 0x06;
export const BS = 0x08;
export const NAK = 0x15;
export const CAN = 0x18;
/** Pads the last block (CP/M end-of-file). */
export const SUB = 0x1a;
/** 'C': the receiver asks for CRC-16 mode (and, in YMODEM, for the next block 0). */
export const CRC_REQUEST = 0x43;

export type BlockSize = 128 | 1024;
export type CheckMode = 'crc' | 'checksum';

export function checksum8(data: Uint8Array): number {
  let sum = 0;
  for (let i = 0; i < data.length; i++) sum = (sum + data[i]) & 0xff;
  return sum;
}

export { crc16Xmodem };

export function checkLength(mode: CheckMode): 1 | 2 {
  return mode === 'crc' ? 2 : 1;
}

export function payloadSizeOf(header: number): BlockSize {
  if (header === SOH) return 128;
  if (header === STX) return 1024;
  throw new HostError('protocol-error', 'Not an XMODEM block header.', `byte 0x${header.toString(16).padStart(2, '0')}`);
}

/** Whole frame length for a header byte (SOH/STX) in a check mode. */
export function frameLength(header: number, mode: CheckMode): number {
  return 3 + payloadSizeOf(header) + checkLength(mode);
}

/**
 * Builds one frame. A payload shorter than the block is padded with `pad`
 * (SUB for file data, NUL for YMODEM block 0).
 */
export function encodeBlock(seq: number, payload: Uint8Array, size: BlockSize, mode: CheckMode, pad = SUB): Uint8Array {
  if (size !== 128 && size !== 1024) throw new HostError('invalid-params', 'The block size must be 128 or 1024 bytes.', `got ${size}`);
  if (payload.length > size) throw new HostError('invalid-params', `A ${size}-byte block cannot hold ${payload.length} bytes.`);
  const frame = new Uint8Array(3 + size + checkLength(mode));
  const s = seq & 0xff;
  frame[0] = size === 128 ? SOH : STX;
  frame[1] = s;
  frame[2] = 0xff - s;
  frame.set(payload, 3);
  frame.fill(pad, 3 + payload.length, 3 + size);
  const body = frame.subarray(3, 3 + size);
  if (mode === 'crc') {
    const crc = crc16Xmodem(body);
    frame[3 + size] = crc >> 8;
    frame[4 + size] = crc & 0xff;
  } else {
    frame[3 + size] = checksum8(body);
  }
  return frame;
}

export interface DecodedBlock {
  seq: number;
  payload: Uint8Array;
}

/** Validates a whole frame (header byte included); throws HostError('protocol-error') saying what is wrong. */
export function decodeBlock(frame: Uint8Array, mode: CheckMode): DecodedBlock {
  if (frame.length === 0) throw new HostError('protocol-error', 'Empty XMODEM block.');
  const size = payloadSizeOf(frame[0]);
  const want = 3 + size + checkLength(mode);
  if (frame.length !== want) throw new HostError('protocol-error', 'XMODEM block has the wrong length.', `expected ${want} bytes, got ${frame.length}`);
  const seq = frame[1];
  if ((seq ^ frame[2]) !== 0xff) throw new HostError('protocol-error', 'XMODEM block number and its complement do not match.', `seq 0x${seq.toString(16)}, complement 0x${frame[2].toString(16)}`);
  const payload = frame.slice(3, 3 + size);
  if (mode === 'crc') {
    const got = (frame[3 + size] << 8) | frame[4 + size];
    const calc = crc16Xmodem(payload);
    if (got !== calc) throw new HostError('protocol-error', `XMODEM block ${seq} failed its CRC check.`, `received 0x${got.toString(16)}, computed 0x${calc.toString(16)}`);
  } else {
    const got = frame[3 + size];
    const calc = checksum8(payload);
    if (got !== calc) throw new HostError('protocol-error', `XMODEM block ${seq} failed its checksum.`, `received 0x${got.toString(16)}, computed 0x${calc.toString(16)}`);
  }
  return { seq, payload };
}

/** Number of data blocks (not counting YMODEM block 0) that `length` bytes need. */
export function blockCount(length: number, size: BlockSize): number {
  return Math.ceil(length / size);
}

/** File information carried in YMODEM block 0. */
export interface YmodemHeader {
  name: string;
  /** Exact length in bytes; absent when the sender did not say (the receiver then keeps the padding). */
  size?: number;
  /** Modification time (whole seconds); absent or zero on the wire means unknown. */
  mtime?: Date;
  /** Unix file mode; absent or zero means unknown. */
  mode?: number;
}

const utf8 = new TextEncoder();

/** Payload of YMODEM block 0 (128 bytes if it fits, else 1024), NUL-padded. */
export function encodeYmodemHeader(h: YmodemHeader): Uint8Array {
  if (h.name.length === 0) throw new HostError('invalid-params', 'A YMODEM file needs a name.');
  if (h.name.includes('\0')) throw new HostError('invalid-params', 'A YMODEM file name cannot contain NUL characters.', JSON.stringify(h.name));
  if (h.size !== undefined && !(Number.isSafeInteger(h.size) && h.size >= 0)) throw new HostError('invalid-params', 'The YMODEM file size must be a whole number of bytes.', String(h.size));
  if (h.mode !== undefined && !(Number.isInteger(h.mode) && h.mode >= 0)) throw new HostError('invalid-params', 'The YMODEM file mode must be a non-negative integer.', String(h.mode));
  const fields: string[] = [];
  const seconds = h.mtime ? Math.floor(h.mtime.getTime() / 1000) : undefined;
  if (seconds !== undefined && !(Number.isFinite(seconds) && seconds >= 0)) throw new HostError('invalid-params', 'The YMODEM modification time must be after 1970.', String(h.mtime));
  if (h.size !== undefined || seconds !== undefined || h.mode !== undefined) {
    fields.push(String(h.size ?? 0));
    // The fields are positional: a mode needs an mtime before it (0 = unknown).
    if (seconds !== undefined || h.mode !== undefined) fields.push((seconds ?? 0).toString(8));
    if (h.mode !== undefined) fields.push(h.mode.toString(8));
  }
  const name = utf8.encode(h.name);
  const info = utf8.encode(fields.join(' '));
  const used = name.length + 1 + info.length + 1;
  if (used > 1024) throw new HostError('invalid-params', 'The file name is too long for a YMODEM header block.', `${name.length} bytes`);
  const out = new Uint8Array(used <= 128 ? 128 : 1024);
  out.set(name, 0);
  out.set(info, name.length + 1);
  return out;
}

/** The empty block 0 that ends a YMODEM batch. */
export function encodeEndOfBatch(mode: CheckMode): Uint8Array {
  return encodeBlock(0, new Uint8Array(0), 128, mode, 0);
}

/** Parses a block-0 payload; null means end of batch (empty name). */
export function decodeYmodemHeader(payload: Uint8Array): YmodemHeader | null {
  if (payload.length === 0 || payload[0] === 0) return null;
  const nameEnd = payload.indexOf(0);
  if (nameEnd < 0) throw new HostError('protocol-error', 'YMODEM header block has no NUL after the file name.');
  const name = new TextDecoder().decode(payload.subarray(0, nameEnd));
  let infoEnd = payload.indexOf(0, nameEnd + 1);
  if (infoEnd < 0) infoEnd = payload.length;
  const info = latin1Text(payload.subarray(nameEnd + 1, infoEnd)).trim();
  const header: YmodemHeader = { name };
  if (info === '') return header;
  const [size, mtime, mode] = info.split(/ +/);
  if (!/^\d+$/.test(size)) throw new HostError('protocol-error', 'YMODEM header block has an invalid file size.', JSON.stringify(size));
  header.size = Number(size);
  if (!Number.isSafeInteger(header.size)) throw new HostError('protocol-error', 'YMODEM header block announces an impossible file size.', size);
  if (mtime !== undefined) {
    if (!/^[0-7]+$/.test(mtime)) throw new HostError('protocol-error', 'YMODEM header block has an invalid modification time (octal expected).', JSON.stringify(mtime));
    const seconds = parseInt(mtime, 8);
    if (seconds !== 0) header.mtime = new Date(seconds * 1000);
  }
  if (mode !== undefined) {
    if (!/^[0-7]+$/.test(mode)) throw new HostError('protocol-error', 'YMODEM header block has an invalid file mode (octal expected).', JSON.stringify(mode));
    const m = parseInt(mode, 8);
    if (m !== 0) header.mode = m;
  }
  return header;
}

function latin1Text(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i++) s += String.fromCharCode(bytes[i]);
  return s;
}
