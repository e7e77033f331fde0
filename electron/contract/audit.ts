import type { Scope } from './scopes';

export type AuditKind =
  | 'session-open'
  | 'session-close'
  | 'grant'
  | 'grant-expired'
  | 'grant-dropped'
  | 'command'
  | 'command-result'
  | 'job-step';

export type AuditOutcome = 'ok' | 'denied' | 'error' | 'started';

/** One line of the hash-chained journal. */
export interface AuditRecord {
  seq: number;
  time: string;
  kind: AuditKind;
  operator: string;
  client: string;
  sessionId?: string;
  device?: { id: string; label: string; identity?: Record<string, string> };
  commandId?: string;
  scope?: Scope;
  /** SHA-256 of the canonical JSON of the params (the params themselves may be large or sensitive). */
  paramsDigest?: string;
  outcome: AuditOutcome;
  code?: string;
  message?: string;
  durationMs?: number;
  detail?: Record<string, unknown>;
  /** SHA-256 of the previous record's line ("0"×64 for the first). */
  prev: string;
  /** SHA-256 over this record without `hash`, chained through `prev`. */
  hash: string;
}

export interface AuditQuery {
  sessionId?: string;
  deviceId?: string;
  commandId?: string;
  outcome?: AuditOutcome;
  kind?: string;
  text?: string;
  limit?: number;
}

export interface AuditVerifyResult {
  ok: boolean;
  records: number;
  problems: { line: number; problem: string }[];
}
