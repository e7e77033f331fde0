// Paged flash laid out like a DfuSe memory map: erased bytes read 0xFF, a byte
// can only be programmed while erased (as NOR flash without erase-before-write).
import type { DfuSeMemoryLayout, DfuSeSegment } from '../../protocols/dfu/dfuse-memory-layout';
import { findSegment, pageStart } from '../../protocols/dfu/dfuse-memory-layout';

export type FlashFault = 'errADDRESS' | 'errPROG' | 'errTARGET';

export class FlashBank {
  private readonly banks: Uint8Array[];

  constructor(
    readonly layout: DfuSeMemoryLayout,
    banks?: Uint8Array[],
  ) {
    this.banks = banks ?? layout.segments.map((s) => new Uint8Array(s.end - s.start).fill(0xff));
  }

  clone(): FlashBank {
    return new FlashBank(this.layout, this.banks.map((b) => b.slice()));
  }

  private locate(address: number): { seg: DfuSeSegment; bank: Uint8Array } | undefined {
    const seg = findSegment(this.layout, address);
    return seg ? { seg, bank: this.banks[this.layout.segments.indexOf(seg)] } : undefined;
  }

  /** Bytes at [address, address+length), or undefined when any part is unmapped or unreadable. */
  read(address: number, length: number): Uint8Array | undefined {
    const out = new Uint8Array(length);
    for (let i = 0; i < length; ) {
      const at = this.locate(address + i);
      if (!at || !at.seg.readable) return undefined;
      const off = address + i - at.seg.start;
      const n = Math.min(length - i, at.seg.end - (address + i));
      out.set(at.bank.subarray(off, off + n), i);
      i += n;
    }
    return out;
  }

  write(address: number, data: Uint8Array): FlashFault | undefined {
    for (let i = 0; i < data.length; i++) {
      const at = this.locate(address + i);
      if (!at || !at.seg.writeable) return 'errADDRESS';
      const off = address + i - at.seg.start;
      if (at.seg.erasable && at.bank[off] !== 0xff && at.bank[off] !== data[i]) return 'errPROG';
    }
    for (let i = 0; i < data.length; i++) {
      const at = this.locate(address + i)!;
      at.bank[address + i - at.seg.start] = data[i];
    }
    return undefined;
  }

  erasePage(address: number): FlashFault | undefined {
    const at = this.locate(address);
    if (!at || !at.seg.erasable) return 'errTARGET';
    const off = pageStart(at.seg, address) - at.seg.start;
    at.bank.fill(0xff, off, off + at.seg.pageSize);
    return undefined;
  }

  massErase(): void {
    this.layout.segments.forEach((seg, i) => {
      if (seg.erasable) this.banks[i].fill(0xff);
    });
  }

  isMapped(address: number): boolean {
    return this.locate(address) !== undefined;
  }
}
