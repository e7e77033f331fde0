// A fixed-capacity ring of (t, value) per channel for the live plot: typed
// arrays, overwrite-oldest, time-range queries by binary search (t must not
// go backwards; out-of-order samples are counted), and min/max decimation so
// a million samples become two points per pixel column.

export interface Decimated {
  t0: number;
  t1: number;
  /** Start time of each bucket; bucket k covers [bucketT[k], bucketT[k+1]). The last also includes t1. */
  bucketT: Float64Array;
  /** NaN where the bucket is empty. */
  min: Float64Array;
  max: Float64Array;
  count: Uint32Array;
}

export class ChannelRing {
  private readonly t: Float64Array;
  private readonly v: Float64Array;
  private head = 0; // next write position
  private size = 0;
  private lastT = -Infinity;
  /** Samples whose time was earlier than the one before (device reset, clock jump). */
  outOfOrder = 0;
  /** Samples overwritten since creation. */
  overwritten = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError('ring capacity must be a positive integer');
    this.t = new Float64Array(capacity);
    this.v = new Float64Array(capacity);
  }

  get length(): number {
    return this.size;
  }

  push(t: number, value: number): void {
    if (t < this.lastT) this.outOfOrder++;
    this.lastT = t;
    this.t[this.head] = t;
    this.v[this.head] = value;
    this.head = this.head + 1 === this.capacity ? 0 : this.head + 1;
    if (this.size < this.capacity) this.size++;
    else this.overwritten++;
  }

  pushColumn(t: ArrayLike<number>, value: ArrayLike<number>): void {
    for (let i = 0; i < t.length; i++) this.push(t[i], value[i]);
  }

  private phys(i: number): number {
    let p = this.head - this.size + i;
    if (p < 0) p += this.capacity;
    return p;
  }

  /** Logical index 0 is the oldest sample kept. */
  timeAt(i: number): number {
    return this.t[this.phys(i)];
  }

  valueAt(i: number): number {
    return this.v[this.phys(i)];
  }

  /** First logical index with time >= x (or > x when strict). */
  private bound(x: number, strict: boolean): number {
    let lo = 0;
    let hi = this.size;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const tm = this.t[this.phys(mid)];
      if (strict ? tm <= x : tm < x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Time span held, or null when empty. */
  span(): { from: number; to: number } | null {
    return this.size === 0 ? null : { from: this.timeAt(0), to: this.timeAt(this.size - 1) };
  }

  /** Raw samples with t0 <= t <= t1. */
  readRange(t0: number, t1: number): { t: Float64Array; value: Float64Array } {
    const a = this.bound(t0, false);
    const b = this.bound(t1, true);
    const n = Math.max(0, b - a);
    const t = new Float64Array(n);
    const value = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const p = this.phys(a + i);
      t[i] = this.t[p];
      value[i] = this.v[p];
    }
    return { t, value };
  }

  /** Min/max per bucket over t0 <= t <= t1, split into `buckets` equal time slices. NaN values are skipped. */
  decimate(t0: number, t1: number, buckets: number): Decimated {
    if (!Number.isInteger(buckets) || buckets < 1) throw new RangeError('buckets must be a positive integer');
    const bucketT = new Float64Array(buckets);
    const min = new Float64Array(buckets).fill(NaN);
    const max = new Float64Array(buckets).fill(NaN);
    const count = new Uint32Array(buckets);
    const width = (t1 - t0) / buckets;
    for (let k = 0; k < buckets; k++) bucketT[k] = t0 + k * width;
    if (!(t1 >= t0)) return { t0, t1, bucketT, min, max, count };
    const a = this.bound(t0, false);
    const b = this.bound(t1, true);
    const perT = t1 > t0 ? buckets / (t1 - t0) : 0;
    for (let i = a; i < b; i++) {
      const p = this.phys(i);
      const v = this.v[p];
      if (v !== v) continue;
      let k = Math.floor((this.t[p] - t0) * perT);
      if (k >= buckets) k = buckets - 1;
      if (count[k] === 0) min[k] = max[k] = v;
      else if (v < min[k]) min[k] = v;
      else if (v > max[k]) max[k] = v;
      count[k]++;
    }
    return { t0, t1, bucketT, min, max, count };
  }
}
