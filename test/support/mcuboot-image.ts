import { createHash, randomBytes } from 'node:crypto';

/**
 * Builds an MCUboot image the way imgtool does for an unsigned image: a 32-byte
 * header, the body, and a TLV area with the SHA-256 over header and body.
 */
export function buildMcubootImage(opts: { version: [number, number, number, number]; body?: Uint8Array; bodySize?: number; loadAddr?: number }): Uint8Array {
  const body = opts.body ?? new Uint8Array(randomBytes(opts.bodySize ?? 4096));
  const hdr = Buffer.alloc(32);
  hdr.writeUInt32LE(0x96f3b83d, 0);
  hdr.writeUInt32LE(opts.loadAddr ?? 0, 4);
  hdr.writeUInt16LE(32, 8);
  hdr.writeUInt16LE(0, 10);
  hdr.writeUInt32LE(body.length, 12);
  hdr.writeUInt32LE(0, 16);
  const [maj, min, rev, build] = opts.version;
  hdr.writeUInt8(maj, 20);
  hdr.writeUInt8(min, 21);
  hdr.writeUInt16LE(rev, 22);
  hdr.writeUInt32LE(build, 24);
  const hashed = Buffer.concat([hdr, body]);
  const sha = createHash('sha256').update(hashed).digest();
  const tlv = Buffer.alloc(4 + 4 + 32);
  tlv.writeUInt16LE(0x6907, 0);
  tlv.writeUInt16LE(tlv.length, 2);
  tlv.writeUInt16LE(0x10, 4);
  tlv.writeUInt16LE(32, 6);
  sha.copy(tlv, 8);
  return new Uint8Array(Buffer.concat([hashed, tlv]));
}
