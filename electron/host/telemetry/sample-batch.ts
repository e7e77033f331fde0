// Columnar sample batches: one set of typed arrays per channel instead of an
// object per sample, so a 2 MS/s stream does not churn the garbage collector.

/** All samples of one channel in a batch; t, hostT and value have the same length. */
export interface ChannelColumn {
  channel: string;
  /** Device time in ms when the format carries one, else host receive time. */
  t: Float64Array;
  /** Host receive time (ms since the epoch). */
  hostT: Float64Array;
  value: Float64Array;
}

export interface SampleBatch {
  columns: ChannelColumn[];
  /** Total samples over all columns. */
  sampleCount: number;
}

export const EMPTY_BATCH: SampleBatch = Object.freeze({ columns: [], sampleCount: 0 }) as SampleBatch;

/** A growable column that parsers append to on the hot path. */
export class ColumnBuilder {
  t: Float64Array;
  hostT: Float64Array;
  value: Float64Array;
  length = 0;

  constructor(readonly channel: string, initialCapacity = 256) {
    this.t = new Float64Array(initialCapacity);
    this.hostT = new Float64Array(initialCapacity);
    this.value = new Float64Array(initialCapacity);
  }

  push(t: number, hostT: number, value: number): void {
    if (this.length === this.t.length) this.grow();
    const i = this.length++;
    this.t[i] = t;
    this.hostT[i] = hostT;
    this.value[i] = value;
  }

  private grow(): void {
    const cap = this.t.length * 2;
    const t = new Float64Array(cap);
    const h = new Float64Array(cap);
    const v = new Float64Array(cap);
    t.set(this.t);
    h.set(this.hostT);
    v.set(this.value);
    this.t = t;
    this.hostT = h;
    this.value = v;
  }

  /** Copies out what was collected and starts over. */
  take(): ChannelColumn {
    const n = this.length;
    this.length = 0;
    return { channel: this.channel, t: this.t.slice(0, n), hostT: this.hostT.slice(0, n), value: this.value.slice(0, n) };
  }
}

/** Collects samples per channel and hands them out as one SampleBatch. */
export class SampleBatchBuilder {
  private readonly builders: ColumnBuilder[] = [];
  private readonly byName = new Map<string, ColumnBuilder>();

  column(channel: string): ColumnBuilder {
    let b = this.byName.get(channel);
    if (!b) {
      b = new ColumnBuilder(channel);
      this.byName.set(channel, b);
      this.builders.push(b);
    }
    return b;
  }

  take(): SampleBatch {
    const columns: ChannelColumn[] = [];
    let sampleCount = 0;
    for (const b of this.builders) {
      if (b.length === 0) continue;
      sampleCount += b.length;
      columns.push(b.take());
    }
    return columns.length === 0 ? EMPTY_BATCH : { columns, sampleCount };
  }
}

/** Builds a batch from plain arrays (polled sources, tests). */
export function batchFromSamples(samples: readonly { channel: string; t: number; hostT: number; value: number }[]): SampleBatch {
  const b = new SampleBatchBuilder();
  for (const s of samples) b.column(s.channel).push(s.t, s.hostT, s.value);
  return b.take();
}

/** Expands a batch into one object per sample; for tests and small tools, never the hot path. */
export function samplesOf(batch: SampleBatch): { channel: string; t: number; hostT: number; value: number }[] {
  const out: { channel: string; t: number; hostT: number; value: number }[] = [];
  for (const c of batch.columns) for (let i = 0; i < c.value.length; i++) out.push({ channel: c.channel, t: c.t[i], hostT: c.hostT[i], value: c.value[i] });
  return out;
}
