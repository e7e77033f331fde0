// One engine for every long operation (firmware updates on every transport):
// named steps, progress with rate and ETA, cancel, and a history on disk.
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import type { JobInfo, JobStep } from '../../contract/jobs';
import { HostError } from '../errors/host-error';

export interface JobHandle {
  readonly id: string;
  readonly signal: AbortSignal;
  /** Runs one named step; its failure fails the job. */
  step<T>(name: string, fn: () => Promise<T>): Promise<T>;
  skip(name: string, why: string): void;
  progress(done: number, total: number): void;
  note(message: string): void;
}

export interface JobSpec {
  sessionId: string;
  deviceId: string;
  commandId: string;
  title: string;
  steps: string[];
}

type Listener = (job: JobInfo) => void;
const PROGRESS_EVENT_MS = 100;

export class JobEngine {
  private jobs = new Map<string, { info: JobInfo; abort: AbortController }>();
  private listeners = new Set<Listener>();

  constructor(private readonly historyPath: string | null) {}

  onUpdate(l: Listener): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }

  private publish(info: JobInfo): void {
    const snapshot = structuredClone(info);
    for (const l of this.listeners) l(snapshot);
  }

  /** Starts `body` as a job; returns at once. onStepAudit is called for each step change. */
  start(spec: JobSpec, body: (job: JobHandle) => Promise<unknown>, onStep?: (info: JobInfo, step: JobStep) => void): JobInfo {
    const abort = new AbortController();
    const info: JobInfo = {
      id: randomUUID(),
      sessionId: spec.sessionId,
      deviceId: spec.deviceId,
      commandId: spec.commandId,
      title: spec.title,
      state: 'running',
      steps: spec.steps.map((name) => ({ name, state: 'pending' })),
      done: 0,
      total: 0,
      startedAt: Date.now(),
    };
    this.jobs.set(info.id, { info, abort });
    let lastEmit = 0;
    let rateFrom = { t: Date.now(), done: 0 };
    const stepOf = (name: string): JobStep => {
      let s = info.steps.find((x) => x.name === name);
      if (!s) {
        s = { name, state: 'pending' };
        info.steps.push(s);
      }
      return s;
    };
    const handle: JobHandle = {
      id: info.id,
      signal: abort.signal,
      step: async (name, fn) => {
        if (abort.signal.aborted) throw new HostError('cancelled', 'The job was cancelled.');
        const s = stepOf(name);
        s.state = 'running';
        rateFrom = { t: Date.now(), done: info.done };
        this.publish(info);
        onStep?.(info, s);
        try {
          const r = await fn();
          s.state = 'done';
          return r;
        } catch (e) {
          s.state = 'failed';
          s.message = HostError.from(e).message;
          throw e;
        } finally {
          this.publish(info);
          onStep?.(info, s);
        }
      },
      skip: (name, why) => {
        const s = stepOf(name);
        s.state = 'skipped';
        s.message = why;
        this.publish(info);
      },
      progress: (done, total) => {
        info.done = done;
        info.total = total;
        const now = Date.now();
        const dt = (now - rateFrom.t) / 1000;
        if (dt > 0.25) {
          info.bytesPerSecond = (done - rateFrom.done) / dt;
          info.etaSeconds = info.bytesPerSecond > 0 ? (total - done) / info.bytesPerSecond : undefined;
        }
        if (now - lastEmit >= PROGRESS_EVENT_MS || done === total) {
          lastEmit = now;
          this.publish(info);
        }
      },
      note: (message) => {
        const running = info.steps.find((s) => s.state === 'running');
        if (running) running.message = message;
        this.publish(info);
      },
    };
    void (async () => {
      try {
        info.result = await body(handle);
        info.state = 'done';
      } catch (e) {
        const err = HostError.from(e);
        info.state = abort.signal.aborted || err.code === 'cancelled' ? 'cancelled' : 'failed';
        info.error = err.toWire();
      }
      info.endedAt = Date.now();
      for (const s of info.steps) if (s.state === 'pending') s.state = 'skipped';
      this.persist(info);
      this.publish(info);
    })();
    return structuredClone(info);
  }

  cancel(jobId: string): JobInfo {
    const j = this.jobs.get(jobId);
    if (!j) throw new HostError('unknown-job', 'There is no such job.', jobId);
    j.abort.abort();
    return structuredClone(j.info);
  }

  get(jobId: string): JobInfo | undefined {
    const j = this.jobs.get(jobId);
    return j ? structuredClone(j.info) : undefined;
  }

  /** Running jobs and the persisted history, newest first. */
  list(filter: { sessionId?: string; deviceId?: string } = {}): JobInfo[] {
    const live = [...this.jobs.values()].map((j) => j.info);
    const ids = new Set(live.map((j) => j.id));
    const past = this.history().filter((j) => !ids.has(j.id));
    return [...live, ...past]
      .filter((j) => (!filter.sessionId || j.sessionId === filter.sessionId) && (!filter.deviceId || j.deviceId === filter.deviceId))
      .sort((a, b) => b.startedAt - a.startedAt)
      .map((j) => structuredClone(j));
  }

  private history(): JobInfo[] {
    if (!this.historyPath || !existsSync(this.historyPath)) return [];
    const out: JobInfo[] = [];
    for (const line of readFileSync(this.historyPath, 'utf8').split('\n')) {
      if (!line) continue;
      try {
        out.push(JSON.parse(line) as JobInfo);
      } catch {
        // A torn last line after a crash is skipped, the rest still shows.
      }
    }
    return out;
  }

  private persist(info: JobInfo): void {
    if (!this.historyPath) return;
    const { result, ...rest } = info;
    appendFileSync(this.historyPath, JSON.stringify({ ...rest, result: summarize(result) }) + '\n', { mode: 0o600 });
  }
}

function summarize(result: unknown): unknown {
  const s = JSON.stringify(result ?? null);
  return s.length > 4096 ? { truncated: true } : result;
}
