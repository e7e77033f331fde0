// The transcripts folder under the state dir: one file per session (a
// reconnect appends a new link to the same file), listed newest first.
import { readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { TranscriptSummary } from '../../contract/channels';
import type { DeviceInfo } from '../../contract/devices';
import { HostError } from '../errors/host-error';
import { parseTranscript, type Transcript } from './transcript-format';
import { TranscriptWriter } from './transcript-writer';
import type { LinkRecorder } from './link-tap';

const NAME_RE = /^[\w.-]{1,200}\.jsonl$/;
/** Every session is recorded, so the folder is bounded: the oldest transcripts go first. */
export const KEEP_TRANSCRIPTS = 100;

export class TranscriptStore {
  private readonly writers = new Map<string, TranscriptWriter>();

  constructor(readonly dir: string) {}

  /** The recorder for one session: the first link it opens creates the file. */
  recorderFor(sessionId: string, device: DeviceInfo): LinkRecorder {
    return (kind) => {
      let w = this.writers.get(sessionId);
      if (!w) {
        const stamp = new Date().toISOString().replace(/[:.]/g, '-');
        const safe = device.id.replace(/[^\w.-]+/g, '_').slice(0, 80);
        w = new TranscriptWriter(join(this.dir, `${stamp}_${safe}_${sessionId.slice(0, 8)}.jsonl`), {
          kind,
          sessionId,
          device: { id: device.id, label: device.label, kind: device.kind, protocol: device.protocol, details: { ...device.details } },
        });
        this.writers.set(sessionId, w);
        this.prune();
      }
      return w;
    };
  }

  /** Names start with an ISO time, so sorting them sorts by age; files still being written are kept. */
  private prune(): void {
    let names: string[];
    try {
      names = readdirSync(this.dir).filter((n) => NAME_RE.test(n)).sort();
    } catch {
      return;
    }
    const open = new Set([...this.writers.values()].map((w) => w.path));
    for (const name of names.slice(0, Math.max(0, names.length - KEEP_TRANSCRIPTS))) {
      const path = join(this.dir, name);
      if (!open.has(path)) rmSync(path, { force: true });
    }
  }

  /** The session ended: flush and forget its writer; returns the file, if one was written. */
  stop(sessionId: string): string | null {
    const w = this.writers.get(sessionId);
    if (!w) return null;
    w.close();
    this.writers.delete(sessionId);
    return w.path;
  }

  stopAll(): void {
    for (const id of [...this.writers.keys()]) this.stop(id);
  }

  pathOf(name: string): string {
    if (!NAME_RE.test(name)) throw new HostError('invalid-params', `"${name.slice(0, 80)}" is not a transcript file name.`);
    return join(this.dir, name);
  }

  read(name: string): Transcript {
    for (const w of this.writers.values()) w.flush();
    let text: string;
    try {
      text = readFileSync(this.pathOf(name), 'utf8');
    } catch (e) {
      throw new HostError('unknown-device', `There is no transcript called ${name}.`, (e as Error).message);
    }
    return parseTranscript(text, name);
  }

  list(): TranscriptSummary[] {
    for (const w of this.writers.values()) w.flush();
    let names: string[];
    try {
      names = readdirSync(this.dir).filter((n) => NAME_RE.test(n));
    } catch {
      return [];
    }
    const out: TranscriptSummary[] = [];
    for (const name of names) {
      try {
        const text = readFileSync(join(this.dir, name), 'utf8');
        const t = parseTranscript(text, name);
        out.push({ name, deviceLabel: t.header.device.label, protocol: t.header.device.protocol, kind: t.header.kind, startedAt: t.header.startedAt, bytes: statSync(join(this.dir, name)).size, steps: t.steps.length });
      } catch {
        // A damaged transcript is not listed; opening it by name explains why.
      }
    }
    return out.sort((a, b) => b.startedAt.localeCompare(a.startedAt));
  }
}
