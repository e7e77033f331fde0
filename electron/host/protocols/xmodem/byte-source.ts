// Byte-at-a-time reading for the X/YMODEM state machines: a StreamReader plus
// one byte of push-back (so a byte read to check "is this a second CAN?" can
// still be handled) and timeouts reported as null instead of thrown.
import { HostError } from '../../errors/host-error';
import type { StreamReader } from '../../transports/stream-reader';
import { CAN } from './codec';

/** How long a second CAN may take to follow the first; a lone CAN is line noise. */
const SECOND_CAN_MS = 1000;

export class ByteSource {
  private pushed: number[] = [];

  constructor(
    readonly reader: StreamReader,
    private readonly signal?: AbortSignal,
  ) {}

  /** Next byte, or null when none arrives within timeoutMs. Close and abort still throw. */
  async next(timeoutMs: number): Promise<number | null> {
    if (this.pushed.length) return this.pushed.shift()!;
    try {
      return await this.reader.readByte(Math.max(0, timeoutMs), this.signal);
    } catch (e) {
      if (e instanceof HostError && e.code === 'timeout') return null;
      throw e;
    }
  }

  /** Reads exactly n bytes (after any pushed-back byte), or null on timeout. */
  async read(n: number, timeoutMs: number): Promise<Uint8Array | null> {
    const out = new Uint8Array(n);
    let i = 0;
    while (i < n && this.pushed.length) out[i++] = this.pushed.shift()!;
    if (i === n) return out;
    try {
      out.set(await this.reader.read(n - i, Math.max(0, timeoutMs), this.signal), i);
      return out;
    } catch (e) {
      if (e instanceof HostError && e.code === 'timeout') return null;
      throw e;
    }
  }

  unread(byte: number): void {
    this.pushed.unshift(byte);
  }

  /** The next byte if it has already arrived, without waiting and without consuming it. */
  async peekArrived(): Promise<number | undefined> {
    if (this.pushed.length) return this.pushed[0];
    if (this.reader.buffered === 0) return undefined;
    const b = await this.next(0);
    if (b === null) return undefined;
    this.unread(b);
    return b;
  }

  /** Drops everything received so far (stale start requests, line noise). */
  discard(): void {
    this.pushed = [];
    this.reader.drain();
  }

  /** Called after a CAN: true when a second CAN follows (the peer cancelled). */
  async secondCan(): Promise<boolean> {
    const b = await this.next(SECOND_CAN_MS);
    if (b === CAN) return true;
    if (b !== null) this.unread(b);
    return false;
  }

  /** Waits until the line has been quiet for quietMs, dropping what arrives (before a NAK). */
  async purge(quietMs: number): Promise<void> {
    this.discard();
    while ((await this.next(quietMs)) !== null) this.reader.drain();
  }
}
