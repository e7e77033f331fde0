// Host time in front of each received line, computed from the console event's
// `t` (when the host flushed the batch: within ~30 ms of the bytes arriving).

export function formatClock(t: number): string {
  const d = new Date(t);
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}.${p(d.getMilliseconds(), 3)}`;
}

/**
 * Stateful across chunks: a line that started in one event is not prefixed
 * again when its end arrives in the next. A line starts after '\n'; a lone
 * '\r' (progress bars, U-Boot's countdown) does not start one.
 */
export class TimestampPrefixer {
  private atLineStart = true;

  constructor(private readonly format: (t: number) => string = formatClock) {}

  feed(data: string, t: number): string {
    if (!data) return data;
    const stamp = `\x1b[2m[${this.format(t)}]\x1b[0m `;
    let out = '';
    for (const ch of data) {
      if (this.atLineStart) {
        out += stamp;
        this.atLineStart = false;
      }
      out += ch;
      if (ch === '\n') this.atLineStart = true;
    }
    return out;
  }

  /** After a history reload or a toggle: the next byte starts a line. */
  reset(): void {
    this.atLineStart = true;
  }
}
