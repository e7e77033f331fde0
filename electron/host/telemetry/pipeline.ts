// The host side of live telemetry: sources feed samples in; each channel
// keeps a ring for the plot, alarms are checked per sample, every sample goes
// to the recorder, and the display gets one batch of typed arrays every
// ~50 ms. A display that has not acknowledged its last batch gets none
// (counted as dropped; it can refill gaps from the rings), but recording
// never drops a sample.
import type { ChannelColumn, SampleBatch } from './sample-batch';
import type { ParseError } from './parsers/parser';
import type { TelemetrySink, TelemetrySource } from './sources/source';
import { ChannelRing, type Decimated } from './ring-buffer';
import { ChannelAlarm, type AlarmEvent, type AlarmSpec } from './alarms';
import { HostError } from '../errors/host-error';

export interface ChannelMeta {
  name: string;
  /** °C, V, A, W, RPM, %, ... */
  unit?: string;
  /** Human name for the legend; the channel name is the key. */
  label?: string;
  /** Applied at ingest: value = raw * scale + offset (recorded values are scaled too). */
  scale?: number;
  offset?: number;
}

/** What the pipeline hands to a recorder; TelemetryRecorder implements it. */
export interface SampleRecorder {
  defineChannel(meta: ChannelMeta): void;
  append(batch: SampleBatch): void;
}

export interface DisplayColumn {
  channel: string;
  t: Float64Array;
  value: Float64Array;
}

export interface DisplayBatch {
  seq: number;
  columns: DisplayColumn[];
  /** Display batches dropped so far because the consumer was behind. */
  droppedBatches: number;
}

export interface PipelineOptions {
  /** Samples kept per channel for the plot; default 262144. */
  ringCapacity?: number;
  /** Display batch period; default 50 ms. */
  batchIntervalMs?: number;
}

export interface PipelineStats {
  samplesIn: number;
  parseErrors: number;
  batchesSent: number;
  batchesDropped: number;
  samplesNotDisplayed: number;
}

export interface SourceError extends ParseError {
  sourceId: string;
}

class PendingColumn {
  t = new Float64Array(1024);
  v = new Float64Array(1024);
  n = 0;
  constructor(readonly channel: string) {}
  add(t: Float64Array, v: Float64Array): void {
    const need = this.n + t.length;
    if (need > this.t.length) {
      const cap = Math.max(need, this.t.length * 2);
      const nt = new Float64Array(cap);
      const nv = new Float64Array(cap);
      nt.set(this.t.subarray(0, this.n));
      nv.set(this.v.subarray(0, this.n));
      this.t = nt;
      this.v = nv;
    }
    this.t.set(t, this.n);
    this.v.set(v, this.n);
    this.n = need;
  }
}

export class TelemetryPipeline implements TelemetrySink {
  private readonly meta = new Map<string, ChannelMeta>();
  private readonly rings = new Map<string, ChannelRing>();
  private readonly alarms = new Map<string, ChannelAlarm>();
  private readonly pending = new Map<string, PendingColumn>();
  private readonly sources = new Map<string, TelemetrySource>();
  private readonly batchListeners = new Set<(b: DisplayBatch) => void>();
  private readonly alarmListeners = new Set<(e: AlarmEvent) => void>();
  private readonly errorListeners = new Set<(e: SourceError[]) => void>();
  private readonly endListeners = new Set<(sourceId: string, reason?: Error) => void>();
  private readonly recorders = new Set<SampleRecorder>();
  private timer: ReturnType<typeof setInterval> | null = null;
  private seq = 0;
  private awaitingAck = false;
  private readonly capacity: number;
  readonly batchIntervalMs: number;
  private readonly st: PipelineStats = { samplesIn: 0, parseErrors: 0, batchesSent: 0, batchesDropped: 0, samplesNotDisplayed: 0 };

  constructor(options: PipelineOptions = {}) {
    this.capacity = options.ringCapacity ?? 262144;
    this.batchIntervalMs = options.batchIntervalMs ?? 50;
    if (!(this.batchIntervalMs > 0)) throw new HostError('invalid-params', 'The display batch interval must be positive.');
  }

  // ---- channels ----

  defineChannel(meta: ChannelMeta): void {
    if (!meta.name) throw new HostError('invalid-params', 'A telemetry channel needs a name.');
    this.meta.set(meta.name, { ...meta });
    for (const r of this.recorders) r.defineChannel(meta);
  }

  channels(): ChannelMeta[] {
    return [...this.meta.values()];
  }

  ring(channel: string): ChannelRing | undefined {
    return this.rings.get(channel);
  }

  /** Min/max decimation of one channel for a plot `buckets` pixels wide. */
  query(channel: string, t0: number, t1: number, buckets: number): Decimated {
    const r = this.rings.get(channel);
    if (!r) throw new HostError('invalid-params', `There is no telemetry channel "${channel}".`);
    return r.decimate(t0, t1, buckets);
  }

  // ---- alarms ----

  setAlarm(channel: string, spec: AlarmSpec): void {
    this.alarms.set(channel, new ChannelAlarm(channel, spec));
  }

  clearAlarm(channel: string): void {
    this.alarms.delete(channel);
  }

  onAlarm(listener: (e: AlarmEvent) => void): () => void {
    this.alarmListeners.add(listener);
    return () => this.alarmListeners.delete(listener);
  }

  // ---- sources and sinks ----

  async addSource(source: TelemetrySource): Promise<void> {
    if (this.sources.has(source.id)) throw new HostError('device-busy', `A telemetry source named ${source.id} is already attached.`);
    this.sources.set(source.id, source);
    try {
      await source.start(this);
    } catch (err) {
      this.sources.delete(source.id);
      throw err;
    }
  }

  async removeSource(id: string): Promise<void> {
    const s = this.sources.get(id);
    this.sources.delete(id);
    await s?.stop();
  }

  attachRecorder(recorder: SampleRecorder): () => void {
    for (const m of this.meta.values()) recorder.defineChannel(m);
    this.recorders.add(recorder);
    return () => this.recorders.delete(recorder);
  }

  onBatch(listener: (b: DisplayBatch) => void): () => void {
    this.batchListeners.add(listener);
    return () => this.batchListeners.delete(listener);
  }

  onErrors(listener: (e: SourceError[]) => void): () => void {
    this.errorListeners.add(listener);
    return () => this.errorListeners.delete(listener);
  }

  onSourceEnded(listener: (sourceId: string, reason?: Error) => void): () => void {
    this.endListeners.add(listener);
    return () => this.endListeners.delete(listener);
  }

  /** The display took batch `seq`; the next one may be sent. */
  ack(seq: number): void {
    if (seq === this.seq) this.awaitingAck = false;
  }

  stats(): PipelineStats {
    return { ...this.st };
  }

  // ---- TelemetrySink ----

  samples(batch: SampleBatch): void {
    for (const c of batch.columns) if (!this.meta.has(c.channel)) this.defineChannel({ name: c.channel });
    const columns: ChannelColumn[] = batch.columns.map((c) => this.scaled(c));
    const scaledBatch: SampleBatch = { columns, sampleCount: batch.sampleCount };
    // Record first: whatever happens to the display, the samples are kept.
    for (const r of this.recorders) r.append(scaledBatch);
    this.st.samplesIn += batch.sampleCount;
    for (const c of columns) {
      let ring = this.rings.get(c.channel);
      if (!ring) {
        ring = new ChannelRing(this.capacity);
        this.rings.set(c.channel, ring);
      }
      ring.pushColumn(c.t, c.value);
      const alarm = this.alarms.get(c.channel);
      if (alarm) for (let i = 0; i < c.value.length; i++) alarm.check(c.t[i], c.hostT[i], c.value[i], (e) => this.emitAlarm(e));
      if (this.batchListeners.size > 0) {
        let p = this.pending.get(c.channel);
        if (!p) this.pending.set(c.channel, (p = new PendingColumn(c.channel)));
        p.add(c.t, c.value);
      }
    }
  }

  errors(errors: ParseError[], sourceId: string): void {
    this.st.parseErrors += errors.length;
    const tagged = errors.map((e) => ({ ...e, sourceId }));
    for (const l of this.errorListeners) l(tagged);
  }

  ended(sourceId: string, reason?: Error): void {
    this.sources.delete(sourceId);
    for (const l of this.endListeners) l(sourceId, reason);
  }

  // ---- display batching ----

  /** Starts the display batch timer. */
  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.flushDisplay(), this.batchIntervalMs);
  }

  /** Emits (or drops, when unacknowledged) the pending display batch now; the timer calls this. */
  flushDisplay(): void {
    let n = 0;
    for (const p of this.pending.values()) n += p.n;
    if (n === 0) return;
    if (this.awaitingAck) {
      this.st.batchesDropped++;
      this.st.samplesNotDisplayed += n;
      for (const p of this.pending.values()) p.n = 0;
      return;
    }
    const columns: DisplayColumn[] = [];
    for (const p of this.pending.values()) {
      if (p.n === 0) continue;
      columns.push({ channel: p.channel, t: p.t.slice(0, p.n), value: p.v.slice(0, p.n) });
      p.n = 0;
    }
    this.seq++;
    this.awaitingAck = true;
    this.st.batchesSent++;
    const batch: DisplayBatch = { seq: this.seq, columns, droppedBatches: this.st.batchesDropped };
    for (const l of this.batchListeners) l(batch);
  }

  /** Stops every source and the batch timer. Recorders stay attached; stop them separately. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    const all = [...this.sources.values()];
    this.sources.clear();
    await Promise.all(all.map((s) => s.stop()));
  }

  private scaled(c: ChannelColumn): ChannelColumn {
    const m = this.meta.get(c.channel);
    const scale = m?.scale ?? 1;
    const offset = m?.offset ?? 0;
    if (scale === 1 && offset === 0) return c;
    const value = new Float64Array(c.value.length);
    for (let i = 0; i < value.length; i++) value[i] = c.value[i] * scale + offset;
    return { channel: c.channel, t: c.t, hostT: c.hostT, value };
  }

  private emitAlarm(e: AlarmEvent): void {
    for (const l of this.alarmListeners) l(e);
  }
}
