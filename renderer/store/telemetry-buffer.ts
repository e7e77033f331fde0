// The renderer's copy of live telemetry: up to ~1 M samples of history per
// channel in typed-array rings (one shared time column, one Float32 column per
// channel, no object per sample), plus min/max summaries of aligned blocks of
// 16, 256 and 4096 samples so "window [t0,t1] as N pixel columns" costs a few
// dozen reads per column whatever the window holds. The host keeps the
// recording; this is what the chart draws from.
import type { TelemetryBatch, TelemetryChannel } from '../../electron/contract/events';

/** Min/max per pixel column over t0 <= t <= t1; column k covers [edges[k], edges[k+1]) and the last one includes t1. */
export interface DecimatedWindow {
  t0: number;
  t1: number;
  /** columns + 1 edges, in ms. */
  edges: Float64Array;
  /** Samples per column (all channels share the time column). */
  count: Uint32Array;
  /** Per channel, per column; NaN where the column holds no value for that channel. */
  min: Float64Array[];
  max: Float64Array[];
}

export interface RawWindow {
  t: Float64Array;
  /** One column per channel, NaN where a channel had no value. */
  values: Float32Array[];
}

/** Block sizes of the summary levels; each is 16 times the one below, so a range query climbs at most 15 steps per level per side. */
const LEVEL_SIZES = [16, 256, 4096] as const; // scan() hard-codes these as shifts 4, 8, 12
/** A backwards time step this large means the clock was reset: the history restarts instead of squeezing into one instant. */
const CLOCK_RESET_MS = 10_000;
export const MAX_CHANNELS = 32;
const FIRST_ALLOCATION = 65_536;

interface Column {
  v: Float32Array;
  /** Per level: min and max of each aligned block (slot = block number mod blocks held). */
  lo: Float32Array[];
  hi: Float32Array[];
}

export class TelemetryBuffer {
  /** Samples kept per channel (rounded up so the summary blocks tile the ring). */
  readonly capacity: number;
  private readonly levels: number[];
  channels: TelemetryChannel[] = [];
  private cols: Column[] = [];
  private t: Float64Array;
  /** Allocated ring size; grows by doubling up to capacity so an idle session does not hold 40 MB. */
  private alloc: number;
  /** Samples appended since the history began: sample n is at ring slot n % alloc. */
  private total = 0;
  private lastT = -Infinity;
  /** Bumped on every append, so views know to redraw. */
  version = 0;
  /** Bumped when held samples change other than by appending and ageing out (clear, clock reset, channel set): caches of old results are then stale. */
  generation = 0;
  /** Samples whose time went backwards a little and were clamped to the previous time. */
  outOfOrder = 0;
  /** Times the history restarted because the clock jumped back. */
  clockResets = 0;
  private listeners = new Set<() => void>();

  constructor(capacity = 1_000_000) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`Telemetry history capacity must be a positive whole number of samples, not ${capacity}.`);
    this.levels = LEVEL_SIZES.filter((s) => s * 4 <= capacity);
    const tile = this.levels.length ? this.levels[this.levels.length - 1] : 1;
    this.capacity = Math.ceil(capacity / tile) * tile;
    this.alloc = Math.min(this.capacity, Math.ceil(FIRST_ALLOCATION / tile) * tile);
    this.t = new Float64Array(this.alloc);
  }

  /** Samples held per channel. */
  get length(): number {
    return Math.min(this.total, this.capacity);
  }

  /** Index of the oldest sample held; indexes count up from the start of the history and never repeat. */
  get firstIndex(): number {
    return this.total - this.length;
  }

  /** One past the newest sample's index. */
  get endIndex(): number {
    return this.total;
  }

  /** Called after each append (synchronously); returns the unsubscribe function. */
  onAppend(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  clear(): void {
    this.total = 0;
    this.lastT = -Infinity;
    this.version++;
    this.generation++;
  }

  append(batch: TelemetryBatch): void {
    const n = batch.t.length;
    if (batch.values.length !== batch.channels.length)
      throw new RangeError(`Telemetry batch has ${batch.channels.length} channels but ${batch.values.length} value columns.`);
    const seen = new Set<string>();
    for (let c = 0; c < batch.channels.length; c++) {
      const name = batch.channels[c]?.name;
      if (typeof name !== 'string' || name === '') throw new RangeError(`Telemetry batch channel ${c} has no name.`);
      if (seen.has(name)) throw new RangeError(`Telemetry batch names channel "${name}" twice.`);
      seen.add(name);
      if (batch.values[c].length !== n) throw new RangeError(`Telemetry batch column "${name}" has ${batch.values[c].length} values for ${n} times.`);
    }
    for (let i = 0; i < n; i++) if (!Number.isFinite(batch.t[i])) throw new RangeError(`Telemetry batch time ${i} is not a finite number (${batch.t[i]}).`);
    const map = this.mapChannels(batch.channels);
    for (let i = 0; i < n; i++) {
      let ti = batch.t[i];
      if (ti < this.lastT) {
        if (this.lastT - ti > CLOCK_RESET_MS) {
          this.clockResets++;
          this.generation++;
          this.total = 0;
        } else {
          this.outOfOrder++;
          ti = this.lastT;
        }
      }
      this.lastT = ti;
      if (this.total === this.alloc && this.alloc < this.capacity) this.grow();
      const idx = this.total;
      const p = idx % this.alloc;
      this.t[p] = ti;
      for (let c = 0; c < this.cols.length; c++) {
        const src = map[c];
        this.write(this.cols[c], idx, p, src < 0 ? NaN : batch.values[src][i]);
      }
      this.total++;
    }
    this.version++;
    for (const l of this.listeners) l();
  }

  /** Matches batch channels to columns by name: new names get a column (NaN before they appeared), absent ones get NaN. */
  private mapChannels(incoming: TelemetryChannel[]): number[] {
    const same = incoming.length === this.channels.length && incoming.every((c, i) => c.name === this.channels[i].name && c.unit === this.channels[i].unit);
    if (!same) {
      const next = this.channels.map((c) => ({ ...c }));
      for (const ch of incoming) {
        const at = next.findIndex((c) => c.name === ch.name);
        if (at >= 0) next[at].unit = ch.unit;
        else {
          if (next.length >= MAX_CHANNELS) throw new RangeError(`Telemetry has more than ${MAX_CHANNELS} channels; "${ch.name}" was not added.`);
          next.push({ name: ch.name, unit: ch.unit });
          this.cols.push(this.newColumn());
        }
      }
      this.channels = next;
      this.generation++;
    }
    return this.channels.map((c) => incoming.findIndex((b) => b.name === c.name));
  }

  private newColumn(): Column {
    const v = new Float32Array(this.alloc).fill(NaN);
    const lo = this.levels.map((s) => new Float32Array(this.alloc / s).fill(Infinity));
    const hi = this.levels.map((s) => new Float32Array(this.alloc / s).fill(-Infinity));
    return { v, lo, hi };
  }

  /** Only before the first wrap, so slot == index and copying keeps every position. */
  private grow(): void {
    const next = Math.min(this.capacity, this.alloc * 2);
    const t = new Float64Array(next);
    t.set(this.t);
    this.t = t;
    for (const col of this.cols) {
      const v = new Float32Array(next).fill(NaN);
      v.set(col.v);
      col.v = v;
      col.lo = col.lo.map((a, l) => {
        const b = new Float32Array(next / this.levels[l]).fill(Infinity);
        b.set(a);
        return b;
      });
      col.hi = col.hi.map((a, l) => {
        const b = new Float32Array(next / this.levels[l]).fill(-Infinity);
        b.set(a);
        return b;
      });
    }
    this.alloc = next;
  }

  private write(col: Column, idx: number, p: number, value: number): void {
    col.v[p] = value;
    if (this.levels.length === 0) return;
    // Level 0 blocks fold in each sample; higher levels are computed from their 16 children when a block completes.
    const s0 = this.levels[0];
    const slot0 = p / s0 >>> 0;
    if (idx % s0 === 0) {
      col.lo[0][slot0] = Infinity;
      col.hi[0][slot0] = -Infinity;
    }
    if (value === value) {
      if (value < col.lo[0][slot0]) col.lo[0][slot0] = value;
      if (value > col.hi[0][slot0]) col.hi[0][slot0] = value;
    }
    for (let l = 1; l < this.levels.length; l++) {
      const size = this.levels[l];
      if ((idx + 1) % size !== 0) break;
      const slot = ((p + 1 - size) / size) >>> 0;
      const childFirst = slot * 16;
      let lo = Infinity;
      let hi = -Infinity;
      const clo = col.lo[l - 1];
      const chi = col.hi[l - 1];
      for (let k = childFirst; k < childFirst + 16; k++) {
        if (clo[k] < lo) lo = clo[k];
        if (chi[k] > hi) hi = chi[k];
      }
      col.lo[l][slot] = lo;
      col.hi[l][slot] = hi;
    }
  }

  timeAt(index: number): number {
    return this.t[index % this.alloc];
  }

  valueAt(channel: number, index: number): number {
    return this.cols[channel].v[index % this.alloc];
  }

  /** Time span held, or null when empty. */
  span(): { from: number; to: number } | null {
    if (this.total === 0) return null;
    return { from: this.timeAt(this.firstIndex), to: this.timeAt(this.total - 1) };
  }

  latestTime(): number | null {
    return this.total === 0 ? null : this.timeAt(this.total - 1);
  }

  latest(): number[] | null {
    if (this.total === 0) return null;
    return this.cols.map((_, c) => this.valueAt(c, this.total - 1));
  }

  /** First index with time >= x (strict: > x), within what is held. */
  lowerBound(x: number, strict = false): number {
    let lo = this.firstIndex;
    let hi = this.total;
    while (lo < hi) {
      const mid = Math.floor((lo + hi) / 2);
      const tm = this.t[mid % this.alloc];
      if (strict ? tm <= x : tm < x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Samples with t0 <= t <= t1. */
  countIn(t0: number, t1: number): number {
    return Math.max(0, this.lowerBound(t1, true) - this.lowerBound(t0));
  }

  /** The sample closest in time to t (for the cursor readout), or null when empty. */
  sampleNear(t: number): { t: number; values: number[] } | null {
    if (this.total === 0) return null;
    let i = this.lowerBound(t);
    if (i === this.total || (i > this.firstIndex && t - this.timeAt(i - 1) <= this.timeAt(i) - t)) i--;
    return { t: this.timeAt(i), values: this.cols.map((_, c) => this.valueAt(c, i)) };
  }

  /** Raw samples with t0 <= t <= t1, oldest first. */
  readRange(t0: number, t1: number): RawWindow {
    const a = this.lowerBound(t0);
    const b = Math.max(a, this.lowerBound(t1, true));
    const t = new Float64Array(b - a);
    for (let i = a; i < b; i++) t[i - a] = this.t[i % this.alloc];
    const values = this.cols.map((col) => {
      const out = new Float32Array(b - a);
      for (let i = a; i < b; i++) out[i - a] = col.v[i % this.alloc];
      return out;
    });
    return { t, values };
  }

  /** Samples newer than `sinceMs`, oldest first, as uPlot's [x(seconds), ...ys]. Kept for simple callers; the chart uses decimate(). */
  window(sinceMs: number): [number[], ...number[][]] {
    const raw = this.readRange(sinceMs, Infinity);
    return [Array.from(raw.t, (x) => x / 1000), ...raw.values.map((v) => Array.from(v))];
  }

  /** Min/max per column over t0 <= t <= t1 split into `columns` equal time slices. */
  decimate(t0: number, t1: number, columns: number): DecimatedWindow {
    if (!Number.isInteger(columns) || columns < 1) throw new RangeError(`Decimation needs a positive whole number of columns, not ${columns}.`);
    if (!(t1 >= t0)) throw new RangeError(`Decimation window end (${t1}) is before its start (${t0}).`);
    const edges = new Float64Array(columns + 1);
    for (let k = 0; k <= columns; k++) edges[k] = t0 + ((t1 - t0) * k) / columns;
    return { t0, t1, ...this.decimateEdges(edges, true) };
  }

  /**
   * Min/max per column for explicit, ascending edges: column k holds edges[k] <= t < edges[k+1]
   * (the last also t == its end when `closedEnd`). Callers with a fixed time grid use this so a
   * column computed now and one computed later agree to the last bit.
   */
  decimateEdges(edges: Float64Array, closedEnd = false): Omit<DecimatedWindow, 't0' | 't1'> {
    const columns = edges.length - 1;
    if (columns < 1) throw new RangeError('Decimation needs at least two column edges.');
    for (let k = 0; k < columns; k++) if (!(edges[k + 1] >= edges[k])) throw new RangeError(`Decimation column edges must ascend (edge ${k + 1} is ${edges[k + 1]} after ${edges[k]}).`);
    const idx = new Float64Array(columns + 1);
    for (let k = 0; k < columns; k++) idx[k] = this.lowerBound(edges[k]);
    idx[columns] = this.lowerBound(edges[columns], closedEnd);
    const count = new Uint32Array(columns);
    for (let k = 0; k < columns; k++) count[k] = Math.max(0, idx[k + 1] - idx[k]);
    const min: Float64Array[] = [];
    const max: Float64Array[] = [];
    for (const col of this.cols) {
      const cmin = new Float64Array(columns);
      const cmax = new Float64Array(columns);
      for (let k = 0; k < columns; k++) {
        this.accLo = Infinity;
        this.accHi = -Infinity;
        if (count[k] > 0) this.rangeMinMax(col, idx[k], idx[k + 1]);
        cmin[k] = this.accLo === Infinity ? NaN : this.accLo;
        cmax[k] = this.accHi === -Infinity ? NaN : this.accHi;
      }
      min.push(cmin);
      max.push(cmax);
    }
    return { edges, count, min, max };
  }

  private accLo = Infinity;
  private accHi = -Infinity;

  /** Folds the values at indexes [a, b) into accLo/accHi, split where the range wraps round the ring. */
  private rangeMinMax(col: Column, a: number, b: number): void {
    const p = a % this.alloc;
    const n = b - a;
    if (p + n <= this.alloc) this.scan(col, p, p + n);
    else {
      this.scan(col, p, this.alloc);
      this.scan(col, 0, p + n - this.alloc);
    }
  }

  /**
   * Ring slots [p, q) (no wrap): single samples up to the first 16-aligned slot, then whole
   * blocks, climbing a level whenever aligned and the block fits, and back down at the right end.
   * Slots < 2^31, block sizes powers of two: bit masks are safe here.
   */
  private scan(col: Column, p: number, q: number): void {
    let lo = this.accLo;
    let hi = this.accHi;
    const v = col.v;
    const nl = this.levels.length;
    const l1lo = col.lo[0], l1hi = col.hi[0];
    const l2lo = col.lo[1], l2hi = col.hi[1];
    const l3lo = col.lo[2], l3hi = col.hi[2];
    if (nl >= 1)
      for (; p < q && (p & 15) !== 0; p++) {
        const x = v[p];
        if (x < lo) lo = x;
        if (x > hi) hi = x;
      }
    if (nl >= 2)
      for (; p + 16 <= q && (p & 255) !== 0; p += 16) {
        if (l1lo[p >>> 4] < lo) lo = l1lo[p >>> 4];
        if (l1hi[p >>> 4] > hi) hi = l1hi[p >>> 4];
      }
    if (nl >= 3) {
      for (; p + 256 <= q && (p & 4095) !== 0; p += 256) {
        if (l2lo[p >>> 8] < lo) lo = l2lo[p >>> 8];
        if (l2hi[p >>> 8] > hi) hi = l2hi[p >>> 8];
      }
      for (; p + 4096 <= q; p += 4096) {
        if (l3lo[p >>> 12] < lo) lo = l3lo[p >>> 12];
        if (l3hi[p >>> 12] > hi) hi = l3hi[p >>> 12];
      }
    }
    if (nl >= 2)
      for (; p + 256 <= q; p += 256) {
        if (l2lo[p >>> 8] < lo) lo = l2lo[p >>> 8];
        if (l2hi[p >>> 8] > hi) hi = l2hi[p >>> 8];
      }
    if (nl >= 1)
      for (; p + 16 <= q; p += 16) {
        if (l1lo[p >>> 4] < lo) lo = l1lo[p >>> 4];
        if (l1hi[p >>> 4] > hi) hi = l1hi[p >>> 4];
      }
    for (; p < q; p++) {
      const x = v[p];
      if (x < lo) lo = x;
      if (x > hi) hi = x;
    }
    this.accLo = lo;
    this.accHi = hi;
  }
}
