// The .fwtl recording format. Little-endian throughout.
//
//   File header
//     "FWTL"          4 bytes magic
//     version         u16 (1)
//     reserved        u16 (0)
//     startedAtMs     f64, host clock (ms since the epoch)
//     tableLen        u32
//     table           UTF-8 JSON { info: {...}, channels: ChannelMeta[] }; channel k is index k
//     crc             u32, CRC-32 of everything above
//
//   Then blocks, appended and never rewritten:
//     "FBLK"          4 bytes magic (lets a reader resync past a damaged block)
//     type            u8   1 channel, 2 samples, 3 marker, 4 end
//     reserved        3 bytes
//     payloadLen      u32
//     payload
//     crc             u32, CRC-32 of type..payload (the 8 bytes after the magic and the payload)
//
//   channel (1):  u16 index, then UTF-8 JSON ChannelMeta (a channel first seen
//                 after the start, or new metadata for a known index)
//   samples (2):  u16 columnCount, then per column: u16 channel index, u32 n,
//                 n f64 t, n f64 hostT, n f64 value (columns, not rows, so a
//                 block is three memcpys per channel to write and read)
//   marker (3):   f64 t (host ms), UTF-8 text
//   end (4):      f64 stoppedAtMs; written by a clean stop only
//
// A writer killed mid-block leaves a short or CRC-failing last block; the
// reader keeps everything before it and reports the torn tail.
import { crc32 } from './parsers/checksums';
import type { ChannelMeta } from './pipeline';

export const FILE_MAGIC = 'FWTL';
export const BLOCK_MAGIC = 'FBLK';
export const FORMAT_VERSION = 1;
export const BLOCK_HEADER = 12; // magic + type + reserved + payloadLen
export const BLOCK_TRAILER = 4;

export const BlockType = { Channel: 1, Samples: 2, Marker: 3, End: 4 } as const;
export type BlockType = (typeof BlockType)[keyof typeof BlockType];

const enc = new TextEncoder();
const LITTLE_ENDIAN_HOST = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

export function encodeFileHeader(startedAtMs: number, info: Record<string, unknown>, channels: ChannelMeta[]): Uint8Array {
  const table = enc.encode(JSON.stringify({ info, channels }));
  const out = new Uint8Array(4 + 2 + 2 + 8 + 4 + table.length + 4);
  const dv = new DataView(out.buffer);
  out.set(enc.encode(FILE_MAGIC), 0);
  dv.setUint16(4, FORMAT_VERSION, true);
  dv.setFloat64(8, startedAtMs, true);
  dv.setUint32(16, table.length, true);
  out.set(table, 20);
  dv.setUint32(20 + table.length, crc32(out, 0, 20 + table.length), true);
  return out;
}

export function encodeBlock(type: BlockType, payload: Uint8Array): Uint8Array {
  const out = new Uint8Array(BLOCK_HEADER + payload.length + BLOCK_TRAILER);
  const dv = new DataView(out.buffer);
  out.set(enc.encode(BLOCK_MAGIC), 0);
  out[4] = type;
  dv.setUint32(8, payload.length, true);
  out.set(payload, BLOCK_HEADER);
  const crc = crc32(out, 4, BLOCK_HEADER + payload.length);
  dv.setUint32(BLOCK_HEADER + payload.length, crc, true);
  return out;
}

export function encodeChannel(index: number, meta: ChannelMeta): Uint8Array {
  const json = enc.encode(JSON.stringify(meta));
  const p = new Uint8Array(2 + json.length);
  new DataView(p.buffer).setUint16(0, index, true);
  p.set(json, 2);
  return encodeBlock(BlockType.Channel, p);
}

export interface ColumnToWrite {
  index: number;
  t: Float64Array;
  hostT: Float64Array;
  value: Float64Array;
  n: number;
}

export function encodeSamples(columns: ColumnToWrite[]): Uint8Array {
  let size = 2;
  for (const c of columns) size += 6 + 24 * c.n;
  const p = new Uint8Array(size);
  const dv = new DataView(p.buffer);
  dv.setUint16(0, columns.length, true);
  let at = 2;
  for (const c of columns) {
    dv.setUint16(at, c.index, true);
    dv.setUint32(at + 2, c.n, true);
    at += 6;
    for (const arr of [c.t, c.hostT, c.value]) {
      putF64s(p, dv, at, arr, c.n);
      at += 8 * c.n;
    }
  }
  return encodeBlock(BlockType.Samples, p);
}

export function encodeMarker(t: number, text: string): Uint8Array {
  const body = enc.encode(text);
  const p = new Uint8Array(8 + body.length);
  new DataView(p.buffer).setFloat64(0, t, true);
  p.set(body, 8);
  return encodeBlock(BlockType.Marker, p);
}

export function encodeEnd(stoppedAtMs: number): Uint8Array {
  const p = new Uint8Array(8);
  new DataView(p.buffer).setFloat64(0, stoppedAtMs, true);
  return encodeBlock(BlockType.End, p);
}

function putF64s(p: Uint8Array, dv: DataView, at: number, arr: Float64Array, n: number): void {
  if (LITTLE_ENDIAN_HOST) p.set(new Uint8Array(arr.buffer, arr.byteOffset, n * 8), at);
  else for (let i = 0; i < n; i++) dv.setFloat64(at + 8 * i, arr[i], true);
}

/** Reads n little-endian f64 at an arbitrary (unaligned) offset. */
export function getF64s(p: Uint8Array, at: number, n: number): Float64Array {
  // Uint8Array's slice copies (Buffer's would not), giving an aligned buffer of our own.
  if (LITTLE_ENDIAN_HOST) return new Float64Array(Uint8Array.prototype.slice.call(p, at, at + 8 * n).buffer);
  const dv = new DataView(p.buffer, p.byteOffset);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = dv.getFloat64(at + 8 * i, true);
  return out;
}
