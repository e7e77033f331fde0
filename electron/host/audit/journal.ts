// The audit journal: append-only JSON lines, each record chained to the one
// before by SHA-256, plus a head file naming the last record so a cut tail is
// detected too. A record is written (synchronously) before the device is touched.
import { appendFileSync, closeSync, existsSync, openSync, readFileSync, readSync, fstatSync, writeFileSync, renameSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { AuditQuery, AuditRecord, AuditVerifyResult } from '../../contract/audit';
import { ensureDir } from '../platform/xdg-paths';
import { canonicalJson, sha256Hex } from './canonical-json';

export const GENESIS = '0'.repeat(64);

export type AuditDraft = Omit<AuditRecord, 'seq' | 'time' | 'prev' | 'hash'>;

export function hashRecord(r: Omit<AuditRecord, 'hash'>): string {
  return sha256Hex(canonicalJson(r));
}

export class AuditJournal {
  private seq = 0;
  private prev = GENESIS;
  private listeners = new Set<(r: AuditRecord) => void>();
  readonly headPath: string;

  constructor(readonly path: string) {
    ensureDir(dirname(path));
    this.headPath = join(dirname(path), 'audit.head');
    const last = readLastLine(path);
    if (last) {
      const r = JSON.parse(last) as AuditRecord;
      this.seq = r.seq;
      this.prev = r.hash;
    }
  }

  onRecord(l: (r: AuditRecord) => void): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }

  append(draft: AuditDraft): AuditRecord {
    const body: Omit<AuditRecord, 'hash'> = { ...draft, seq: this.seq + 1, time: new Date().toISOString(), prev: this.prev };
    const record: AuditRecord = { ...body, hash: hashRecord(body) };
    appendFileSync(this.path, canonicalJson(record) + '\n', { mode: 0o600 });
    this.seq = record.seq;
    this.prev = record.hash;
    // The head file lets verify() notice records cut from the end.
    const tmp = this.headPath + '.tmp';
    writeFileSync(tmp, JSON.stringify({ seq: record.seq, hash: record.hash }));
    renameSync(tmp, this.headPath);
    for (const l of this.listeners) l(record);
    return record;
  }

  query(q: AuditQuery): AuditRecord[] {
    const limit = q.limit ?? 500;
    const out: AuditRecord[] = [];
    const lines = readLines(this.path);
    for (let i = lines.length - 1; i >= 0 && out.length < limit; i--) {
      let r: AuditRecord;
      try {
        r = JSON.parse(lines[i]) as AuditRecord;
      } catch {
        continue;
      }
      if (q.sessionId && r.sessionId !== q.sessionId) continue;
      if (q.deviceId && r.device?.id !== q.deviceId) continue;
      if (q.commandId && r.commandId !== q.commandId) continue;
      if (q.outcome && r.outcome !== q.outcome) continue;
      if (q.kind && r.kind !== q.kind) continue;
      if (q.text && !lines[i].toLowerCase().includes(q.text.toLowerCase())) continue;
      out.push(r);
    }
    return out;
  }

  verify(): AuditVerifyResult {
    return verifyJournal(this.path, this.headPath);
  }
}

function readLines(path: string): string[] {
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8').split('\n').filter((l) => l.length > 0);
}

function readLastLine(path: string): string | null {
  if (!existsSync(path)) return null;
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    let window = 4096;
    for (;;) {
      const start = Math.max(0, size - window);
      const buf = Buffer.alloc(size - start);
      readSync(fd, buf, 0, buf.length, start);
      const text = buf.toString('utf8').replace(/\n+$/, '');
      const nl = text.lastIndexOf('\n');
      if (nl >= 0 || start === 0) return text.slice(nl + 1) || null;
      window *= 4;
    }
  } finally {
    closeSync(fd);
  }
}

/** Checks every link of the chain; names the line of each problem. Works offline on a copied journal. */
export function verifyJournal(path: string, headPath?: string): AuditVerifyResult {
  const problems: { line: number; problem: string }[] = [];
  const lines = readLines(path);
  let prev = GENESIS;
  let expectSeq = 1;
  let lastHash = GENESIS;
  let lastSeq = 0;
  lines.forEach((line, i) => {
    const n = i + 1;
    let r: AuditRecord;
    try {
      r = JSON.parse(line) as AuditRecord;
    } catch {
      problems.push({ line: n, problem: 'not valid JSON (the line was edited or cut)' });
      return;
    }
    const { hash, ...body } = r;
    if (hashRecord(body) !== hash) problems.push({ line: n, problem: `record ${r.seq} was changed after it was written (its hash does not match its content)` });
    if (r.prev !== prev) problems.push({ line: n, problem: `record ${r.seq} does not follow the record before it (a record was inserted, removed or reordered)` });
    if (r.seq !== expectSeq) problems.push({ line: n, problem: `record number ${r.seq} where ${expectSeq} was expected` });
    prev = hash;
    expectSeq = r.seq + 1;
    lastHash = hash;
    lastSeq = r.seq;
  });
  if (headPath && existsSync(headPath)) {
    try {
      const head = JSON.parse(readFileSync(headPath, 'utf8')) as { seq: number; hash: string };
      if (head.seq !== lastSeq || head.hash !== lastHash)
        problems.push({ line: lines.length, problem: `the journal ends at record ${lastSeq} but ${head.seq} were written (records were removed from the end)` });
    } catch {
      problems.push({ line: lines.length, problem: 'the journal head file is unreadable' });
    }
  }
  return { ok: problems.length === 0, records: lines.length, problems };
}
