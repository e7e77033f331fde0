// Bounds-checked integer reads for binary formats: every read names the field,
// so a truncated file reports which field ran past the end and where.
import type { HostError } from '../../errors/host-error';
import { atOffset, malformed, type ImageFormat } from './format-error';

export class BinaryView {
  private readonly view: DataView;

  constructor(
    readonly bytes: Uint8Array,
    private readonly format: ImageFormat,
    public littleEndian = true,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  get length(): number {
    return this.bytes.length;
  }

  fail(offset: number, problem: string): HostError {
    return malformed(this.format, atOffset(offset), problem);
  }

  /** Throws unless [offset, offset+length) lies inside the file. */
  need(offset: number, length: number, what: string): void {
    if (offset < 0 || length < 0 || offset + length > this.bytes.length) {
      throw this.fail(
        Math.min(Math.max(offset, 0), this.bytes.length),
        `${what} needs ${length} bytes at ${atOffset(offset)} but the file ends at ${this.bytes.length} bytes (truncated?)`,
      );
    }
  }

  u8(offset: number, what: string): number {
    this.need(offset, 1, what);
    return this.view.getUint8(offset);
  }

  u16(offset: number, what: string): number {
    this.need(offset, 2, what);
    return this.view.getUint16(offset, this.littleEndian);
  }

  u32(offset: number, what: string): number {
    this.need(offset, 4, what);
    return this.view.getUint32(offset, this.littleEndian);
  }

  /** 64-bit values as numbers; anything past 2^53 cannot be a real file offset or address here. */
  u64(offset: number, what: string): number {
    this.need(offset, 8, what);
    const v = this.view.getBigUint64(offset, this.littleEndian);
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw this.fail(offset, `${what} is ${'0x' + v.toString(16)}, too large to be real`);
    return Number(v);
  }

  slice(offset: number, length: number, what: string): Uint8Array {
    this.need(offset, length, what);
    return this.bytes.subarray(offset, offset + length);
  }

  ascii(offset: number, length: number, what: string): string {
    return String.fromCharCode(...this.slice(offset, length, what));
  }
}
