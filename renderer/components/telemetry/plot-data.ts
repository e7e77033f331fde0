// Turns a time window of the telemetry store into uPlot's columns: raw
// samples when they fit (at most two per pixel column), otherwise a min and a
// max point per pixel column, which draws the same envelope as every sample.
// Columns sit on a fixed time grid (multiples of the column width), so while
// the live view slides, a column that can no longer change is reused from the
// previous frame and only the newest one or two are recomputed.
import type { TelemetryBuffer } from '../../store/telemetry-buffer';

export type PlotColumns = [number[], ...(number | null)[][]];

interface Column {
  count: number;
  min: Float64Array;
  max: Float64Array;
}

export class ColumnCache {
  private buf: TelemetryBuffer | null = null;
  private generation = -1;
  private width = NaN;
  private channels = -1;
  private cols = new Map<number, Column>();
  /** Columns computed (not reused) by the last call, for tests and diagnostics. */
  computed = 0;

  /** Grid columns k (covering [k·w, (k+1)·w)) from floor(t0/w) to ceil(t1/w). */
  columns(buf: TelemetryBuffer, t0: number, t1: number, width: number): { first: number; cols: Column[] } {
    if (buf !== this.buf || buf.generation !== this.generation || width !== this.width || buf.channels.length !== this.channels) {
      this.cols.clear();
      this.buf = buf;
      this.generation = buf.generation;
      this.width = width;
      this.channels = buf.channels.length;
    }
    const first = Math.floor(t0 / width);
    const end = Math.max(first + 1, Math.ceil(t1 / width));
    const latest = buf.latestTime() ?? -Infinity;
    const oldest = buf.span()?.from ?? Infinity;
    const out: (Column | undefined)[] = new Array(end - first);
    const keep = new Map<number, Column>();
    this.computed = 0;
    // A cached column is good while none of its samples aged out of the ring; one wholly older than the ring is empty for good.
    for (let k = first; k < end; k++) {
      const c = this.cols.get(k);
      if ((k + 1) * width <= oldest) out[k - first] = this.empty();
      else if (c && k * width > oldest) out[k - first] = c;
    }
    for (let k = first; k < end; ) {
      if (out[k - first]) {
        keep.set(k, out[k - first]!);
        k++;
        continue;
      }
      let k2 = k;
      while (k2 < end && !out[k2 - first]) k2++;
      const edges = new Float64Array(k2 - k + 1);
      for (let j = 0; j <= k2 - k; j++) edges[j] = (k + j) * width;
      const d = buf.decimateEdges(edges);
      for (let j = 0; j < k2 - k; j++) {
        const col: Column = { count: d.count[j], min: Float64Array.from(d.min, (m) => m[j]), max: Float64Array.from(d.max, (m) => m[j]) };
        out[k + j - first] = col;
        // Samples only arrive at or after the latest time, so a column that ends by then is final.
        if ((k + j + 1) * width <= latest) keep.set(k + j, col);
      }
      this.computed += k2 - k;
      k = k2;
    }
    this.cols = keep;
    return { first, cols: out as Column[] };
  }

  private emptyColumn: Column | null = null;
  private empty(): Column {
    if (!this.emptyColumn || this.emptyColumn.min.length !== this.channels)
      this.emptyColumn = { count: 0, min: new Float64Array(this.channels).fill(NaN), max: new Float64Array(this.channels).fill(NaN) };
    return this.emptyColumn;
  }
}

/** x in seconds (uPlot's time scale), y null where a channel has no value. */
export function plotColumns(buf: TelemetryBuffer, t0: number, t1: number, pixelColumns: number, cache = new ColumnCache()): { data: PlotColumns; decimated: boolean } {
  const columns = Math.max(1, Math.floor(pixelColumns));
  const nch = buf.channels.length;
  if (buf.countIn(t0, t1) <= 2 * columns) {
    const raw = buf.readRange(t0, t1);
    const xs = Array.from(raw.t, (t) => t / 1000);
    const ys = raw.values.map((col) => Array.from(col, (v) => (v === v ? v : null)));
    return { data: [xs, ...ys], decimated: false };
  }
  const width = (t1 - t0) / columns;
  const { first, cols } = cache.columns(buf, t0, t1, width);
  const xs: number[] = [];
  const ys: (number | null)[][] = Array.from({ length: nch }, () => []);
  let empty = 0;
  for (let i = 0; i < cols.length; i++) {
    const x = ((first + i + 0.5) * width) / 1000;
    const col = cols[i];
    if (col.count === 0) {
      // A run of empty columns is a real hole in the data (link down, device reset): break the line there.
      if (++empty === 3 && xs.length) {
        xs.push(x);
        for (const y of ys) y.push(null);
      }
      continue;
    }
    empty = 0;
    xs.push(x, x);
    for (let c = 0; c < nch; c++) {
      const lo = col.min[c];
      const hi = col.max[c];
      ys[c].push(lo === lo ? lo : null, hi === hi ? hi : null);
    }
  }
  return { data: [xs, ...ys], decimated: true };
}
