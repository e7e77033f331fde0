// Which board an image is for. imgtool can add custom TLVs (`--custom-tlv
// 0xa0 <value>`); fwbench reads TLV 0x00a0 as the target board's name. An image
// without it is accepted (most images carry none); one naming another board is
// refused before a byte is sent.
import type { InspectedImage } from './inspect-image';

export const BOARD_TLV = 0x00a0;

/** The board name an MCUboot image declares, if any. */
export function boardOf(image: InspectedImage, data: Uint8Array): string | undefined {
  const tlvs = (image.meta?.details.tlvs ?? []) as Array<{ type: number; offset: number; length: number }>;
  const t = tlvs.find((x) => x.type === BOARD_TLV);
  if (!t) return undefined;
  return Buffer.from(data.subarray(t.offset + 4, t.offset + 4 + t.length)).toString('utf8').replace(/\0+$/, '');
}

/** Appends a board TLV to an MCUboot image's (unprotected) TLV area, as imgtool --custom-tlv would. */
export function withBoardTlv(image: Uint8Array, board: string): Uint8Array {
  const v = new DataView(image.buffer, image.byteOffset, image.byteLength);
  const tlvStart = v.getUint16(8, true) + v.getUint32(12, true) + v.getUint16(10, true);
  const total = v.getUint16(tlvStart + 2, true);
  const value = Buffer.from(board, 'utf8');
  const out = Buffer.alloc(image.length + 4 + value.length);
  Buffer.from(image.subarray(0, tlvStart + total)).copy(out);
  out.writeUInt16LE(BOARD_TLV, tlvStart + total);
  out.writeUInt16LE(value.length, tlvStart + total + 2);
  value.copy(out, tlvStart + total + 4);
  Buffer.from(image.subarray(tlvStart + total)).copy(out, tlvStart + total + 4 + value.length);
  out.writeUInt16LE(total + 4 + value.length, tlvStart + 2);
  return new Uint8Array(out);
}
