// How much file data fits in one request. A serial SMP server reassembles each
// packet in one buffer of `buf_size` bytes (MCUmgr params, Zephyr's
// CONFIG_MCUMGR_TRANSPORT_NETBUF_SIZE) that also holds the 2-byte frame length
// and the 2-byte CRC while decoding, so the SMP packet itself may be at most
// buf_size - 4 bytes. The CBOR overhead is measured, not guessed: the request is
// encoded with empty data and the byte-string header growth is added.
import { encodeCbor, type CborMap } from './cbor';
import { SMP_HEADER_SIZE } from './header';
import { rawBytesPerLine, SERIAL_MAX_PACKET } from './serial-framing';

/** Serial framing overhead inside the device's reassembly buffer (length + CRC). */
export const SERIAL_BUFFER_OVERHEAD = 4;
/** Zephyr's default CONFIG_MCUMGR_TRANSPORT_NETBUF_SIZE, used when a device does not report params. */
export const DEFAULT_BUF_SIZE = 384;
export const DEFAULT_BUF_COUNT = 1;

export function maxPacketForBuffer(bufSize: number): number {
  return Math.min(bufSize - SERIAL_BUFFER_OVERHEAD, SERIAL_MAX_PACKET);
}

/** Largest `data` length such that header + CBOR(fields + data) ≤ maxPacket; 0 if nothing fits. */
export function maxDataThatFits(fields: CborMap, maxPacket: number): number {
  const withEmpty = SMP_HEADER_SIZE + encodeCbor({ ...fields, data: new Uint8Array(0) }).length;
  const fixed = withEmpty - 1; // an empty byte string is one header byte
  let n = maxPacket - fixed - 1;
  while (n > 0 && fixed + byteStringHeaderLength(n) + n > maxPacket) n--;
  return Math.max(0, n);
}

export function byteStringHeaderLength(n: number): number {
  return n < 24 ? 1 : n < 0x100 ? 2 : n < 0x10000 ? 3 : n < 0x100000000 ? 5 : 9;
}

/** Serial frames (127-byte lines) a packet of `packetLength` bytes takes: length field + packet + CRC, 93 raw bytes a line. */
export function framesFor(packetLength: number, maxLineLength?: number): number {
  return Math.ceil((packetLength + SERIAL_BUFFER_OVERHEAD) / rawBytesPerLine(maxLineLength));
}

/** Largest packet that fits in `frames` serial frames. */
export function maxPacketForFrames(frames: number, maxLineLength?: number): number {
  return frames * rawBytesPerLine(maxLineLength) - SERIAL_BUFFER_OVERHEAD;
}

/** Longest text (UTF-8 bytes) under `key` such that header + CBOR({key: text}) ≤ maxPacket. */
export function maxTextThatFits(key: string, maxPacket: number): number {
  const fixed = SMP_HEADER_SIZE + encodeCbor({ [key]: '' }).length - 1;
  let n = maxPacket - fixed - 1;
  while (n > 0 && fixed + byteStringHeaderLength(n) + n > maxPacket) n--;
  return Math.max(0, n);
}
