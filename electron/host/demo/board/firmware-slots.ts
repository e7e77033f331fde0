// The demo board's two image slots, checked the way MCUboot checks an image
// before booting it: header magic, sizes, and the SHA-256 TLV over header+body.
import { createHash } from 'node:crypto';

export const IMAGE_MAGIC = 0x96f3b83d;
const TLV_INFO_MAGIC = 0x6907;
const TLV_PROT_INFO_MAGIC = 0x6908;
const TLV_SHA256 = 0x10;

export interface SlotImage {
  name: string;
  data: Uint8Array;
  version: string;
  sha256: string;
}

export type ImageCheck = { ok: true; version: string; sha256: string } | { ok: false; reason: string };

export function checkImage(data: Uint8Array): ImageCheck {
  if (data.length < 32) return { ok: false, reason: 'image shorter than an MCUboot header' };
  const v = new DataView(data.buffer, data.byteOffset, data.byteLength);
  if (v.getUint32(0, true) !== IMAGE_MAGIC) return { ok: false, reason: 'not an MCUboot image (bad header magic)' };
  const hdrSize = v.getUint16(8, true);
  const protSize = v.getUint16(10, true);
  const imgSize = v.getUint32(12, true);
  const version = `${v.getUint8(20)}.${v.getUint8(21)}.${v.getUint16(22, true)}+${v.getUint32(24, true)}`;
  let off = hdrSize + imgSize;
  const hashed = off + protSize;
  if (hashed + 4 > data.length) return { ok: false, reason: 'image truncated before its TLV area' };
  if (protSize > 0) {
    if (v.getUint16(off, true) !== TLV_PROT_INFO_MAGIC) return { ok: false, reason: 'protected TLV area has a bad magic' };
    off += protSize;
  }
  if (v.getUint16(off, true) !== TLV_INFO_MAGIC) return { ok: false, reason: 'TLV area has a bad magic' };
  const end = off + v.getUint16(off + 2, true);
  if (end > data.length) return { ok: false, reason: 'TLV area runs past the end of the image' };
  off += 4;
  const digest = createHash('sha256').update(data.subarray(0, hashed)).digest();
  while (off + 4 <= end) {
    const type = v.getUint16(off, true);
    const len = v.getUint16(off + 2, true);
    if (type === TLV_SHA256) {
      const want = data.subarray(off + 4, off + 4 + len);
      if (len !== 32 || !digest.equals(want)) return { ok: false, reason: 'image hash does not match its SHA-256 TLV' };
      return { ok: true, version, sha256: digest.toString('hex') };
    }
    off += 4 + len;
  }
  return { ok: false, reason: 'image has no SHA-256 TLV' };
}
