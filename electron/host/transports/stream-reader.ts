import type { ByteStream } from './byte-stream';
import { HostError } from '../errors/host-error';

/**
 * Buffers a ByteStream's input so protocol clients can read with timeouts
 * (XMODEM's single bytes, a console's "expect a prompt"). One reader per
 * protocol exchange; dispose() detaches it.
 */
export class StreamReader {
  private buf: Uint8Array = new Uint8Array(0);
  private waiter: (() => void) | null = null;
  private closed: Error | null = null;
  private readonly offData: () => void;
  private readonly offClose: () => void;

  constructor(private readonly stream: ByteStream) {
    this.offData = stream.onData((chunk) => {
      const next = new Uint8Array(this.buf.length + chunk.length);
      next.set(this.buf);
      next.set(chunk, this.buf.length);
      this.buf = next;
      this.wake();
    });
    this.offClose = stream.onClose((reason) => {
      this.closed = reason ?? new Error('link closed');
      this.wake();
    });
  }

  private wake(): void {
    const w = this.waiter;
    this.waiter = null;
    w?.();
  }

  /** Bytes received and not yet consumed. */
  get buffered(): number {
    return this.buf.length;
  }

  /** Discards everything buffered (XMODEM purges line noise before answering). */
  drain(): Uint8Array {
    const out = this.buf;
    this.buf = new Uint8Array(0);
    return out;
  }

  private async waitFor<T>(take: () => T | undefined, timeoutMs: number, what: string, signal?: AbortSignal): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const got = take();
      if (got !== undefined) return got;
      if (signal?.aborted) throw new HostError('cancelled', 'The operation was cancelled.');
      if (this.closed) throw new HostError('device-gone', 'The link to the device closed.', `${what}: ${this.closed.message}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new HostError('timeout', `The device did not answer in time (${what}).`, `waited ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(done, left);
        const onAbort = () => done();
        signal?.addEventListener('abort', onAbort, { once: true });
        function done() {
          clearTimeout(t);
          signal?.removeEventListener('abort', onAbort);
          resolve();
        }
        this.waiter = done;
      });
    }
  }

  /** Reads exactly n bytes. */
  read(n: number, timeoutMs: number, signal?: AbortSignal): Promise<Uint8Array> {
    return this.waitFor(
      () => {
        if (this.buf.length < n) return undefined;
        const out = this.buf.slice(0, n);
        this.buf = this.buf.slice(n);
        return out;
      },
      timeoutMs,
      `reading ${n} byte(s)`,
      signal,
    );
  }

  async readByte(timeoutMs: number, signal?: AbortSignal): Promise<number> {
    return (await this.read(1, timeoutMs, signal))[0];
  }

  /**
   * Reads text until `pattern` matches the decoded (latin1) buffer; returns the
   * text before the match and the match. Consumes through the end of the match.
   */
  expect(pattern: RegExp | string, timeoutMs: number, signal?: AbortSignal): Promise<{ before: string; match: RegExpExecArray }> {
    const re = typeof pattern === 'string' ? new RegExp(escapeRegExp(pattern)) : pattern;
    return this.waitFor(
      () => {
        const text = latin1(this.buf);
        re.lastIndex = 0;
        const m = re.exec(text);
        if (!m) return undefined;
        const end = m.index + m[0].length;
        this.buf = this.buf.slice(end);
        return { before: text.slice(0, m.index), match: m };
      },
      timeoutMs,
      `waiting for ${re}`,
      signal,
    );
  }

  dispose(): void {
    this.offData();
    this.offClose();
    this.wake();
  }
}

export function latin1(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 8192) s += String.fromCharCode(...bytes.subarray(i, i + 8192));
  return s;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
