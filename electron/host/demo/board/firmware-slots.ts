// The demo board's flash: ONE slot model, shared by the SMP image group, the
// shell's `fw` commands and the boot path. It is the SMP server's board state
// (MCUboot swap: upload → slot 1, test → swap at reset, revert at the reset
// after unless confirmed) plus what MCUboot itself does before a swap: check the
// candidate's header and SHA-256 TLV, and erase it instead of booting a corrupt
// image.
import { createHash } from 'node:crypto';
import { buildMcubootImage, slotOf, SmpBoardState, type ImageSlot, type ResetOutcome, type SmpBoardStateOptions } from '../smp-server';

export const IMAGE_MAGIC = 0x96f3b83d;
const TLV_INFO_MAGIC = 0x6907;
const TLV_PROT_INFO_MAGIC = 0x6908;
const TLV_SHA256 = 0x10;
/** Slot size: room for the 512 KiB images the demos and tests send, and more. */
export const DEMO_SLOT_SIZE = 4 * 1024 * 1024;
/**
 * An application image whose body holds this text "crashes" during start-up:
 * it prints a panic before its prompt and the watchdog resets the board. It is
 * how the demo shows a trial image that never comes up (MCUboot reverts it).
 */
export const BOOT_PANIC_MARKER = 'FWBENCH_BOOT_PANIC';

export type ImageCheck = { ok: true; version: string; sha256: string } | { ok: false; reason: string };

/** MCUboot's boot-time validation of an image: header magic, sizes, and the SHA-256 TLV over header+body+protected TLVs. */
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

/** MCUboot's "X.Y.Z+B" — what the board prints in its banner and `info`. */
export function mcubootVersion(slot: Pick<ImageSlot, 'parts'>): string {
  const [a, b, c, d] = slot.parts;
  return `${a}.${b}.${c}+${d}`;
}

export function parseVersion(text: string): [number, number, number, number] {
  const m = /^(\d+)\.(\d+)\.(\d+)(?:\+(\d+))?$/.exec(text);
  if (!m) throw new Error(`bad demo board version "${text}" (want X.Y.Z+B)`);
  return [Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4] ?? 0)];
}

/** The image "flashed at the factory": a real MCUboot image, so its hash is what SMP reports. */
export function factoryImage(version: string, serial: string): Uint8Array {
  const body = new Uint8Array(16 * 1024);
  const seed = createHash('sha256').update(`fwbench demo factory image ${version}`).digest();
  for (let i = 0; i < body.length; i++) body[i] = seed[i % seed.length] ^ (i >> 5);
  body.set(Buffer.from(`fwbench-demo ${serial} ${version}`), 0);
  return buildMcubootImage(parseVersion(version), body);
}

/**
 * An application image for the demo board to be updated to (`fwbench demo
 * image`): a real MCUboot image with its SHA-256 TLV, the check the demo board's
 * boot path makes. The body is derived from the version, so the same version
 * always gives the same bytes (and the same hash).
 */
export function demoAppImage(version: string, bodyBytes = 16 * 1024): Uint8Array {
  if (!Number.isInteger(bodyBytes) || bodyBytes < 64 || bodyBytes > DEMO_SLOT_SIZE - 1024) throw new Error(`the image body must be 64 to ${DEMO_SLOT_SIZE - 1024} bytes`);
  const body = new Uint8Array(bodyBytes);
  const seed = createHash('sha256').update(`fwbench demo application ${version}`).digest();
  for (let i = 0; i < body.length; i++) body[i] = seed[i % seed.length] ^ (i >> 5);
  body.set(Buffer.from(`fwbench-demo application ${version}`), 0);
  return buildMcubootImage(parseVersion(version), body);
}

export function panicsAtBoot(slot: ImageSlot): boolean {
  return Buffer.from(slot.data.buffer, slot.data.byteOffset, slot.data.byteLength).includes(BOOT_PANIC_MARKER);
}

export class BoardFlash extends SmpBoardState {
  /** Why MCUboot erased slot 1 at the last reset, if it did. */
  lastErase: string | undefined;

  constructor(o: SmpBoardStateOptions) {
    super({ slotSize: DEMO_SLOT_SIZE, bufSize: 2048, bufCount: 4, ...o });
  }

  /** Stages a complete image in slot 1 (the shell's YMODEM `fw load`), the same place an SMP upload lands. */
  stage(data: Uint8Array): ImageCheck {
    if (this.pending !== 'none') return { ok: false, reason: 'slot 1 is pending for the next boot' };
    if (data.length > this.slotSize) return { ok: false, reason: `image of ${data.length} bytes does not fit the ${this.slotSize}-byte slot` };
    const check = checkImage(data);
    if (!check.ok) return check;
    this.upload = null;
    this.slots[1] = slotOf(data);
    return check;
  }

  /** MCUboot's view before a swap: a pending image that does not check out is erased, not booted. */
  override reset(): ResetOutcome {
    this.lastErase = undefined;
    const s1 = this.slots[1];
    if (this.pending !== 'none' && s1) {
      const check = checkImage(s1.data);
      if (!check.ok) {
        this.lastErase = check.reason;
        this.slots[1] = null;
        this.pending = 'none';
      }
    }
    return super.reset();
  }
}
