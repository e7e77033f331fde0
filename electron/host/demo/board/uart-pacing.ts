// Makes the simulated board's UART as slow as a real one: bytes are released
// no faster than `bytesPerSecond` (115200 baud 8N1 = 11520 B/s: ten bit times
// per byte). While bytes are queued the line is busy and time is counted
// exactly; an idle line earns no credit, so a burst after a pause is not faster
// than the wire either.
export const BAUD_115200_8N1 = 115200 / 10;

const TICK_MS = 4;

export class UartPacer {
  private queue: Uint8Array[] = [];
  private queued = 0;
  private credit = 0;
  private last = 0;
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;

  constructor(
    private readonly bytesPerSecond: number,
    private readonly deliver: (chunk: Uint8Array) => void,
  ) {
    if (!(bytesPerSecond > 0)) throw new Error('UART pacing needs a positive byte rate');
  }

  /** Bytes waiting for the wire. */
  get backlog(): number {
    return this.queued;
  }

  push(chunk: Uint8Array): void {
    if (this.stopped || chunk.length === 0) return;
    if (this.queued === 0) {
      this.last = performance.now();
      this.credit = 0;
    }
    this.queue.push(chunk);
    this.queued += chunk.length;
    this.schedule();
  }

  /** Drops what is queued (the board reset; its UART FIFO is gone). */
  clear(): void {
    this.queue = [];
    this.queued = 0;
  }

  stop(): void {
    this.stopped = true;
    this.clear();
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private schedule(): void {
    if (!this.timer && !this.stopped) this.timer = setTimeout(() => this.tick(), TICK_MS);
  }

  private tick(): void {
    this.timer = null;
    const now = performance.now();
    this.credit += ((now - this.last) / 1000) * this.bytesPerSecond;
    this.last = now;
    let n = Math.floor(this.credit);
    if (n <= 0 || this.queued === 0) return this.queued ? this.schedule() : undefined;
    const parts: Uint8Array[] = [];
    while (n > 0 && this.queue.length) {
      const head = this.queue[0];
      if (head.length <= n) {
        parts.push(head);
        this.queue.shift();
        n -= head.length;
        this.credit -= head.length;
        this.queued -= head.length;
      } else {
        parts.push(head.subarray(0, n));
        this.queue[0] = head.subarray(n);
        this.credit -= n;
        this.queued -= n;
        n = 0;
      }
    }
    if (this.queued === 0) this.credit = 0;
    this.deliver(parts.length === 1 ? parts[0] : Buffer.concat(parts));
    if (this.queued) this.schedule();
  }
}
