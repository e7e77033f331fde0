import type { TelemetrySink, TelemetrySource } from './source';
import { SampleBatchBuilder } from '../sample-batch';
import { HostError } from '../../errors/host-error';

/** What a poll returns: channel → value (stamped with host time), or samples with their own device time. */
export type PollResult = Record<string, number> | { channel: string; value: number; t?: number }[];

export interface PolledSourceOptions {
  intervalMs: number;
  now?: () => number;
}

/**
 * Calls `read` every interval (never two reads at once: a slow device just
 * polls slower). A failed read is reported and polling goes on, since SMP
 * and fwctl reads fail transiently during resets.
 */
export class PolledSource implements TelemetrySource {
  private timer: ReturnType<typeof setTimeout> | null = null;
  private active = false;
  private readonly builder = new SampleBatchBuilder();
  private readonly now: () => number;
  private inFlight: Promise<void> | null = null;

  constructor(
    readonly id: string,
    private readonly read: (signal: AbortSignal) => Promise<PollResult>,
    private readonly options: PolledSourceOptions,
  ) {
    if (!(options.intervalMs > 0)) throw new HostError('invalid-params', 'The poll interval must be a positive number of milliseconds.');
    this.now = options.now ?? Date.now;
  }

  private abort = new AbortController();

  get running(): boolean {
    return this.active;
  }

  async start(sink: TelemetrySink): Promise<void> {
    if (this.active) throw new HostError('device-busy', `Telemetry source ${this.id} is already running.`);
    this.active = true;
    this.abort = new AbortController();
    const tick = async () => {
      const started = this.now();
      try {
        const result = await this.read(this.abort.signal);
        if (!this.active) return;
        const hostT = this.now();
        if (Array.isArray(result)) for (const s of result) this.builder.column(s.channel).push(s.t ?? hostT, hostT, s.value);
        else for (const [ch, v] of Object.entries(result)) this.builder.column(ch).push(hostT, hostT, v);
        const batch = this.builder.take();
        if (batch.sampleCount > 0) sink.samples(batch, this.id);
      } catch (err) {
        if (!this.active) return;
        sink.errors([{ offset: 0, message: `Polling ${this.id} failed: ${(err as Error).message ?? String(err)}` }], this.id);
      }
      if (!this.active) return;
      const wait = Math.max(0, this.options.intervalMs - (this.now() - started));
      this.timer = setTimeout(() => (this.inFlight = tick()), wait);
    };
    this.inFlight = tick();
  }

  async stop(): Promise<void> {
    this.active = false;
    this.abort.abort();
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.inFlight?.catch(() => {});
  }
}
