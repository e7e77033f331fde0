// Appends transcript steps to a file, buffered (telemetry streams hundreds of
// chunks a second) and flushed every 200 ms and on close. A transcript stops
// growing at its size limit and says so in a final 'truncated' step.
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { TRANSCRIPT_FORMAT, TRANSCRIPT_VERSION, type TranscriptHeader, type TranscriptStep } from './transcript-format';

type StepBody = TranscriptStep extends infer S ? (S extends TranscriptStep ? Omit<S, 't'> : never) : never;

/** Where recorders send steps; the time is stamped by the sink. */
export interface TranscriptSink {
  step(s: StepBody): void;
}

export const DEFAULT_TRANSCRIPT_LIMIT = 64 * 1024 * 1024;
const FLUSH_MS = 200;

export class TranscriptWriter implements TranscriptSink {
  private buffer: string[] = [];
  private bytes = 0;
  private stopped = false;
  private readonly started = performance.now();
  private timer: NodeJS.Timeout | null = null;
  stepCount = 0;

  constructor(
    readonly path: string,
    header: Omit<TranscriptHeader, 'format' | 'version' | 'startedAt'>,
    private readonly limitBytes = DEFAULT_TRANSCRIPT_LIMIT,
  ) {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    const line = JSON.stringify({ format: TRANSCRIPT_FORMAT, version: TRANSCRIPT_VERSION, startedAt: new Date().toISOString(), ...header }) + '\n';
    writeFileSync(path, line, { mode: 0o600 });
    this.bytes = line.length;
  }

  step(s: StepBody): void {
    if (this.stopped) return;
    const t = Math.round((performance.now() - this.started) * 1000) / 1000;
    const line = JSON.stringify({ ...s, t }) + '\n';
    if (this.bytes + line.length > this.limitBytes) {
      this.buffer.push(JSON.stringify({ type: 'truncated', t, limitBytes: this.limitBytes }) + '\n');
      this.stopped = true;
      this.flush();
      return;
    }
    this.bytes += line.length;
    this.stepCount++;
    this.buffer.push(line);
    if (!this.timer) {
      this.timer = setTimeout(() => this.flush(), FLUSH_MS);
      this.timer.unref();
    }
  }

  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.buffer.length === 0) return;
    const text = this.buffer.join('');
    this.buffer = [];
    try {
      appendFileSync(this.path, text);
    } catch {
      // A full disk must not break the session being recorded; the transcript just ends.
      this.stopped = true;
    }
  }

  close(): void {
    this.flush();
    this.stopped = true;
  }
}

/** Keeps steps in memory (tests, and replays built on the fly). */
export class MemoryTranscript implements TranscriptSink {
  readonly steps: TranscriptStep[] = [];
  private readonly started = performance.now();
  step(s: StepBody): void {
    this.steps.push({ ...s, t: performance.now() - this.started } as TranscriptStep);
  }
}
