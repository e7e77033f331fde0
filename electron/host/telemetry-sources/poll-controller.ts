// One poll per session at a time, shared by every adapter that offers
// telemetry.poll: start (or restart with new parameters), stop, status, and
// stop on close. The adapter only says which reader a request gets.
import type { z } from 'zod';
import type { HostEvent } from '../../contract/events';
import { DEFAULT_POLL_INTERVAL_MS, telemetryPoll, telemetryPollStatus } from '../../contract/catalog/telemetry-poll';
import type { HostError } from '../errors/host-error';
import { bind, type BoundCommand } from '../adapters/device-adapter';
import { PollLoop, type PollStatus } from './poll-loop';
import type { PollReader } from './reading';

export type PollParams = z.output<(typeof telemetryPoll)['params']>;

export interface PollPlan {
  source: string;
  reader: PollReader;
}

export interface PollControllerOptions {
  /** The adapter sink's emit: telemetry goes to the session, which records before it displays. */
  emit: (e: HostEvent) => void;
  report?: (text: string) => void;
  isFatal?: (err: HostError) => boolean;
  onFatal?: (err: HostError) => void;
}

export class PollController {
  private loop: PollLoop | null = null;
  private last: PollStatus | null = null;
  private closed = false;

  constructor(private readonly opts: PollControllerOptions) {}

  get running(): boolean {
    return this.loop?.running ?? false;
  }

  /** Replaces whatever polls now. */
  async start(plan: PollPlan, sessionId: string, intervalMs = DEFAULT_POLL_INTERVAL_MS): Promise<PollStatus> {
    await this.stop();
    if (this.closed) return this.status();
    const loop = new PollLoop({ sessionId, source: plan.source, intervalMs, reader: plan.reader, emit: this.opts.emit, report: this.opts.report, isFatal: this.opts.isFatal, onFatal: this.opts.onFatal });
    this.loop = loop;
    loop.start();
    return loop.status();
  }

  async stop(): Promise<PollStatus> {
    const loop = this.loop;
    this.loop = null;
    if (loop) this.last = await loop.stop();
    return this.status();
  }

  status(): PollStatus {
    if (this.loop) return this.loop.status();
    return this.last ?? { source: 'none', intervalMs: 0, running: false, startedAt: 0, reads: 0, failures: 0, partialProblems: 0, skippedTicks: 0, samples: 0, channels: [], lastError: null, lastErrorAt: null };
  }

  /** telemetry.poll and telemetry.poll-status, with `plan` choosing the reader for a request (it may read the device to check names). */
  commands(plan: (p: PollParams, signal: AbortSignal) => Promise<PollPlan>): BoundCommand[] {
    return [
      bind(telemetryPoll, async (p, ctx) => {
        if (!p.on) return { on: false, ...(await this.stop()) };
        const chosen = await plan(p, ctx.signal);
        return { on: true, ...(await this.start(chosen, ctx.sessionId, p.intervalMs)) };
      }),
      bind(telemetryPollStatus, async () => this.status()),
    ];
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.stop();
  }
}
