// ST DfuSe extensions (AN3156), checked against dfu-util's dfuse.c: commands
// are DNLOAD blocks with wBlockNum 0 (SET_ADDRESS_POINTER 0x21, ERASE 0x41 with
// or without an address, READ_UNPROTECT 0x92), executed when the host polls
// DFU_GETSTATUS (first answer dfuDNBUSY). Data blocks use wBlockNum >= 2 and land
// at address pointer + (wBlockNum - 2) * wTransferSize. "Leave" is a zero-length
// DNLOAD followed by DFU_GETSTATUS, after which the device jumps to its
// application.
import { HostError } from '../../errors/host-error';
import type { DfuControl } from './usb-control';
import { DfuClient, type DfuClientOptions, type TransferOptions } from './client';
import { parseDfuSeMemoryLayout, findSegment, pageStart, type DfuSeMemoryLayout } from './dfuse-memory-layout';
import { encodeErasePage, encodeMassErase, encodeReadUnprotect, encodeSetAddress, type DfuStatusReport } from './requests';
import { failureOf } from './dfu-errors';
import { DfuState } from './states';

export interface DfuSeClientOptions extends DfuClientOptions {
  /** The alternate setting's memory map, parsed or as its interface string. Needed for page erase and address checks. */
  layout?: DfuSeMemoryLayout | string;
}

export interface DfuSeElement {
  address: number;
  data: Uint8Array;
}

export interface DfuSeDownloadOptions extends Omit<TransferOptions, 'transferSize'> {
  /** 'pages' (default): erase every page the elements touch; 'mass': one mass erase; 'none': memory already erased. */
  erase?: 'pages' | 'mass' | 'none';
  /** Called per erased page: (done, total). */
  onErase?: (done: number, total: number) => void;
}

/** wBlockNum for the first data block after SET_ADDRESS_POINTER. */
const FIRST_DATA_BLOCK = 2;
const hex32 = (n: number) => `0x${n.toString(16).padStart(8, '0')}`;

export class DfuSeClient {
  readonly dfu: DfuClient;
  readonly layout?: DfuSeMemoryLayout;

  constructor(control: DfuControl, options: DfuSeClientOptions) {
    this.dfu = new DfuClient(control, options);
    this.layout = typeof options.layout === 'string' ? parseDfuSeMemoryLayout(options.layout) : options.layout;
  }

  private get transferSize(): number {
    return this.dfu.functional.transferSize;
  }

  /** Run one DfuSe command block and wait until the device has executed it (ends in dfuDNLOAD-IDLE). */
  private async command(payload: Uint8Array, name: string): Promise<DfuStatusReport> {
    try {
      await this.dfu.sendDnload(0, payload, `for ${name}`);
    } catch (err) {
      throw await this.dfu.explainStall(err, `DFU_DNLOAD for ${name}`);
    }
    // ST executes the command on the first GETSTATUS and answers dfuDNBUSY (dfu-util insists on it).
    return this.dfu.pollDownload(`DFU_DNLOAD for ${name}`, [DfuState.dfuDNBUSY, DfuState['dfuDNLOAD-IDLE']]);
  }

  async setAddress(address: number): Promise<void> {
    await this.command(encodeSetAddress(address), `SET_ADDRESS_POINTER ${hex32(address)}`);
  }

  /** Erase the page that holds `address`. */
  async erasePage(address: number): Promise<void> {
    if (this.layout) {
      const seg = findSegment(this.layout, address);
      if (!seg || !seg.erasable) throw new HostError('invalid-params', `The page at ${hex32(address)} cannot be erased: the device's memory map (${this.layout.name}) does not list it as erasable.`);
    }
    await this.command(encodeErasePage(address), `ERASE page ${hex32(address)}`);
  }

  async massErase(): Promise<void> {
    await this.command(encodeMassErase(), 'mass ERASE');
  }

  /**
   * READ_UNPROTECT removes read protection by erasing the whole flash, then the
   * device resets. Refused unless the caller confirms it explicitly.
   */
  async readUnprotect(options: { confirm?: boolean } = {}): Promise<void> {
    if (options.confirm !== true) {
      throw new HostError('confirmation-required', 'READ_UNPROTECT erases the entire flash (including the bootable image) and resets the device. Confirm it explicitly to proceed.');
    }
    await this.dfu.ensureIdle();
    await this.dfu.sendDnload(0, encodeReadUnprotect(), 'for READ_UNPROTECT');
    try {
      await this.dfu.getStatus('after READ_UNPROTECT');
    } catch (err) {
      if (failureOf(err) === undefined) throw err; // the device resets as it erases: losing it is expected
    }
  }

  /** The command bytes the bootloader supports (UPLOAD with wBlockNum 0): e.g. [0x00, 0x21, 0x41, 0x92]. */
  async getCommands(): Promise<number[]> {
    await this.dfu.ensureIdle();
    const data = await this.dfu.uploadBlock(0, this.transferSize, 'for Get commands');
    await this.dfu.ensureIdle();
    return Array.from(data);
  }

  /**
   * Write elements to their addresses: erase first (all pages, then data, as
   * dfu-util's two passes), then per element SET_ADDRESS_POINTER and data
   * blocks 2, 3, … of wTransferSize. Progress counts data bytes.
   */
  async downloadElements(elements: readonly DfuSeElement[], options: DfuSeDownloadOptions = {}): Promise<{ bytes: number }> {
    if (!this.dfu.functional.canDownload) throw new HostError('not-supported', 'This device does not accept downloads (bitCanDnload is 0).');
    if (elements.length === 0) throw new HostError('invalid-params', 'There is nothing to download: no DfuSe elements were given.');
    for (const el of elements) this.checkWritable(el);
    const total = elements.reduce((n, el) => n + el.data.length, 0);
    if (options.signal?.aborted) throw new HostError('cancelled', 'The transfer was cancelled before it started; nothing was sent to the device.');
    await this.dfu.ensureIdle();

    const erase = options.erase ?? 'pages';
    if (erase === 'mass') {
      await this.massErase();
    } else if (erase === 'pages') {
      const pages = this.pagesToErase(elements);
      for (let i = 0; i < pages.length; i++) {
        if (options.signal?.aborted) throw await this.dfu.cancel(`while erasing (${i} of ${pages.length} pages erased)`);
        await this.erasePage(pages[i]);
        options.onErase?.(i + 1, pages.length);
      }
    }

    const size = this.transferSize;
    let sent = 0;
    for (const el of elements) {
      let block = FIRST_DATA_BLOCK;
      let base = el.address;
      await this.setAddress(base);
      for (let off = 0; off < el.data.length; off += size) {
        if (options.signal?.aborted) throw await this.dfu.cancel(`after ${sent} of ${total} bytes`);
        if (block > 0xffff) {
          // wBlockNum is 16 bits: restart the numbering from a new address pointer.
          base = el.address + off;
          block = FIRST_DATA_BLOCK;
          await this.setAddress(base);
        }
        const chunk = el.data.subarray(off, Math.min(off + size, el.data.length));
        const address = el.address + off;
        try {
          await this.dfu.dnloadBlock(block, chunk, `for block ${block} (${chunk.length} bytes at ${hex32(address)})`);
        } catch (err) {
          if (err instanceof HostError && err.code !== 'cancelled') err.message += ` ${sent} of ${total} bytes had been written.`;
          throw err;
        }
        block++;
        sent += chunk.length;
        options.onProgress?.(sent, total);
      }
    }
    return { bytes: sent };
  }

  /** Read `length` bytes from `address` (UPLOAD blocks 2, 3, … after SET_ADDRESS_POINTER). */
  async readMemory(address: number, length: number, options: Omit<TransferOptions, 'transferSize'> = {}): Promise<Uint8Array> {
    if (!this.dfu.functional.canUpload) throw new HostError('not-supported', 'This device does not allow reading memory back (bitCanUpload is 0).');
    if (!Number.isInteger(length) || length <= 0) throw new HostError('invalid-params', 'The read length must be a positive whole number of bytes.', `got ${length}`);
    if (this.layout) {
      const seg = findSegment(this.layout, address);
      if (!seg || !seg.readable) throw new HostError('invalid-params', `The memory at ${hex32(address)} is not readable according to the device's memory map (${this.layout.name}).`);
    }
    const size = this.transferSize;
    const maxPerPointer = (0xffff - FIRST_DATA_BLOCK + 1) * size;
    const parts: Uint8Array[] = [];
    let got = 0;
    while (got < length) {
      const span = Math.min(length - got, maxPerPointer);
      await this.dfu.ensureIdle();
      await this.setAddress(address + got);
      await this.dfu.ensureIdle(); // UPLOAD is only accepted from dfuIDLE: ABORT out of dfuDNLOAD-IDLE
      const part = await this.dfu.uploadBlocks(FIRST_DATA_BLOCK, span, size, {
        signal: options.signal,
        onProgress: (n) => options.onProgress?.(got + n, length),
      });
      parts.push(part);
      got += part.length;
      if (part.length < span) break;
    }
    const out = new Uint8Array(got);
    let at = 0;
    for (const p of parts) {
      out.set(p, at);
      at += p.length;
    }
    return out;
  }

  /**
   * Leave DFU mode: optionally point at the application, then a zero-length
   * DNLOAD and DFU_GETSTATUS; the device answers dfuMANIFEST or just goes.
   */
  async leave(address?: number): Promise<{ left: true }> {
    await this.dfu.ensureIdle();
    if (address !== undefined) await this.setAddress(address);
    try {
      await this.dfu.sendDnload(FIRST_DATA_BLOCK, new Uint8Array(0), 'for the leave request');
      const st = await this.dfu.getStatus('after the leave request');
      if (st.state === DfuState.dfuERROR) throw await this.dfu.failWithStatus(st, 'the leave request');
      if (st.state !== DfuState.dfuMANIFEST && st.state !== DfuState['dfuMANIFEST-SYNC'] && st.state !== DfuState['dfuMANIFEST-WAIT-RESET']) {
        throw new HostError('protocol-error', `The device did not start leaving DFU mode: it reports ${st.stateName}.`);
      }
    } catch (err) {
      // Many DfuSe bootloaders jump to the application before or right after answering.
      if (failureOf(err) !== undefined) return { left: true };
      throw err;
    }
    return { left: true };
  }

  private checkWritable(el: DfuSeElement): void {
    if (el.data.length === 0) throw new HostError('invalid-params', `The DfuSe element at ${hex32(el.address)} is empty.`);
    const last = el.address + el.data.length - 1;
    if (!Number.isInteger(el.address) || el.address < 0 || last > 0xffffffff) {
      throw new HostError('invalid-params', `The DfuSe element at ${el.address} does not fit the 32-bit address space.`);
    }
    if (!this.layout) return;
    // Every segment the element crosses must be writeable.
    for (let a = el.address; a <= last; ) {
      const seg = findSegment(this.layout, a);
      if (!seg || !seg.writeable) {
        throw new HostError('invalid-params', `The address ${hex32(a)} (element at ${hex32(el.address)}, ${el.data.length} bytes) is not writeable according to the device's memory map (${this.layout.name}).`);
      }
      a = seg.end;
    }
  }

  private pagesToErase(elements: readonly DfuSeElement[]): number[] {
    if (!this.layout) throw new HostError('invalid-params', "Page erase needs the device's DfuSe memory map (its interface string); pass it as `layout`, or use mass erase.");
    const pages = new Set<number>();
    for (const el of elements) {
      const last = el.address + el.data.length - 1;
      for (let a = el.address; a <= last; ) {
        const seg = findSegment(this.layout, a);
        if (!seg) break; // checkWritable already refused unmapped addresses
        const page = pageStart(seg, a);
        if (seg.erasable) pages.add(page);
        a = page + seg.pageSize;
      }
    }
    return [...pages].sort((x, y) => x - y);
  }
}
