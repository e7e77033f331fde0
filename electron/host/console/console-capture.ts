// Everything a board prints, kept for the console panel: a bounded scrollback
// that survives reconnects (it belongs to the session, not the link) and
// batched console events so a chatty board does not flood the client.
import type { HostEvent } from '../../contract/events';

const FLUSH_MS = 30;

export class ConsoleCapture {
  private chunks: string[] = [];
  private size = 0;
  private pending = '';
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly sessionId: string,
    private readonly emit: (e: HostEvent) => void,
    private readonly maxBytes = 2 * 1024 * 1024,
  ) {}

  push(text: string): void {
    if (!text) return;
    this.chunks.push(text);
    this.size += text.length;
    while (this.size > this.maxBytes && this.chunks.length > 1) this.size -= this.chunks.shift()!.length;
    this.pending += text;
    if (!this.timer) this.timer = setTimeout(() => this.flush(), FLUSH_MS);
  }

  /** A line of the host's own (reconnects, resets), marked so it is not mistaken for device output. */
  note(text: string): void {
    this.push(`\r\n\x1b[2m[fwbench ${new Date().toISOString()}] ${text}\x1b[0m\r\n`);
  }

  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (!this.pending) return;
    const data = this.pending;
    this.pending = '';
    this.emit({ type: 'console', sessionId: this.sessionId, t: Date.now(), data });
  }

  history(maxBytes = this.maxBytes): string {
    const all = this.chunks.join('');
    return all.length > maxBytes ? all.slice(all.length - maxBytes) : all;
  }

  dispose(): void {
    this.flush();
  }
}
