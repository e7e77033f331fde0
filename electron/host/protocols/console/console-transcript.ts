// Everything a board printed, split into lines with the host time each line
// started arriving, for the console panel and for error details. Bounded, so a
// board left printing for days does not eat the host's memory.

export interface TranscriptLine {
  /** Host time (ms since epoch) when the first byte of the line arrived. */
  t: number;
  /** The line without its CR/LF. Control bytes (backspaces of a countdown) are kept. */
  text: string;
  /** 'rx': from the board; 'tx': what the host sent (so the panel can tell them apart). */
  dir: 'rx' | 'tx';
}

export class ConsoleTranscript {
  private readonly lines: TranscriptLine[] = [];
  private partial = '';
  private partialT = 0;
  private readonly decoder = new TextDecoder('utf-8', { fatal: false });
  private readonly listeners = new Set<(line: TranscriptLine) => void>();

  constructor(
    private readonly maxLines = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** Feeds received bytes; complete lines are stored and announced. */
  receive(chunk: Uint8Array): void {
    this.appendText(this.decoder.decode(chunk, { stream: true }));
  }

  /** Records what the host sent, as its own line. */
  sent(text: string): void {
    this.store({ t: this.now(), text: text.replace(/[\r\n]+$/, ''), dir: 'tx' });
  }

  private appendText(text: string): void {
    let start = 0;
    for (let i = 0; i < text.length; i++) {
      if (text[i] !== '\n') continue;
      this.addPartial(text.slice(start, i));
      this.store({ t: this.partialT, text: this.partial.replace(/\r+$/, ''), dir: 'rx' });
      this.partial = '';
      start = i + 1;
    }
    this.addPartial(text.slice(start));
  }

  private addPartial(s: string): void {
    if (!s) return;
    if (!this.partial) this.partialT = this.now();
    this.partial += s;
  }

  private store(line: TranscriptLine): void {
    this.lines.push(line);
    if (this.lines.length > this.maxLines) this.lines.splice(0, this.lines.length - this.maxLines);
    for (const l of this.listeners) l(line);
  }

  /** Complete lines so far (oldest first). */
  all(): readonly TranscriptLine[] {
    return this.lines;
  }

  /** The line still being received (e.g. a prompt waiting for input). */
  pending(): string {
    return this.partial;
  }

  /** The last `chars` characters received, for error messages. */
  tail(chars = 400): string {
    let s = this.partial;
    for (let i = this.lines.length - 1; i >= 0 && s.length < chars; i--) {
      if (this.lines[i].dir === 'rx') s = `${this.lines[i].text}\n${s}`;
    }
    return s.length > chars ? s.slice(s.length - chars) : s;
  }

  onLine(listener: (line: TranscriptLine) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
