export type JobState = 'running' | 'done' | 'failed' | 'cancelled';

export interface JobStep {
  name: string;
  state: 'pending' | 'running' | 'done' | 'failed' | 'skipped';
  message?: string;
}

export interface JobInfo {
  id: string;
  sessionId: string;
  deviceId: string;
  commandId: string;
  title: string;
  state: JobState;
  steps: JobStep[];
  /** Bytes (or units) done and total for the current transfer. */
  done: number;
  total: number;
  bytesPerSecond?: number;
  etaSeconds?: number;
  startedAt: number;
  endedAt?: number;
  result?: unknown;
  error?: { code: string; message: string; detail?: string };
}
