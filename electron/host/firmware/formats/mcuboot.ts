// MCUboot images (bootutil/image.h): 32-byte header, image body, optional protected
// TLV area (0x6908), TLV area (0x6907). The hash TLV is checked against header +
// body + protected TLVs, as bootutil does; signatures are listed, not verified
// (that needs the public key).
import { createHash } from 'node:crypto';
import { HostError } from '../../errors/host-error';
import { BinaryView } from './binary-view';
import { atOffset, hex, malformed } from './format-error';
import { describeImage, normalizeSegments, type ImageMetadata } from './memory-image';

export const MCUBOOT_MAGIC = 0x96f3b83d;
const MCUBOOT_MAGIC_V1 = 0x96f3b83c;
export const TLV_INFO_MAGIC = 0x6907;
export const TLV_PROT_INFO_MAGIC = 0x6908;
const HEADER_SIZE = 32;
/** Boot trailer magic written at the end of a slot by an image request. */
const TRAILER_MAGIC = Uint8Array.from([0x77, 0xc2, 0x95, 0xf3, 0x60, 0xd2, 0xef, 0x7f, 0x35, 0x52, 0x50, 0x0f, 0x2c, 0xb6, 0x79, 0x80]);

export const TLV_NAMES: Record<number, string> = {
  0x01: 'KEYHASH', 0x02: 'PUBKEY', 0x10: 'SHA256', 0x11: 'SHA384', 0x12: 'SHA512',
  0x20: 'RSA2048_PSS', 0x21: 'ECDSA224', 0x22: 'ECDSA_SIG', 0x23: 'RSA3072_PSS', 0x24: 'ED25519', 0x25: 'SIG_PURE',
  0x30: 'ENC_RSA2048', 0x31: 'ENC_KW', 0x32: 'ENC_EC256', 0x33: 'ENC_X25519', 0x34: 'ENC_X25519_SHA512',
  0x40: 'DEPENDENCY', 0x50: 'SEC_CNT', 0x60: 'BOOT_RECORD',
};
const HASH_TLVS: Record<number, { algorithm: string; length: number }> = {
  0x10: { algorithm: 'sha256', length: 32 }, 0x11: { algorithm: 'sha384', length: 48 }, 0x12: { algorithm: 'sha512', length: 64 },
};
const SIGNATURE_TLVS = new Set([0x20, 0x21, 0x22, 0x23, 0x24, 0x25]);
const FLAG_NAMES: Array<[number, string]> = [
  [0x01, 'PIC'], [0x04, 'ENCRYPTED_AES128'], [0x08, 'ENCRYPTED_AES256'], [0x10, 'NON_BOOTABLE'], [0x20, 'RAM_LOAD'],
  [0x100, 'ROM_FIXED'], [0x200, 'COMPRESSED_LZMA1'], [0x400, 'COMPRESSED_LZMA2'], [0x800, 'COMPRESSED_ARM_THUMB'],
];
const ENCRYPTED = 0x04 | 0x08;

export interface McubootTlv {
  type: number;
  name: string;
  offset: number;
  length: number;
  protected: boolean;
  value: Uint8Array;
}

export interface McubootOptions {
  /** Address of the slot the image goes to (default 0). */
  baseAddress?: number;
  /** Slot size in bytes: an image (header + body + TLVs) that does not fit is rejected. */
  slotSize?: number;
}

export function isMcuboot(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && new DataView(bytes.buffer, bytes.byteOffset, 4).getUint32(0, true) === MCUBOOT_MAGIC;
}

function readTlvArea(v: BinaryView, start: number, magic: number, isProtected: boolean, out: McubootTlv[]): number {
  const area = isProtected ? 'protected TLV area' : 'TLV area';
  const found = v.u16(start, `${area} magic`);
  if (found !== magic) throw v.fail(start, `${area} magic is ${hex(found, 4)}, expected ${hex(magic, 4)}`);
  const total = v.u16(start + 2, `${area} length`);
  if (total < 4) throw v.fail(start + 2, `${area} length ${total} is smaller than its own 4-byte header`);
  v.need(start, total, area);
  let at = start + 4;
  while (at < start + total) {
    if (at + 4 > start + total) throw v.fail(at, `${area} ends inside a TLV header (area ends at ${hex(start + total)})`);
    const type = v.u16(at, 'TLV type');
    const length = v.u16(at + 2, 'TLV length');
    if (at + 4 + length > start + total) {
      throw v.fail(at, `TLV ${TLV_NAMES[type] ?? hex(type)} of ${length} bytes runs past the end of the ${area} at ${hex(start + total)}`);
    }
    out.push({ type, name: TLV_NAMES[type] ?? `UNKNOWN_${hex(type, 2)}`, offset: at, length, protected: isProtected, value: v.bytes.subarray(at + 4, at + 4 + length) });
    at += 4 + length;
  }
  return total;
}

export function parseMcuboot(bytes: Uint8Array, options: McubootOptions = {}): ImageMetadata {
  const v = new BinaryView(bytes, 'mcuboot', true);
  const magic = v.u32(0, 'image header magic');
  if (magic === MCUBOOT_MAGIC_V1) throw new HostError('not-supported', 'This is an MCUboot v1 image, which is not supported.', `${atOffset(0)}: magic ${hex(magic)}`);
  if (magic !== MCUBOOT_MAGIC) throw v.fail(0, `header magic is ${hex(magic, 8)}, expected ${hex(MCUBOOT_MAGIC, 8)}`);
  v.need(0, HEADER_SIZE, 'image header');
  const loadAddress = v.u32(4, 'ih_load_addr');
  const hdrSize = v.u16(8, 'ih_hdr_size');
  const protSize = v.u16(10, 'ih_protect_tlv_size');
  const imgSize = v.u32(12, 'ih_img_size');
  const flags = v.u32(16, 'ih_flags');
  const version = `${v.u8(20, 'iv_major')}.${v.u8(21, 'iv_minor')}.${v.u16(22, 'iv_revision')}+${v.u32(24, 'iv_build_num')}`;
  if (hdrSize < HEADER_SIZE) throw v.fail(8, `ih_hdr_size is ${hdrSize}, expected at least ${HEADER_SIZE}`);
  const bodyEnd = hdrSize + imgSize;
  v.need(hdrSize, imgSize, `image body (ih_img_size ${imgSize})`);

  const tlvs: McubootTlv[] = [];
  let protectedEnd = bodyEnd;
  if (protSize > 0) {
    const total = readTlvArea(v, bodyEnd, TLV_PROT_INFO_MAGIC, true, tlvs);
    if (total !== protSize) throw v.fail(bodyEnd + 2, `protected TLV area length is ${total} but ih_protect_tlv_size says ${protSize}`);
    protectedEnd = bodyEnd + protSize;
  }
  const tlvTotal = readTlvArea(v, protectedEnd, TLV_INFO_MAGIC, false, tlvs);
  const imageEnd = protectedEnd + tlvTotal;

  if (options.slotSize !== undefined && imageEnd > options.slotSize) {
    throw new HostError('invalid-params', 'The MCUboot image does not fit in the slot.', `image needs ${imageEnd} bytes (header + body + TLVs), slot holds ${options.slotSize}`);
  }

  const encrypted = (flags & ENCRYPTED) !== 0;
  const hashTlv = tlvs.find((t) => !t.protected && HASH_TLVS[t.type]);
  let hash: Record<string, unknown>;
  if (!hashTlv) {
    throw new HostError('verification-failed', 'The MCUboot image has no hash TLV; the bootloader would refuse it.', `TLV area at ${atOffset(protectedEnd)} holds ${tlvs.map((t) => t.name).join(', ') || 'nothing'}`);
  }
  const { algorithm, length } = HASH_TLVS[hashTlv.type];
  if (hashTlv.length !== length) throw v.fail(hashTlv.offset, `${hashTlv.name} TLV is ${hashTlv.length} bytes, expected ${length}`);
  const stored = Buffer.from(hashTlv.value).toString('hex');
  if (encrypted) {
    hash = { algorithm, stored, checked: false, note: 'image is encrypted; the hash covers the plaintext and cannot be checked here' };
  } else {
    const computed = createHash(algorithm).update(bytes.subarray(0, protectedEnd)).digest('hex');
    if (computed !== stored) {
      throw new HostError('verification-failed', 'The MCUboot image hash does not match: the image is corrupt or was modified after signing.', `${hashTlv.name} TLV at ${atOffset(hashTlv.offset)} holds ${stored}, computed ${computed} over bytes 0..${protectedEnd}`);
    }
    hash = { algorithm, stored, checked: true };
  }

  const signatures = tlvs.filter((t) => SIGNATURE_TLVS.has(t.type)).map((t) => t.name);
  const keyHash = tlvs.find((t) => t.type === 0x01);
  const secCnt = tlvs.find((t) => t.type === 0x50 && t.length === 4);
  const trailing = bytes.subarray(imageEnd);
  const hasTrailerMagic = trailing.length >= 16 && TRAILER_MAGIC.every((b, i) => b === trailing[trailing.length - 16 + i]);
  const base = options.baseAddress ?? 0;

  return describeImage('mcuboot', normalizeSegments([{ address: base, data: bytes, origin: 'image' }]), {
    version,
    details: {
      loadAddress,
      headerSize: hdrSize,
      imageSize: imgSize,
      protectedTlvSize: protSize,
      tlvAreaSize: tlvTotal,
      totalSize: imageEnd,
      trailingBytes: trailing.length,
      trailerMagic: hasTrailerMagic,
      flags: FLAG_NAMES.filter(([bit]) => flags & bit).map(([, name]) => name),
      flagsRaw: flags,
      hash,
      keyHash: keyHash ? Buffer.from(keyHash.value).toString('hex') : undefined,
      securityCounter: secCnt ? new DataView(secCnt.value.buffer, secCnt.value.byteOffset, 4).getUint32(0, true) : undefined,
      signature: {
        present: signatures.length > 0,
        types: signatures,
        verified: false,
        note: signatures.length ? 'signature present but not verified: no public key was given' : 'image is not signed',
      },
      tlvs: tlvs.map(({ type, name, offset, length, protected: p }) => ({ type, name, offset, length, protected: p })),
    },
  });
}
