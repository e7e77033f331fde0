// Line mode's input history, shell-style: Up walks back through what was sent,
// Down walks forward and finally returns the line being typed before Up.
export class LineHistory {
  private readonly lines: string[] = [];
  /** lines.length while not browsing. */
  private pos = 0;
  private draft = '';

  constructor(private readonly max = 200) {}

  /** Records a sent line (not blank, not the same as the one before) and stops browsing. */
  push(line: string): void {
    if (line.trim() !== '' && this.lines.at(-1) !== line) {
      this.lines.push(line);
      if (this.lines.length > this.max) this.lines.shift();
    }
    this.pos = this.lines.length;
    this.draft = '';
  }

  /** The older line, or undefined at the oldest. `current` is kept as the draft when browsing starts. */
  up(current: string): string | undefined {
    if (this.pos === 0) return undefined;
    if (this.pos === this.lines.length) this.draft = current;
    this.pos--;
    return this.lines[this.pos];
  }

  /** The newer line, the draft past the newest, or undefined when not browsing. */
  down(): string | undefined {
    if (this.pos >= this.lines.length) return undefined;
    this.pos++;
    return this.pos === this.lines.length ? this.draft : this.lines[this.pos];
  }

  get size(): number {
    return this.lines.length;
  }
}

export type LineEnding = 'cr' | 'lf' | 'crlf';
export const LINE_ENDINGS: Readonly<Record<LineEnding, string>> = { cr: '\r', lf: '\n', crlf: '\r\n' };
