// The DFU functional descriptor (DFU 1.1 §4.1.3, table 4.2): bLength 9,
// bDescriptorType 0x21, bmAttributes, wDetachTimeOut, wTransferSize,
// bcdDFUVersion. DFU 1.0 devices send a 7-byte form without bcdDFUVersion.
import { HostError } from '../../errors/host-error';
import { hexBytes } from './requests';

export const DFU_FUNCTIONAL_DESCRIPTOR_TYPE = 0x21;

export interface DfuFunctionalDescriptor {
  canDownload: boolean;
  canUpload: boolean;
  /** The device answers requests after manifestation (returns to dfuIDLE) instead of resetting. */
  manifestationTolerant: boolean;
  /** The device detaches and re-enumerates by itself after DFU_DETACH (no USB reset needed). */
  willDetach: boolean;
  /** Max ms the device waits for a USB reset after DFU_DETACH. */
  detachTimeoutMs: number;
  /** Max bytes per DNLOAD/UPLOAD control transfer. */
  transferSize: number;
  /** BCD, e.g. 0x0110 for DFU 1.1, 0x011a for ST DfuSe. 0x0100 when the descriptor omitted it. */
  dfuVersion: number;
}

export function parseDfuFunctionalDescriptor(bytes: Uint8Array): DfuFunctionalDescriptor {
  const bLength = bytes[0];
  if (bytes.length < 7 || (bLength !== 9 && bLength !== 7) || bytes.length < bLength) {
    throw new HostError('protocol-error', 'The DFU functional descriptor has a wrong length (DFU 1.1 requires 9 bytes).', `bLength=${bLength ?? 'none'}, ${bytes.length} bytes: ${hexBytes(bytes)}`);
  }
  if (bytes[1] !== DFU_FUNCTIONAL_DESCRIPTOR_TYPE) {
    throw new HostError('protocol-error', 'This is not a DFU functional descriptor (its type is not 0x21).', hexBytes(bytes));
  }
  const attrs = bytes[2];
  const transferSize = bytes[5] | (bytes[6] << 8);
  if (transferSize === 0) {
    throw new HostError('protocol-error', 'The DFU functional descriptor declares a transfer size of 0 bytes.', hexBytes(bytes));
  }
  return {
    canDownload: (attrs & 0x01) !== 0,
    canUpload: (attrs & 0x02) !== 0,
    manifestationTolerant: (attrs & 0x04) !== 0,
    willDetach: (attrs & 0x08) !== 0,
    detachTimeoutMs: bytes[3] | (bytes[4] << 8),
    transferSize,
    dfuVersion: bLength === 9 ? bytes[7] | (bytes[8] << 8) : 0x0100,
  };
}

export function encodeDfuFunctionalDescriptor(d: DfuFunctionalDescriptor): Uint8Array {
  const attrs = (d.canDownload ? 1 : 0) | (d.canUpload ? 2 : 0) | (d.manifestationTolerant ? 4 : 0) | (d.willDetach ? 8 : 0);
  return Uint8Array.of(9, DFU_FUNCTIONAL_DESCRIPTOR_TYPE, attrs, d.detachTimeoutMs & 0xff, d.detachTimeoutMs >> 8, d.transferSize & 0xff, d.transferSize >> 8, d.dfuVersion & 0xff, d.dfuVersion >> 8);
}

/**
 * Find the functional descriptor among the class-specific descriptors that follow
 * a DFU interface descriptor (libusb's `extra` bytes). Undefined when absent.
 */
export function findDfuFunctionalDescriptor(extra: Uint8Array): DfuFunctionalDescriptor | undefined {
  let at = 0;
  while (at + 2 <= extra.length) {
    const len = extra[at];
    if (len < 2 || at + len > extra.length) {
      throw new HostError('protocol-error', 'The USB interface carries a malformed class descriptor list.', `at offset ${at}: ${hexBytes(extra)}`);
    }
    if (extra[at + 1] === DFU_FUNCTIONAL_DESCRIPTOR_TYPE) return parseDfuFunctionalDescriptor(extra.subarray(at, at + len));
    at += len;
  }
  return undefined;
}
