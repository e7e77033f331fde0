// Runs one reader on a fixed grid of ticks and turns each read into a
// TelemetryBatch (one sample per channel, stamped when the read finished).
// A tick that arrives while the previous read still runs is skipped, so a
// slow device is polled less often instead of having requests pile up in
// front of the operator's own commands. Failed reads are counted and
// reported; they never end the poll, except an error the owner calls fatal
// (the device is gone).
import type { TelemetryBatch } from '../../contract/events';
import { HostError } from '../errors/host-error';
import type { PollReader, Reading } from './reading';

export interface PollStatus {
  source: string;
  intervalMs: number;
  running: boolean;
  startedAt: number;
  /** Reads that delivered samples. */
  reads: number;
  /** Reads that delivered nothing (the reader threw). */
  failures: number;
  /** Parts left out of otherwise good reads (a stats group, a sensor). */
  partialProblems: number;
  /** Ticks dropped because the previous read was still running. */
  skippedTicks: number;
  samples: number;
  channels: string[];
  lastError: string | null;
  lastErrorAt: number | null;
}

export interface PollLoopOptions {
  sessionId: string;
  /** Shown in status and messages: 'smp-stats', 'cxl-features', 'hwmon'. */
  source: string;
  intervalMs: number;
  reader: PollReader;
  emit: (batch: TelemetryBatch) => void;
  /** Called when a failure starts and when reads recover, not on every failed tick. */
  report?: (text: string) => void;
  /** Errors after which polling cannot go on (device gone); the loop stops and calls onFatal. */
  isFatal?: (err: HostError) => boolean;
  onFatal?: (err: HostError) => void;
  now?: () => number;
}

export class PollLoop {
  private timer: ReturnType<typeof setTimeout> | null = null;
  private inFlight: Promise<void> | null = null;
  private abort = new AbortController();
  private active = false;
  private failing = false;
  private tickNo = 0;
  private readonly now: () => number;
  private readonly st: PollStatus;

  constructor(private readonly opts: PollLoopOptions) {
    if (!Number.isInteger(opts.intervalMs) || opts.intervalMs <= 0) throw new HostError('invalid-params', 'The poll interval must be a whole, positive number of milliseconds.', String(opts.intervalMs));
    this.now = opts.now ?? Date.now;
    this.st = { source: opts.source, intervalMs: opts.intervalMs, running: false, startedAt: 0, reads: 0, failures: 0, partialProblems: 0, skippedTicks: 0, samples: 0, channels: [], lastError: null, lastErrorAt: null };
  }

  get running(): boolean {
    return this.active;
  }

  status(): PollStatus {
    return { ...this.st, channels: [...this.st.channels] };
  }

  start(): void {
    if (this.active) throw new HostError('device-busy', `Polling ${this.opts.source} is already running.`);
    this.active = true;
    this.abort = new AbortController();
    this.st.running = true;
    this.st.startedAt = this.now();
    this.tickNo = 0;
    this.tick();
  }

  async stop(): Promise<PollStatus> {
    this.active = false;
    this.st.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.abort.abort();
    await this.inFlight;
    return this.status();
  }

  private tick(): void {
    if (!this.active) return;
    if (this.inFlight) this.st.skippedTicks++;
    else this.inFlight = this.readOnce().finally(() => (this.inFlight = null));
    // Next grid point from the start time, so slow reads do not make the interval drift.
    this.tickNo++;
    const due = this.st.startedAt + this.tickNo * this.opts.intervalMs;
    this.timer = setTimeout(() => this.tick(), Math.max(0, due - this.now()));
  }

  private async readOnce(): Promise<void> {
    const problems: string[] = [];
    let readings: Reading[];
    try {
      readings = await this.opts.reader.read(this.abort.signal, (p) => problems.push(p));
    } catch (e) {
      if (!this.active) return;
      const err = HostError.from(e);
      this.st.failures++;
      this.failed(`${err.message}${err.detail ? ` (${err.detail})` : ''}`);
      if (this.opts.isFatal?.(err)) {
        void this.stop();
        this.opts.onFatal?.(err);
      }
      return;
    }
    if (!this.active) return;
    const t = this.now();
    if (problems.length > 0) {
      this.st.partialProblems += problems.length;
      this.failed(problems.join('; '));
    } else if (this.failing) {
      this.failing = false;
      this.opts.report?.(`Polling ${this.opts.source} reads again.`);
    }
    if (readings.length === 0) return;
    this.st.reads++;
    this.st.samples += readings.length;
    this.st.channels = readings.map((r) => r.channel);
    this.opts.emit({
      type: 'telemetry',
      sessionId: this.opts.sessionId,
      channels: readings.map((r) => ({ name: r.channel, unit: r.unit })),
      t: Float64Array.of(t),
      values: readings.map((r) => Float32Array.of(r.value)),
    });
  }

  private failed(text: string): void {
    this.st.lastError = text;
    this.st.lastErrorAt = this.now();
    if (!this.failing) this.opts.report?.(`Polling ${this.opts.source} failed: ${text}`);
    this.failing = true;
  }
}
