// XMODEM and YMODEM receivers over a ByteStream. We ask for CRC mode with 'C'
// and fall back to checksum mode (NAK) when the sender stays silent; bad blocks
// are NAKed once the line is quiet, duplicates ACKed and dropped, and a block
// from the wrong place in the sequence cancels the transfer.
import type { ByteStream } from '../../transports/byte-stream';
import { HostError } from '../../errors/host-error';
import type { ByteSource } from './byte-source';
import {
  ACK,
  CAN,
  CRC_REQUEST,
  EOT,
  NAK,
  SOH,
  STX,
  checkLength,
  decodeBlock,
  decodeYmodemHeader,
  payloadSizeOf,
  type CheckMode,
  type YmodemHeader,
} from './codec';
import { peerCancelled, resolveOptions, runTransfer, type TransferOptions } from './session';

export interface ReceiveProgress {
  file: string;
  received: number;
  /** Announced size (YMODEM), when known. */
  total?: number;
}

export interface ReceiveOptions extends TransferOptions {
  onProgress?(p: ReceiveProgress): void;
  /** Refuse transfers larger than this many bytes (memory guard). Default 1 GiB. */
  maxBytes?: number;
}

export interface XmodemReceiveOptions extends ReceiveOptions {
  /** The real length if known out of band: the padding past it is cut off. */
  size?: number;
}

export interface XmodemReceived {
  /** Everything received, padding (SUB) included unless `size` was given. */
  data: Uint8Array;
  mode: CheckMode;
}

export interface ReceivedFile {
  name: string;
  /** Announced size; the data length when the sender did not announce one. */
  size: number;
  mtime?: Date;
  mode?: number;
  data: Uint8Array;
}

/** Interval between start requests ('C' or NAK) while the sender is silent. */
const START_INTERVAL_MS = 3000;
/** Start requests sent as 'C' before falling back to checksum mode. */
const CRC_START_TRIES = 3;
/** Quiet time that ends a purge before we NAK a bad block. */
const PURGE_QUIET_MS = 200;
/** Non-protocol bytes tolerated between blocks before we count it as a bad block. */
const NOISE_LIMIT = 4096;
const DEFAULT_MAX_BYTES = 1 << 30;

/** Receives one XMODEM / XMODEM-1K transfer. */
export async function xmodemReceive(stream: ByteStream, opts: XmodemReceiveOptions = {}): Promise<XmodemReceived> {
  const cfg = resolveOptions(opts);
  if (opts.size !== undefined && !(Number.isSafeInteger(opts.size) && opts.size >= 0))
    throw new HostError('invalid-params', 'The expected size must be a whole number of bytes.', String(opts.size));
  return runTransfer(stream, opts, async (src) => {
    const r = new Receiver(stream, src, cfg, opts, false);
    const first = await r.awaitFirst(cfg.startTimeoutMs, true);
    if (first.kind === 'block' && first.seq === 0) {
      throw new HostError('protocol-error', 'The sender is using YMODEM (it sent a block 0); receive with YMODEM instead.');
    }
    const data = await r.receiveData('xmodem', opts.size, first);
    if (opts.size !== undefined && data.length < opts.size)
      throw new HostError('protocol-error', `The transfer ended after ${data.length} bytes; ${opts.size} were expected.`);
    return { data: opts.size === undefined ? data : data.subarray(0, opts.size), mode: r.mode };
  });
}

/** Receives a YMODEM batch; each file's data is cut to its announced size. */
export async function ymodemReceive(stream: ByteStream, opts: ReceiveOptions = {}): Promise<ReceivedFile[]> {
  const cfg = resolveOptions(opts);
  return runTransfer(stream, opts, async (src) => {
    const r = new Receiver(stream, src, cfg, opts, true);
    const files: ReceivedFile[] = [];
    for (;;) {
      const header = await r.receiveHeader(files.length === 0 ? cfg.startTimeoutMs : cfg.timeoutMs, files.length === 0);
      if (header === null) return files;
      await r.send(r.mode === 'crc' ? CRC_REQUEST : NAK);
      const data = await r.receiveData(header.name, header.size);
      if (header.size !== undefined && data.length < header.size)
        throw new HostError('protocol-error', `${header.name} ended after ${data.length} bytes; its header announced ${header.size}.`);
      files.push({
        name: header.name,
        size: header.size ?? data.length,
        ...(header.mtime ? { mtime: header.mtime } : {}),
        ...(header.mode !== undefined ? { mode: header.mode } : {}),
        data: header.size === undefined ? data : data.subarray(0, header.size),
      });
    }
  });
}

type Event = { kind: 'block'; seq: number; payload: Uint8Array } | { kind: 'bad'; why: string } | { kind: 'eot' } | { kind: 'timeout' };

class Receiver {
  mode: CheckMode = 'crc';
  private readonly maxBytes: number;

  constructor(
    private readonly stream: ByteStream,
    private readonly src: ByteSource,
    private readonly cfg: { retries: number; timeoutMs: number },
    private readonly opts: ReceiveOptions,
    private readonly ymodem: boolean,
  ) {
    this.maxBytes = opts.maxBytes ?? DEFAULT_MAX_BYTES;
  }

  send(byte: number): Promise<void> {
    return this.stream.write(Uint8Array.of(byte));
  }

  /**
   * Asks the sender to start (or to send the next YMODEM header) until a block
   * or EOT arrives. With `mayFallBack`, 'C' is tried CRC_START_TRIES times, then NAK.
   */
  async awaitFirst(timeoutMs: number, mayFallBack: boolean): Promise<Event> {
    const deadline = Date.now() + timeoutMs;
    for (let tries = 0; ; tries++) {
      if (mayFallBack && tries === CRC_START_TRIES) this.mode = 'checksum';
      await this.send(this.mode === 'crc' ? CRC_REQUEST : NAK);
      const left = deadline - Date.now();
      if (left <= 0) break;
      const ev = await this.nextEvent(Math.min(START_INTERVAL_MS, left));
      if (ev.kind === 'block' || ev.kind === 'eot') return ev;
      if (Date.now() >= deadline) break;
    }
    throw new HostError('timeout', `The sender did not start within ${Math.round(timeoutMs / 1000)} s.`, `mode ${this.mode}`);
  }

  /** Reads YMODEM block 0; null at the end of the batch (both ACKed). */
  async receiveHeader(timeoutMs: number, first: boolean): Promise<YmodemHeader | null> {
    let ev = await this.awaitFirst(timeoutMs, first);
    for (let errors = 0; ; ) {
      if (ev.kind === 'eot') {
        // Our ACK of the previous file's EOT was lost; ACK again and ask anew.
        await this.send(ACK);
      } else if (ev.kind === 'block') {
        if (ev.seq !== 0) throw new HostError('protocol-error', `Expected a YMODEM header (block 0), got block ${ev.seq}. Is the sender using XMODEM?`);
        let header: YmodemHeader | null;
        try {
          header = decodeYmodemHeader(ev.payload);
        } catch (e) {
          throw HostError.from(e);
        }
        if (header && header.size !== undefined && header.size > this.maxBytes)
          throw new HostError('protocol-error', `${header.name} is ${header.size} bytes, more than the ${this.maxBytes}-byte limit.`);
        await this.send(ACK);
        return header;
      } else if (++errors > this.cfg.retries) {
        throw new HostError(ev.kind === 'timeout' ? 'timeout' : 'protocol-error', 'No valid YMODEM header block arrived.', ev.kind === 'bad' ? ev.why : undefined);
      }
      ev = await this.awaitFirst(timeoutMs, false);
    }
  }

  /** Data blocks from block 1 up to EOT; returns the bytes (padding included). */
  async receiveData(file: string, total: number | undefined, firstEvent?: Event): Promise<Uint8Array> {
    const chunks: Uint8Array[] = [];
    let received = 0;
    let expected = 1;
    let errors = 0;
    let eotNaked = false;
    this.opts.onProgress?.({ file, received: 0, total });
    let ev = firstEvent ?? (await this.nextEvent(this.cfg.timeoutMs));
    for (;;) {
      if (ev.kind === 'block') {
        eotNaked = false;
        if (ev.seq === (expected & 0xff)) {
          received += ev.payload.length;
          if (received > this.maxBytes + 1024) throw new HostError('protocol-error', `The transfer exceeds the ${this.maxBytes}-byte limit.`);
          chunks.push(ev.payload);
          expected++;
          errors = 0;
          await this.send(ACK);
          this.opts.onProgress?.({ file, received: total === undefined ? received : Math.min(received, total), total });
        } else if (ev.seq === ((expected - 1) & 0xff)) {
          // The sender missed our ACK: ACK again, keep one copy.
          await this.send(ACK);
          if (ev.seq === 0 && this.ymodem) await this.send(this.mode === 'crc' ? CRC_REQUEST : NAK);
        } else {
          throw new HostError('protocol-error', `Block ${ev.seq} arrived when block ${expected & 0xff} was expected.`, file);
        }
      } else if (ev.kind === 'eot') {
        // YMODEM: NAK the first EOT so a noise byte cannot end the file early.
        if (!this.ymodem || eotNaked) {
          await this.send(ACK);
          return concat(chunks, received);
        }
        eotNaked = true;
        await this.send(NAK);
      } else {
        if (++errors > this.cfg.retries)
          throw new HostError(ev.kind === 'timeout' ? 'timeout' : 'protocol-error', `Gave up on ${file} after ${errors} bad or missing blocks.`, ev.kind === 'bad' ? ev.why : `no block within ${this.cfg.timeoutMs} ms`);
        await this.send(NAK);
      }
      ev = await this.nextEvent(this.cfg.timeoutMs);
    }
  }

  /** The next block, EOT, bad block (line already purged) or timeout. CAN CAN throws. */
  private async nextEvent(timeoutMs: number): Promise<Event> {
    const deadline = Date.now() + timeoutMs;
    let noise = 0;
    for (;;) {
      const b = await this.src.next(deadline - Date.now());
      if (b === null) return { kind: 'timeout' };
      if (b === SOH || b === STX) {
        const rest = await this.src.read(2 + payloadSizeOf(b) + checkLength(this.mode), this.cfg.timeoutMs);
        if (rest === null) return this.bad('a block stopped short');
        const frame = new Uint8Array(1 + rest.length);
        frame[0] = b;
        frame.set(rest, 1);
        try {
          return { kind: 'block', ...decodeBlock(frame, this.mode) };
        } catch (e) {
          return this.bad(e instanceof Error ? `${e.message}${e instanceof HostError && e.detail ? ` (${e.detail})` : ''}` : String(e));
        }
      }
      if (b === EOT) return { kind: 'eot' };
      if (b === CAN) {
        if (await this.src.secondCan()) throw peerCancelled('sender');
      } else if (++noise > NOISE_LIMIT) {
        return this.bad(`${noise} bytes of line noise`);
      }
    }
  }

  private async bad(why: string): Promise<Event> {
    await this.src.purge(PURGE_QUIET_MS);
    return { kind: 'bad', why };
  }
}

function concat(chunks: Uint8Array[], length: number): Uint8Array {
  const out = new Uint8Array(length);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}
