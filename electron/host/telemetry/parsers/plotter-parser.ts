// The Arduino serial plotter's format: `a:1,b:2`, `a:1 b:2`, tab-separated,
// `Temp: 21.5` (label and value split by a blank), or bare values that
// become value1, value2, ... by position.
import type { ParseError, ParseResult, TelemetryParser } from './parser';
import { SampleBatchBuilder } from '../sample-batch';
import { LineSplitter } from './line-splitter';
import { scanNumber } from './number-scan';

export interface PlotterParserOptions {
  maxLineBytes?: number;
}

const SEP = new Uint8Array(256);
SEP[44] = SEP[32] = SEP[9] = SEP[59] = 1; // , space tab ;

export class PlotterParser implements TelemetryParser {
  private readonly splitter: LineSplitter;
  private readonly batch = new SampleBatchBuilder();
  private errors: ParseError[] = [];
  private hostT = 0;
  private readonly decoder = new TextDecoder();
  // Per-line scratch so a bad line adds nothing.
  private names: string[] = [];
  private values: number[] = [];
  private readonly onLine = (b: Uint8Array, s: number, e: number, lineNo: number, offset: number) => this.line(b, s, e, lineNo, offset);

  constructor(options: PlotterParserOptions = {}) {
    const max = options.maxLineBytes ?? 65536;
    this.splitter = new LineSplitter(max, (line, offset) => this.errors.push({ line, offset, message: `Line ${line} is longer than ${max} bytes; skipped.` }));
  }

  feed(chunk: Uint8Array, hostTimeMs: number): ParseResult {
    this.hostT = hostTimeMs;
    this.splitter.feed(chunk, this.onLine);
    const errors = this.errors;
    this.errors = [];
    return { samples: this.batch.take(), errors };
  }

  private line(b: Uint8Array, s: number, e: number, lineNo: number, offset: number): void {
    this.names.length = 0;
    this.values.length = 0;
    let bare = 0;
    let pendingLabel: string | null = null;
    let i = s;
    for (;;) {
      while (i < e && SEP[b[i]]) i++;
      if (i >= e) break;
      const a = i;
      let colon = -1;
      while (i < e && !SEP[b[i]]) {
        if (b[i] === 58 /* : */ && colon < 0) colon = i;
        i++;
      }
      if (pendingLabel !== null) {
        const v = scanNumber(b, a, i);
        if (v === undefined) return this.fail(lineNo, offset, `label "${pendingLabel}" is followed by ${JSON.stringify(this.decoder.decode(b.subarray(a, i)))}, not a number`);
        this.names.push(pendingLabel);
        this.values.push(v);
        pendingLabel = null;
        continue;
      }
      if (colon < 0) {
        const v = scanNumber(b, a, i);
        if (v === undefined) return this.fail(lineNo, offset, `${JSON.stringify(this.decoder.decode(b.subarray(a, i)))} is neither a number nor name:value`);
        this.names.push(`value${++bare}`);
        this.values.push(v);
        continue;
      }
      const name = this.decoder.decode(b.subarray(a, colon));
      if (name === '') return this.fail(lineNo, offset, 'a value has an empty name (":value")');
      if (colon === i - 1) {
        pendingLabel = name; // "Temp: 21.5"
        continue;
      }
      const v = scanNumber(b, colon + 1, i);
      if (v === undefined) return this.fail(lineNo, offset, `the value of "${name}" is not a number: ${JSON.stringify(this.decoder.decode(b.subarray(colon + 1, i)))}`);
      this.names.push(name);
      this.values.push(v);
    }
    if (pendingLabel !== null) return this.fail(lineNo, offset, `label "${pendingLabel}" has no value`);
    const hostT = this.hostT;
    for (let k = 0; k < this.names.length; k++) this.batch.column(this.names[k]).push(hostT, hostT, this.values[k]);
  }

  private fail(line: number, offset: number, why: string): void {
    this.errors.push({ line, offset, message: `Line ${line}: ${why}; line skipped.` });
  }
}
