// Per-device state under $XDG_STATE_HOME/fwbench/profiles: a snapshot of the
// settings on every save and apply, and the journal of every change applied.
import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ConfigValue } from '../../contract/config';
import type { ConfigJournalEntry } from '../../contract/recipes';

export interface ConfigSnapshot {
  deviceId: string;
  takenAt: string;
  /** Why it was taken: "profile save NAME", "after apply of NAME". */
  reason: string;
  values: Record<string, ConfigValue>;
}

/** Device ids hold ':' and '/'; a file name must not. */
function fileSafe(deviceId: string): string {
  return encodeURIComponent(deviceId).replace(/\./g, '%2E');
}

export class ProfileStore {
  constructor(readonly dir: string) {}

  private snapshotDir(deviceId: string): string {
    return join(this.dir, 'snapshots', fileSafe(deviceId));
  }

  journalPath(deviceId: string): string {
    return join(this.dir, 'journal', `${fileSafe(deviceId)}.jsonl`);
  }

  saveSnapshot(deviceId: string, values: Record<string, ConfigValue>, reason: string, now = new Date()): ConfigSnapshot {
    const dir = this.snapshotDir(deviceId);
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const snap: ConfigSnapshot = { deviceId, takenAt: now.toISOString(), reason, values };
    // Sortable names; a counter keeps two snapshots in one millisecond apart.
    const base = snap.takenAt.replace(/[:.]/g, '-');
    let file = '';
    for (let i = 0; !file || existsSync(file); i++) file = join(dir, `${base}-${String(i).padStart(3, '0')}.json`);
    writeFileSync(file + '.tmp', JSON.stringify(snap, null, 2), { mode: 0o600 });
    renameSync(file + '.tmp', file);
    return snap;
  }

  latestSnapshot(deviceId: string): ConfigSnapshot | null {
    const dir = this.snapshotDir(deviceId);
    if (!existsSync(dir)) return null;
    const files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
    for (const f of files.reverse()) {
      try {
        return JSON.parse(readFileSync(join(dir, f), 'utf8')) as ConfigSnapshot;
      } catch {
        // A torn file from a crash: fall back to the one before.
      }
    }
    return null;
  }

  appendJournal(entry: ConfigJournalEntry): void {
    const path = this.journalPath(entry.deviceId);
    mkdirSync(join(this.dir, 'journal'), { recursive: true, mode: 0o700 });
    appendFileSync(path, JSON.stringify(entry) + '\n', { mode: 0o600 });
  }

  /** Oldest first. */
  journal(deviceId: string): ConfigJournalEntry[] {
    const path = this.journalPath(deviceId);
    if (!existsSync(path)) return [];
    const out: ConfigJournalEntry[] = [];
    for (const line of readFileSync(path, 'utf8').split('\n')) {
      if (!line) continue;
      try {
        out.push(JSON.parse(line) as ConfigJournalEntry);
      } catch {
        // A torn last line after a crash is skipped.
      }
    }
    return out;
  }
}
