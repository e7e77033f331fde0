// The image format the model's bootloader accepts as bootable, like a real
// bootloader's image check: [u32 LE total length][payload][u32 LE CRC-32 of
// everything before it]. A truncated or corrupted download never validates.
import { crc32 } from 'node:zlib';

const HEADER = 4;
const TRAILER = 4;

export function buildModelImage(payload: Uint8Array): Uint8Array {
  const total = HEADER + payload.length + TRAILER;
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  view.setUint32(0, total, true);
  out.set(payload, HEADER);
  view.setUint32(total - TRAILER, crc32(out.subarray(0, total - TRAILER)), true);
  return out;
}

/** Declared total length of an image starting at bytes[0], or undefined when too short. */
export function modelImageLength(bytes: Uint8Array): number | undefined {
  if (bytes.length < HEADER) return undefined;
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(0, true);
}

export function checkModelImage(bytes: Uint8Array): { ok: true } | { ok: false; reason: string } {
  const total = modelImageLength(bytes);
  if (total === undefined || total < HEADER + TRAILER) return { ok: false, reason: 'image too short for its header' };
  if (total !== bytes.length) return { ok: false, reason: `image declares ${total} bytes but ${bytes.length} are present` };
  const stored = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(total - TRAILER, true);
  const actual = crc32(bytes.subarray(0, total - TRAILER));
  if (stored !== actual) return { ok: false, reason: `CRC-32 mismatch (stored 0x${stored.toString(16)}, computed 0x${actual.toString(16)})` };
  return { ok: true };
}
