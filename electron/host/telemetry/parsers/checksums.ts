// Frame checksums found on microcontroller links. CRC-16-CCITT is the
// "CCITT-FALSE" flavour (poly 0x1021, init 0xFFFF, no reflection; check
// value 0x29B1 for "123456789"); init 0x0000 gives the XMODEM flavour.
// CRC-32 is the zlib/Ethernet one (check value 0xCBF43926).
import { crc32 as zlibCrc32 } from '../../checksums/crc32';

export type ChecksumKind = 'none' | 'sum8' | 'xor8' | 'crc16-ccitt' | 'crc32';

export function checksumSize(kind: ChecksumKind): number {
  return kind === 'none' ? 0 : kind === 'crc16-ccitt' ? 2 : kind === 'crc32' ? 4 : 1;
}

export function sum8(b: Uint8Array, start: number, end: number): number {
  let s = 0;
  for (let i = start; i < end; i++) s = (s + b[i]) & 0xff;
  return s;
}

export function xor8(b: Uint8Array, start: number, end: number): number {
  let s = 0;
  for (let i = start; i < end; i++) s ^= b[i];
  return s;
}

const CRC16_TABLE = (() => {
  const t = new Uint16Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n << 8;
    for (let k = 0; k < 8; k++) c = c & 0x8000 ? ((c << 1) ^ 0x1021) & 0xffff : (c << 1) & 0xffff;
    t[n] = c;
  }
  return t;
})();

export function crc16Ccitt(b: Uint8Array, start: number, end: number, init = 0xffff): number {
  let c = init;
  for (let i = start; i < end; i++) c = ((c << 8) & 0xffff) ^ CRC16_TABLE[((c >> 8) ^ b[i]) & 0xff];
  return c;
}

/** CRC-32 (zlib's) over b[start, end). */
export function crc32(b: Uint8Array, start = 0, end = b.length): number {
  return zlibCrc32(b.subarray(start, end));
}
