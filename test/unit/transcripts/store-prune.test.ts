import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KEEP_TRANSCRIPTS, TranscriptStore } from '../../../electron/host/transcripts/transcript-store';

describe('transcript folder', () => {
  it('keeps the newest transcripts when a new session starts recording', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fwbench-transcripts-'));
    const old = Array.from({ length: KEEP_TRANSCRIPTS + 2 }, (_, i) => `2020-01-01T00-00-${String(i).padStart(3, '0')}Z_dev_${i}.jsonl`);
    for (const n of old) writeFileSync(join(dir, n), '');
    writeFileSync(join(dir, 'notes.txt'), 'not a transcript');
    const store = new TranscriptStore(dir);
    store.recorderFor('session-1', { id: 'demo:x', kind: 'serial', label: 'x', simulated: true, protocol: 'console', present: true, details: {} })('serial');
    // The new session's file counts too: the three oldest make room.
    for (const n of old.slice(0, 3)) expect(existsSync(join(dir, n))).toBe(false);
    expect(existsSync(join(dir, old[3]))).toBe(true);
    expect(existsSync(join(dir, 'notes.txt'))).toBe(true);
    expect(readdirSync(dir).filter((n) => n.endsWith('.jsonl'))).toHaveLength(KEEP_TRANSCRIPTS);
    store.stopAll();
  });
});
