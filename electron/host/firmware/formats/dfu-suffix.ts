// DFU 1.1 file suffix (spec appendix B), matching dfu-util's dfu_file.c byte for byte:
// 16 bytes at the end: bcdDevice, idProduct, idVendor, bcdDFU (all LE), "UFD",
// bLength (16), dwCRC. dwCRC is the reflected CRC-32 (poly 0xEDB88320, init
// 0xffffffff) over everything before it, with no final XOR, i.e. the complement
// of the common CRC-32.
import { crc32 } from '../../checksums/crc32';
import { HostError } from '../../errors/host-error';
import { atOffset, hex, malformed } from './format-error';

export const DFU_SUFFIX_LENGTH = 16;
export const BCD_DFU_1_0 = 0x0100;
export const BCD_DFU_1_1 = 0x0110;
export const BCD_DFUSE = 0x011a;
/** Vendor/product/device value meaning "any". */
export const DFU_WILDCARD = 0xffff;

export interface DfuSuffix {
  bcdDevice: number;
  idProduct: number;
  idVendor: number;
  bcdDFU: number;
  /** bLength: bytes of suffix, 16 unless a vendor extended it. */
  length: number;
  crc: number;
  /** Offset where the suffix starts; the payload (with any prefix) is bytes[0, payloadEnd). */
  payloadEnd: number;
}


/** The value dfu-util stores in dwCRC for these bytes. */
export function dfuCrc(bytes: Uint8Array): number {
  // dfu-util stores the CRC-32 without its final XOR, i.e. its complement.
  return ~crc32(bytes) >>> 0;
}

/** True when the last 16 bytes carry the "UFD" signature (CRC not checked). */
export function hasDfuSuffix(bytes: Uint8Array): boolean {
  const n = bytes.length;
  return n >= DFU_SUFFIX_LENGTH && bytes[n - 6] === 0x44 && bytes[n - 7] === 0x46 && bytes[n - 8] === 0x55;
}

export function parseDfuSuffix(bytes: Uint8Array): DfuSuffix {
  const n = bytes.length;
  if (n < DFU_SUFFIX_LENGTH) throw malformed('dfu', atOffset(0), `file is ${n} bytes, too short for the 16-byte DFU suffix`);
  const at = n - DFU_SUFFIX_LENGTH;
  if (!hasDfuSuffix(bytes)) {
    const sig = String.fromCharCode(bytes[at + 10], bytes[at + 9], bytes[at + 8]);
    throw malformed('dfu', atOffset(at + 8), `expected the DFU suffix signature "UFD" but found ${JSON.stringify(sig)}`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset + at, DFU_SUFFIX_LENGTH);
  const length = view.getUint8(11);
  if (length < DFU_SUFFIX_LENGTH) throw malformed('dfu', atOffset(at + 11), `suffix length bLength is ${length}, expected at least 16`);
  if (length > n) throw malformed('dfu', atOffset(at + 11), `suffix length bLength is ${length} but the file has only ${n} bytes`);
  const crc = view.getUint32(12, true);
  const computed = dfuCrc(bytes.subarray(0, n - 4));
  if (crc !== computed) {
    throw new HostError(
      'verification-failed',
      'The DFU file CRC does not match: the file is corrupt or was modified after the suffix was added.',
      `${atOffset(n - 4)}: dwCRC is ${hex(crc, 8)}, computed ${hex(computed, 8)}`,
    );
  }
  return {
    bcdDevice: view.getUint16(0, true),
    idProduct: view.getUint16(2, true),
    idVendor: view.getUint16(4, true),
    bcdDFU: view.getUint16(6, true),
    length,
    crc,
    payloadEnd: n - length,
  };
}

export interface DfuSuffixFields {
  idVendor?: number;
  idProduct?: number;
  bcdDevice?: number;
  /** Default 0x0100, as dfu-suffix writes; DfuSe files use 0x011A. */
  bcdDFU?: number;
}

/** Returns payload + a 16-byte suffix that `dfu-suffix --check` accepts. */
export function addDfuSuffix(payload: Uint8Array, fields: DfuSuffixFields = {}): Uint8Array {
  const check = (name: string, value: number) => {
    if (!Number.isInteger(value) || value < 0 || value > 0xffff) {
      throw new HostError('invalid-params', `The DFU suffix ${name} must be a 16-bit number.`, `${name} = ${value}`);
    }
    return value;
  };
  if (hasDfuSuffix(payload)) {
    throw new HostError('invalid-params', 'The file already has a DFU suffix.', `"UFD" signature at ${atOffset(payload.length - 8)}`);
  }
  const out = new Uint8Array(payload.length + DFU_SUFFIX_LENGTH);
  out.set(payload);
  const view = new DataView(out.buffer, payload.length, DFU_SUFFIX_LENGTH);
  view.setUint16(0, check('bcdDevice', fields.bcdDevice ?? DFU_WILDCARD), true);
  view.setUint16(2, check('idProduct', fields.idProduct ?? DFU_WILDCARD), true);
  view.setUint16(4, check('idVendor', fields.idVendor ?? DFU_WILDCARD), true);
  view.setUint16(6, check('bcdDFU', fields.bcdDFU ?? BCD_DFU_1_0), true);
  out.set([0x55, 0x46, 0x44, DFU_SUFFIX_LENGTH], payload.length + 8);
  view.setUint32(12, dfuCrc(out.subarray(0, out.length - 4)), true);
  return out;
}

/** "1fc9:000c" style USB ID; ffff stays visible as the wildcard it is. */
export function usbId(s: Pick<DfuSuffix, 'idVendor' | 'idProduct'>): string {
  return `${s.idVendor.toString(16).padStart(4, '0')}:${s.idProduct.toString(16).padStart(4, '0')}`;
}
