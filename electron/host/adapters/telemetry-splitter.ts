// Splits one byte stream into console text and telemetry records that start
// with a marker (the demo board's RS 'T' lines), keeping partial records
// across chunks. Console bytes keep their order.
export class MarkedLineSplitter {
  private inRecord = false;
  private record = '';
  private markMatch = 0;

  constructor(private readonly mark: string, private readonly maxRecord = 4096) {}

  /** Returns console text and complete records (without the marker and newline). */
  feed(text: string): { console: string; records: string[] } {
    let consoleText = '';
    const records: string[] = [];
    for (let i = 0; i < text.length; i++) {
      const ch = text[i];
      if (this.inRecord) {
        if (ch === '\n') {
          records.push(this.record.replace(/\r$/, ''));
          this.record = '';
          this.inRecord = false;
        } else if (this.record.length < this.maxRecord) this.record += ch;
        continue;
      }
      if (ch === this.mark[this.markMatch]) {
        this.markMatch++;
        if (this.markMatch === this.mark.length) {
          this.inRecord = true;
          this.markMatch = 0;
        }
        continue;
      }
      if (this.markMatch > 0) {
        // A false start: the held bytes were console text after all.
        consoleText += this.mark.slice(0, this.markMatch);
        this.markMatch = 0;
        if (ch === this.mark[0]) {
          this.markMatch = 1;
          continue;
        }
      }
      consoleText += ch;
    }
    return { console: consoleText, records };
  }
}
