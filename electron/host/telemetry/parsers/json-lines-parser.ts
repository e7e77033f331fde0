// JSON lines: one object per line, e.g. {"t":12.5,"temp":21.3,"imu":{"x":0.1}}.
// Nested numbers are flattened with dots (imu.x), array items by index (v.0),
// booleans count as 0/1; strings and null are ignored (status text is common).
import type { ParseError, ParseResult, TelemetryParser } from './parser';
import { SampleBatchBuilder } from '../sample-batch';
import { LineSplitter } from './line-splitter';

export interface JsonLinesParserOptions {
  /** Key (dotted path) holding device time; default "t". Set null to always use host time. */
  timeKey?: string | null;
  /** Multiplier from the time key's unit to ms. */
  timeScale?: number;
  maxLineBytes?: number;
}

const MAX_DEPTH = 16;

export class JsonLinesParser implements TelemetryParser {
  private readonly splitter: LineSplitter;
  private readonly batch = new SampleBatchBuilder();
  private errors: ParseError[] = [];
  private hostT = 0;
  private readonly decoder = new TextDecoder();
  private readonly timeKey: string | null;
  private readonly timeScale: number;
  private readonly flat: [string, number][] = [];
  private readonly onLine = (b: Uint8Array, s: number, e: number, lineNo: number, offset: number) => this.line(b, s, e, lineNo, offset);

  constructor(options: JsonLinesParserOptions = {}) {
    this.timeKey = options.timeKey === undefined ? 't' : options.timeKey;
    this.timeScale = options.timeScale ?? 1;
    const max = options.maxLineBytes ?? 1 << 20;
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
    const text = this.decoder.decode(b.subarray(s, e)).trim();
    if (text === '') return;
    let obj: unknown;
    try {
      obj = JSON.parse(text);
    } catch (err) {
      this.errors.push({ line: lineNo, offset, message: `Line ${lineNo} is not valid JSON (${(err as Error).message}); skipped.` });
      return;
    }
    if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) {
      this.errors.push({ line: lineNo, offset, message: `Line ${lineNo} is JSON but not an object; skipped.` });
      return;
    }
    this.flat.length = 0;
    flatten(obj as Record<string, unknown>, '', this.flat, 0);
    const hostT = this.hostT;
    let t = hostT;
    if (this.timeKey !== null) {
      const found = this.flat.find(([k]) => k === this.timeKey);
      if (found) {
        if (!Number.isFinite(found[1])) {
          this.errors.push({ line: lineNo, offset, message: `Line ${lineNo}: the time "${this.timeKey}" is not a finite number; skipped.` });
          return;
        }
        t = found[1] * this.timeScale;
      } else if (this.timeKey in (obj as object)) {
        this.errors.push({ line: lineNo, offset, message: `Line ${lineNo}: the time "${this.timeKey}" is not a number; skipped.` });
        return;
      }
    }
    for (const [k, v] of this.flat) if (k !== this.timeKey) this.batch.column(k).push(t, hostT, v);
  }
}

function flatten(o: Record<string, unknown> | unknown[], prefix: string, out: [string, number][], depth: number): void {
  if (depth > MAX_DEPTH) return;
  const entries: [string, unknown][] = Array.isArray(o) ? o.map((v, i) => [String(i), v]) : Object.entries(o);
  for (const [k, v] of entries) {
    const key = prefix === '' ? k : `${prefix}.${k}`;
    if (typeof v === 'number') out.push([key, v]);
    else if (typeof v === 'boolean') out.push([key, v ? 1 : 0]);
    else if (v !== null && typeof v === 'object') flatten(v as Record<string, unknown>, key, out, depth + 1);
  }
}
