// CSV and whitespace-column telemetry: one line per time step, one column per
// channel, optionally a device-time column. The hot loop works on bytes (no
// split, no regex, no string per field) to sustain several MS/s.
import type { ParseError, ParseResult, TelemetryParser } from './parser';
import { ColumnBuilder, SampleBatchBuilder } from '../sample-batch';
import { LineSplitter } from './line-splitter';
import { scanNumber } from './number-scan';

export type CsvDelimiter = ',' | ';' | '\t' | 'whitespace';

export interface CsvParserOptions {
  /** Field separator; by default detected from the first line (',' then ';', else runs of blanks and tabs). */
  delimiter?: CsvDelimiter;
  /** Channel names per column. Without them the first line is the header; an all-numeric first line gets col1..colN and counts as data. */
  columns?: string[];
  /** Column (name or 0-based index) holding device time; its values become t. */
  timeColumn?: string | number;
  /** Multiplier from the time column's unit to ms (1000 for seconds, 0.001 for µs). */
  timeScale?: number;
  /** Longer lines are reported and dropped (a stream with no newlines must not grow memory forever). */
  maxLineBytes?: number;
}

const SPACE = 32;
const TAB = 9;

export class CsvParser implements TelemetryParser {
  private readonly splitter: LineSplitter;
  private readonly batch = new SampleBatchBuilder();
  private errors: ParseError[] = [];
  private delim = -1; // byte, or -1 for whitespace runs; decided at the first line
  private delimKnown: boolean;
  private names: string[] | null = null;
  private cols: (ColumnBuilder | null)[] = [];
  private timeIdx = -1;
  private vals = new Float64Array(0);
  private present = new Uint8Array(0);
  private hostT = 0;
  private readonly timeScale: number;
  private readonly onLine = (b: Uint8Array, s: number, e: number, lineNo: number, offset: number) => this.line(b, s, e, lineNo, offset);

  constructor(private readonly options: CsvParserOptions = {}) {
    this.timeScale = options.timeScale ?? 1;
    this.delimKnown = options.delimiter !== undefined;
    if (options.delimiter) this.delim = options.delimiter === 'whitespace' ? -1 : options.delimiter.charCodeAt(0);
    this.splitter = new LineSplitter(options.maxLineBytes ?? 65536, (line, offset) =>
      this.errors.push({ line, offset, message: `Line ${line} is longer than ${options.maxLineBytes ?? 65536} bytes; skipped (is this really line-based text?).` }),
    );
    if (options.columns) this.setNames(options.columns);
  }

  /** Channel names in column order once known (time column included). */
  get columnNames(): readonly string[] | null {
    return this.names;
  }

  feed(chunk: Uint8Array, hostTimeMs: number): ParseResult {
    this.hostT = hostTimeMs;
    this.splitter.feed(chunk, this.onLine);
    const errors = this.errors;
    this.errors = [];
    return { samples: this.batch.take(), errors };
  }

  private setNames(raw: string[]): void {
    const seen = new Set<string>();
    const names = raw.map((n, i) => {
      let name = n.trim() || `col${i + 1}`;
      for (let k = 2; seen.has(name); k++) name = `${n.trim()}_${k}`;
      seen.add(name);
      return name;
    });
    const tc = this.options.timeColumn;
    this.timeIdx = tc === undefined ? -1 : typeof tc === 'number' ? tc : names.indexOf(tc);
    if (tc !== undefined && (this.timeIdx < 0 || this.timeIdx >= names.length)) this.timeIdx = -2; // reported per line below
    this.names = names;
    this.cols = names.map((n, i) => (i === this.timeIdx ? null : this.batch.column(n)));
    this.vals = new Float64Array(names.length);
    this.present = new Uint8Array(names.length);
  }

  private line(b: Uint8Array, s: number, e: number, lineNo: number, offset: number): void {
    // Skip leading blanks; ignore empty and comment lines.
    while (s < e && (b[s] === SPACE || b[s] === TAB)) s++;
    if (s === e || b[s] === 35 /* # */) return;
    if (!this.delimKnown) {
      this.delim = detectDelimiter(b, s, e);
      this.delimKnown = true;
    }
    if (this.names === null) {
      const fields = this.fieldsAsText(b, s, e);
      if (fields.every((f) => f === '' || scanNumber(utf8(f), 0, utf8(f).length) !== undefined)) {
        this.setNames(fields.map((_, i) => `col${i + 1}`));
      } else {
        this.setNames(fields.map(unquote));
        return;
      }
    }
    const names = this.names!;
    if (this.timeIdx === -2) {
      this.errors.push({ line: lineNo, offset, message: `The time column ${JSON.stringify(this.options.timeColumn)} is not among the columns (${names.join(', ')}); using host receive time.` });
      this.timeIdx = -1;
    }
    const n = names.length;
    const vals = this.vals;
    const present = this.present;
    for (let k = 0; k < n; k++) present[k] = 0;
    let f = 0;
    let bad = -1;
    if (this.delim >= 0) {
      const d = this.delim;
      let fs = s;
      let lastEmpty = false;
      for (let i = s; i <= e; i++) {
        if (i !== e && b[i] !== d) continue;
        let a = fs;
        let z = i;
        while (a < z && (b[a] === SPACE || b[a] === TAB)) a++;
        while (z > a && (b[z - 1] === SPACE || b[z - 1] === TAB)) z--;
        lastEmpty = a === z;
        if (f < n) {
          if (a === z) present[f] = 0;
          else {
            const v = scanNumber(b, a, z);
            if (v === undefined) {
              if (bad < 0) bad = f;
            } else {
              vals[f] = v;
              present[f] = 1;
            }
          }
        }
        f++;
        fs = i + 1;
      }
      if (f === n + 1 && lastEmpty) f = n; // one trailing separator, as many sketches print
    } else {
      let i = s;
      while (i < e) {
        const a = i;
        while (i < e && b[i] !== SPACE && b[i] !== TAB) i++;
        if (f < n) {
          const v = scanNumber(b, a, i);
          if (v === undefined) {
            if (bad < 0) bad = f;
          } else {
            vals[f] = v;
            present[f] = 1;
          }
        }
        f++;
        while (i < e && (b[i] === SPACE || b[i] === TAB)) i++;
      }
    }
    if (f !== n) {
      this.errors.push({ line: lineNo, offset, message: `Line ${lineNo}: expected ${n} fields (${names.join(', ')}), got ${f}; skipped.` });
      return;
    }
    if (bad >= 0) {
      if (this.isRepeatedHeader(b, s, e)) return;
      this.errors.push({
        line: lineNo,
        offset,
        message: `Line ${lineNo}: field ${bad + 1} (${names[bad]}) is not a number: ${JSON.stringify(this.fieldsAsText(b, s, e)[bad])}; line skipped.`,
      });
      return;
    }
    const hostT = this.hostT;
    let t = hostT;
    if (this.timeIdx >= 0) {
      if (!present[this.timeIdx]) {
        this.errors.push({ line: lineNo, offset, message: `Line ${lineNo}: the time column (${names[this.timeIdx]}) is empty; line skipped.` });
        return;
      }
      t = vals[this.timeIdx] * this.timeScale;
    }
    const cols = this.cols;
    for (let k = 0; k < n; k++) {
      const c = cols[k];
      if (c !== null && present[k] === 1) c.push(t, hostT, vals[k]);
    }
  }

  /** A device that resets prints its header again; that is not an error. */
  private isRepeatedHeader(b: Uint8Array, s: number, e: number): boolean {
    const names = this.names!;
    const fields = this.fieldsAsText(b, s, e).map(unquote);
    return fields.length === names.length && fields.every((f, i) => f === names[i] || (f === '' && names[i] === `col${i + 1}`));
  }

  private fieldsAsText(b: Uint8Array, s: number, e: number): string[] {
    const text = new TextDecoder().decode(b.subarray(s, e));
    const parts = this.delim >= 0 ? text.split(String.fromCharCode(this.delim)) : text.trim().split(/[ \t]+/);
    if (this.delim >= 0 && parts.length > 1 && parts[parts.length - 1].trim() === '') parts.pop();
    return parts.map((p) => p.trim());
  }
}

function detectDelimiter(b: Uint8Array, s: number, e: number): number {
  // Tabs count as blanks here: pass delimiter '\t' for tab-separated files with empty cells.
  for (const d of [44, 59]) for (let i = s; i < e; i++) if (b[i] === d) return d;
  return -1;
}

function unquote(s: string): string {
  return s.length >= 2 && s[0] === '"' && s[s.length - 1] === '"' ? s.slice(1, -1).replace(/""/g, '"') : s;
}

function utf8(s: string): Uint8Array {
  return new TextEncoder().encode(s);
}

