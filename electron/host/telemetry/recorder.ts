// Records telemetry to disk while capturing: the compact .fwtl format (see
// recording-format.ts) and/or a CSV. Samples are buffered and written as one
// block at least every flushIntervalMs (and sooner when a block grows
// large), so a crash loses at most the last unflushed second. Writes are
// synchronous appends on an open fd: the OS has the bytes once flush()
// returns, and `durable` adds fdatasync for power loss.
import { closeSync, fdatasyncSync, openSync, writeSync } from 'node:fs';
import type { SampleBatch } from './sample-batch';
import type { ChannelMeta, SampleRecorder } from './pipeline';
import { HostError } from '../errors/host-error';
import { type ColumnToWrite, encodeChannel, encodeEnd, encodeFileHeader, encodeMarker, encodeSamples } from './recording-format';

export type RecordingFormat = 'fwtl' | 'csv';

export interface RecorderOptions {
  /** Path without extension; .fwtl and/or .csv are added. */
  basePath: string;
  formats?: RecordingFormat[];
  /** Longest time samples wait in memory; default 1000 ms, at most 1000. */
  flushIntervalMs?: number;
  /** A block is written early once this many samples wait; default 262144. */
  maxBlockSamples?: number;
  /** fdatasync after each flush so a power cut loses at most one interval. Default true. */
  durable?: boolean;
  /** Free-form facts stored in the header (device, firmware, operator). */
  info?: Record<string, unknown>;
  channels?: ChannelMeta[];
  now?: () => number;
}

export interface RecordingSummary {
  paths: Partial<Record<RecordingFormat, string>>;
  samples: number;
  markers: number;
  blocks: number;
  startedAtMs: number;
  stoppedAtMs: number;
}

class PendingColumn implements ColumnToWrite {
  t = new Float64Array(256);
  hostT = new Float64Array(256);
  value = new Float64Array(256);
  n = 0;
  constructor(readonly index: number) {}
  add(c: { t: Float64Array; hostT: Float64Array; value: Float64Array }): void {
    const need = this.n + c.value.length;
    if (need > this.t.length) {
      const cap = Math.max(need, this.t.length * 2);
      for (const k of ['t', 'hostT', 'value'] as const) {
        const next = new Float64Array(cap);
        next.set(this[k].subarray(0, this.n));
        this[k] = next;
      }
    }
    this.t.set(c.t, this.n);
    this.hostT.set(c.hostT, this.n);
    this.value.set(c.value, this.n);
    this.n = need;
  }
}

export class TelemetryRecorder implements SampleRecorder {
  readonly paths: Partial<Record<RecordingFormat, string>> = {};
  private binFd: number | null = null;
  private csvFd: number | null = null;
  private readonly index = new Map<string, number>();
  private readonly names: string[] = [];
  private pending: PendingColumn[] = [];
  private pendingSamples = 0;
  private timer: ReturnType<typeof setInterval> | null = null;
  private readonly now: () => number;
  private readonly durable: boolean;
  private readonly maxBlock: number;
  private samples = 0;
  private markers = 0;
  private blocks = 0;
  private stopped = false;
  readonly startedAtMs: number;

  private constructor(opts: RecorderOptions) {
    this.now = opts.now ?? Date.now;
    this.durable = opts.durable ?? true;
    this.maxBlock = opts.maxBlockSamples ?? 262144;
    this.startedAtMs = this.now();
  }

  /** Creates the files (refusing to overwrite) and starts the flush timer. */
  static start(opts: RecorderOptions): TelemetryRecorder {
    const formats = opts.formats ?? ['fwtl'];
    if (formats.length === 0) throw new HostError('invalid-params', 'Choose at least one recording format (fwtl or csv).');
    const interval = Math.min(opts.flushIntervalMs ?? 1000, 1000);
    if (!(interval > 0)) throw new HostError('invalid-params', 'The flush interval must be positive.');
    const r = new TelemetryRecorder(opts);
    try {
      const channels = opts.channels ?? [];
      channels.forEach((c, i) => {
        r.index.set(c.name, i);
        r.names.push(c.name);
        r.pending.push(new PendingColumn(i));
      });
      if (formats.includes('fwtl')) {
        r.paths.fwtl = `${opts.basePath}.fwtl`;
        r.binFd = openFile(r.paths.fwtl);
        writeSync(r.binFd, encodeFileHeader(r.startedAtMs, opts.info ?? {}, channels));
      }
      if (formats.includes('csv')) {
        r.paths.csv = `${opts.basePath}.csv`;
        r.csvFd = openFile(r.paths.csv);
        writeSync(r.csvFd, `# fwbench telemetry recording started ${new Date(r.startedAtMs).toISOString()}\nt_ms,host_t_ms,channel,value\n`);
      }
    } catch (err) {
      r.closeFiles();
      throw err;
    }
    r.timer = setInterval(() => r.flush(), interval);
    r.timer.unref?.();
    return r;
  }

  defineChannel(meta: ChannelMeta): void {
    if (this.stopped) return;
    let i = this.index.get(meta.name);
    if (i === undefined) {
      if (this.names.length >= 0xffff) throw new HostError('invalid-params', 'A recording holds at most 65535 channels.');
      i = this.names.length;
      this.index.set(meta.name, i);
      this.names.push(meta.name);
      this.pending.push(new PendingColumn(i));
    }
    // Samples already waiting belong to the old metadata; write them first.
    if (this.pendingSamples > 0) this.flush();
    if (this.binFd !== null) this.write(this.binFd, encodeChannel(i, meta));
  }

  append(batch: SampleBatch): void {
    if (this.stopped) throw new HostError('invalid-params', 'The recording has stopped.');
    for (const c of batch.columns) {
      if (!this.index.has(c.channel)) this.defineChannel({ name: c.channel });
      this.pending[this.index.get(c.channel)!].add(c);
    }
    this.pendingSamples += batch.sampleCount;
    this.samples += batch.sampleCount;
    if (this.pendingSamples >= this.maxBlock) this.flush();
  }

  /** A note on the timeline ("flashed v1.2", "fan unplugged"); written at once. */
  mark(text: string, t = this.now()): void {
    if (this.stopped) throw new HostError('invalid-params', 'The recording has stopped.');
    this.flush();
    this.markers++;
    if (this.binFd !== null) this.write(this.binFd, encodeMarker(t, text));
    if (this.csvFd !== null) this.write(this.csvFd, Buffer.from(`# marker ${t} ${JSON.stringify(text)}\n`));
    this.sync();
  }

  /** Writes whatever samples wait as one block. */
  flush(): void {
    if (this.pendingSamples === 0) return;
    const cols = this.pending.filter((p) => p.n > 0);
    if (this.binFd !== null) this.write(this.binFd, encodeSamples(cols));
    if (this.csvFd !== null) this.write(this.csvFd, Buffer.from(csvRows(cols, this.names)));
    for (const c of cols) c.n = 0;
    this.pendingSamples = 0;
    this.blocks++;
    this.sync();
  }

  async stop(): Promise<RecordingSummary> {
    if (this.stopped) throw new HostError('invalid-params', 'The recording has already stopped.');
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.flush();
    const stoppedAtMs = this.now();
    if (this.binFd !== null) this.write(this.binFd, encodeEnd(stoppedAtMs));
    this.sync();
    this.stopped = true;
    this.closeFiles();
    return { paths: { ...this.paths }, samples: this.samples, markers: this.markers, blocks: this.blocks, startedAtMs: this.startedAtMs, stoppedAtMs };
  }

  private write(fd: number, bytes: Uint8Array): void {
    try {
      let off = 0;
      while (off < bytes.length) off += writeSync(fd, bytes, off, bytes.length - off);
    } catch (err) {
      throw new HostError('io-error', 'Writing the telemetry recording failed (disk full?).', (err as Error).message);
    }
  }

  private sync(): void {
    if (!this.durable) return;
    for (const fd of [this.binFd, this.csvFd]) if (fd !== null) fdatasyncSync(fd);
  }

  private closeFiles(): void {
    for (const fd of [this.binFd, this.csvFd]) if (fd !== null) closeSync(fd);
    this.binFd = this.csvFd = null;
  }
}

function openFile(path: string): number {
  try {
    return openSync(path, 'wx'); // never overwrite an earlier recording
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'EEXIST') throw new HostError('invalid-params', `A recording named ${path} already exists.`, e.message);
    throw new HostError(e.code === 'EACCES' ? 'permission-denied' : 'io-error', `Could not create the recording ${path}.`, e.message);
  }
}

/** Long-format CSV rows, column by column (the block's order). */
export function csvRows(cols: ColumnToWrite[], names: string[]): string {
  const parts: string[] = [];
  for (const c of cols) {
    const name = csvField(names[c.index]);
    for (let i = 0; i < c.n; i++) parts.push(`${c.t[i]},${c.hostT[i]},${name},${c.value[i]}\n`);
  }
  return parts.join('');
}

export function csvField(s: string): string {
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
