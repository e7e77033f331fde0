// Cuts a byte stream into lines for the text parsers. Complete lines are
// handed over in place (no copy); only a partial last line is kept, so a line
// split across any number of chunks comes out whole.

/** Receives one line: bytes[start, end) without the newline or a trailing CR. */
export type LineHandler = (bytes: Uint8Array, start: number, end: number, lineNo: number, offset: number) => void;

export class LineSplitter {
  private partial = new Uint8Array(0);
  private partialLen = 0;
  private overflowed = false;
  private lineNo = 0;
  private offset = 0; // stream offset of the first byte not yet handed out

  /** `onOverlong` reports a line longer than maxLineBytes; its bytes are dropped up to the next newline. */
  constructor(
    private readonly maxLineBytes: number,
    private readonly onOverlong: (lineNo: number, offset: number) => void,
  ) {}

  feed(chunk: Uint8Array, onLine: LineHandler): void {
    let from = 0;
    const n = chunk.length;
    if (this.partialLen > 0 || this.overflowed) {
      const nl = chunk.indexOf(10);
      const take = nl < 0 ? n : nl;
      if (!this.overflowed && this.partialLen + take > this.maxLineBytes) this.overflow();
      if (this.overflowed) {
        // partialLen counts the dropped bytes so offsets stay exact.
        if (nl < 0) {
          this.partialLen += n;
          return;
        }
        this.offset += this.partialLen + nl + 1;
        this.partialLen = 0;
        this.overflowed = false;
      } else {
        this.append(chunk, 0, take);
        if (nl < 0) return;
        const len = this.partialLen;
        this.partialLen = 0;
        this.emit(this.partial, 0, len, len + 1, onLine);
      }
      from = nl + 1;
    }
    let i = from;
    for (;;) {
      const nl = chunk.indexOf(10, i);
      if (nl < 0) break;
      this.emit(chunk, i, nl, nl - i + 1, onLine);
      i = nl + 1;
    }
    if (i < n) {
      if (n - i > this.maxLineBytes) this.overflow(n - i);
      else this.append(chunk, i, n);
    }
  }

  private emit(bytes: Uint8Array, start: number, end: number, consumed: number, onLine: LineHandler): void {
    this.lineNo++;
    const offset = this.offset;
    this.offset += consumed;
    if (end > start && bytes[end - 1] === 13) end--;
    onLine(bytes, start, end, this.lineNo, offset);
  }

  private overflow(extra = 0): void {
    this.lineNo++;
    this.onOverlong(this.lineNo, this.offset);
    this.overflowed = true;
    this.partialLen += extra; // counted for the offset only; the bytes are gone
  }

  private append(chunk: Uint8Array, start: number, end: number): void {
    const need = this.partialLen + (end - start);
    if (need > this.partial.length) {
      const next = new Uint8Array(Math.max(need, this.partial.length * 2, 256));
      next.set(this.partial.subarray(0, this.partialLen));
      this.partial = next;
    }
    this.partial.set(chunk.subarray(start, end), this.partialLen);
    this.partialLen = need;
  }
}
