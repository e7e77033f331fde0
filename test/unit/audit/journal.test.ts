import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AuditJournal, verifyJournal } from '../../../electron/host/audit/journal';

function journalWith(n: number) {
  const dir = mkdtempSync(join(tmpdir(), 'fwbench-audit-'));
  const j = new AuditJournal(join(dir, 'audit.jsonl'));
  for (let i = 0; i < n; i++) j.append({ kind: 'command', outcome: i % 3 === 0 ? 'denied' : 'ok', operator: 'tech', client: 'test', commandId: `cmd.${i}`, scope: 'configuration' });
  return j;
}

const lines = (p: string) => readFileSync(p, 'utf8').trimEnd().split('\n');
const write = (p: string, ls: string[]) => writeFileSync(p, ls.join('\n') + '\n');

describe('audit journal', () => {
  it('verifies an untouched journal and chains every record to the one before', () => {
    const j = journalWith(5);
    const r = j.verify();
    expect(r).toEqual({ ok: true, records: 5, problems: [] });
    const recs = lines(j.path).map((l) => JSON.parse(l));
    for (let i = 1; i < recs.length; i++) expect(recs[i].prev).toBe(recs[i - 1].hash);
  });

  it('continues the chain when reopened', () => {
    const j = journalWith(3);
    const again = new AuditJournal(j.path);
    const r = again.append({ kind: 'command', outcome: 'ok', operator: 'tech', client: 'test' });
    expect(r.seq).toBe(4);
    expect(again.verify().ok).toBe(true);
  });

  it('detects an edited field', () => {
    const j = journalWith(5);
    const ls = lines(j.path);
    ls[2] = ls[2].replace('"outcome":"ok"', '"outcome":"denied"').replace('"outcome":"denied"', '"outcome":"ok"');
    const rec = JSON.parse(ls[2]);
    rec.commandId = 'something.else';
    ls[2] = JSON.stringify(rec);
    write(j.path, ls);
    const r = verifyJournal(j.path, j.headPath);
    expect(r.ok).toBe(false);
    expect(r.problems.some((p) => p.line === 3 && /changed/.test(p.problem))).toBe(true);
  });

  it('detects a deleted record in the middle', () => {
    const j = journalWith(5);
    const ls = lines(j.path);
    ls.splice(1, 1);
    write(j.path, ls);
    const r = verifyJournal(j.path, j.headPath);
    expect(r.ok).toBe(false);
    expect(r.problems[0].line).toBe(2);
  });

  it('detects an inserted record, even one with a valid hash of its own', () => {
    const j = journalWith(4);
    const ls = lines(j.path);
    const fake = JSON.parse(ls[1]);
    ls.splice(2, 0, JSON.stringify(fake));
    write(j.path, ls);
    expect(verifyJournal(j.path, j.headPath).ok).toBe(false);
  });

  it('detects records cut from the end through the head file', () => {
    const j = journalWith(5);
    write(j.path, lines(j.path).slice(0, 3));
    const r = verifyJournal(j.path, j.headPath);
    expect(r.ok).toBe(false);
    expect(r.problems.at(-1)?.problem).toMatch(/removed from the end/);
  });

  it('detects a line that is not JSON', () => {
    const j = journalWith(3);
    const ls = lines(j.path);
    ls[1] = ls[1].slice(0, 20);
    write(j.path, ls);
    expect(verifyJournal(j.path, j.headPath).problems.some((p) => /not valid JSON/.test(p.problem))).toBe(true);
  });

  it('filters queries newest first', () => {
    const j = journalWith(9);
    const denied = j.query({ outcome: 'denied' });
    expect(denied.map((r) => r.commandId)).toEqual(['cmd.6', 'cmd.3', 'cmd.0']);
    expect(j.query({ limit: 2 }).map((r) => r.seq)).toEqual([9, 8]);
    expect(j.query({ text: 'CMD.4' }).map((r) => r.seq)).toEqual([5]);
  });
});
