// Reads what an SMP server reports about an image: its version from the
// MCUboot header and the hash MCUboot checks (SHA-256 over header, body and
// protected TLVs). Data without an MCUboot header is hashed whole.
import { createHash } from 'node:crypto';

export const MCUBOOT_MAGIC = 0x96f3b83d;
export const MCUBOOT_HEADER_SIZE = 32;

export interface ImageFacts {
  version: string;
  hash: Uint8Array;
  /** Parsed version parts, for "upgrade only" comparisons. */
  parts: [number, number, number, number];
  hasHeader: boolean;
}

export function hasMcubootMagic(data: Uint8Array): boolean {
  return data.length >= 4 && new DataView(data.buffer, data.byteOffset, data.byteLength).getUint32(0, true) === MCUBOOT_MAGIC;
}

export function inspectImage(data: Uint8Array): ImageFacts {
  if (hasMcubootMagic(data) && data.length >= MCUBOOT_HEADER_SIZE) {
    const v = new DataView(data.buffer, data.byteOffset, data.byteLength);
    const hdrSize = v.getUint16(8, true);
    const protSize = v.getUint16(10, true);
    const imgSize = v.getUint32(12, true);
    const parts: [number, number, number, number] = [v.getUint8(20), v.getUint8(21), v.getUint16(22, true), v.getUint32(24, true)];
    const end = Math.min(data.length, hdrSize + imgSize + protSize);
    return { version: versionString(parts), hash: sha256(data.subarray(0, end)), parts, hasHeader: true };
  }
  return { version: '0.0.0', hash: sha256(data), parts: [0, 0, 0, 0], hasHeader: false };
}

/** Zephyr img_mgmt's format: major.minor.revision, plus .build when non-zero. */
export function versionString(p: readonly number[]): string {
  return p[3] ? `${p[0]}.${p[1]}.${p[2]}.${p[3]}` : `${p[0]}.${p[1]}.${p[2]}`;
}

export function compareVersions(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < 4; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return 0;
}

/** A minimal MCUboot image (header, body, SHA-256 TLV) for demos and tests. */
export function buildMcubootImage(version: [number, number, number, number?], body: Uint8Array): Uint8Array {
  const hdrSize = MCUBOOT_HEADER_SIZE;
  const out = new Uint8Array(hdrSize + body.length + 4 + 4 + 32);
  const v = new DataView(out.buffer);
  v.setUint32(0, MCUBOOT_MAGIC, true);
  v.setUint16(8, hdrSize, true);
  v.setUint16(10, 0, true);
  v.setUint32(12, body.length, true);
  v.setUint8(20, version[0]);
  v.setUint8(21, version[1]);
  v.setUint16(22, version[2], true);
  v.setUint32(24, version[3] ?? 0, true);
  out.set(body, hdrSize);
  const tlv = hdrSize + body.length;
  v.setUint16(tlv, 0x6907, true);
  v.setUint16(tlv + 2, 4 + 4 + 32, true);
  v.setUint16(tlv + 4, 0x10, true);
  v.setUint16(tlv + 6, 32, true);
  out.set(sha256(out.subarray(0, tlv)), tlv + 8);
  return out;
}

function sha256(d: Uint8Array): Uint8Array {
  return new Uint8Array(createHash('sha256').update(d).digest());
}
