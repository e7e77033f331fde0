// U-Boot's `crc32` prints the same CRC-32 as zlib (electron/host/checksums).
export { crc32 } from '../../checksums/crc32';

export function crc32Hex(value: number): string {
  return (value >>> 0).toString(16).padStart(8, '0');
}
