// Host side of the diag.* channels: collect a bundle as a job into
// <state>/bundles/, hand its bytes to the renderer (which has no file
// system), and open untrusted bundle bytes read-only for review. Reviewing a
// bundle never creates a session: nothing in it can reach a device.
import { chmodSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { DIAG_BUNDLE_NAME_RE, type DiagBundleBytes, type DiagBundleFile, type DiagBundleReview, type DiagCollectResult, type ParamsOf } from '../../contract/channels';
import type { AuditRecord } from '../../contract/audit';
import type { Host } from '../host';
import type { ClientInfo } from '../router';
import type { JobHandle } from '../jobs/job-engine';
import { HostError } from '../errors/host-error';
import { collectBundle } from './collect-bundle';
import { openBundle, type BundleView } from './open-bundle';
import { MANIFEST_NAME } from './manifest';

/** Largest bundle handed over the wire (larger ones are named by path only). */
export const MAX_BUNDLE_TRANSFER_BYTES = 64 * 1024 * 1024;
/** Largest slice of one bundled file returned for review. */
export const MAX_REVIEW_FILE_BYTES = 4 * 1024 * 1024;
/** Audit records shown from a bundled journal (the newest ones). */
export const MAX_REVIEW_AUDIT_RECORDS = 5000;
const MAX_OPEN_BUNDLES = 8;
const IDLE_CLOSE_MS = 30 * 60 * 1000;
const TEXT_FILE = /\.(?:csv|json|jsonl|txt|log|head)$/i;

interface OpenBundle {
  id: string;
  owner: string;
  name: string;
  archiveBytes: number;
  view: BundleView;
  idle: NodeJS.Timeout;
}

// Bundled files are untrusted: parse only the fields the review shows, as plain values.
const str = (max: number) => z.string().max(max).catch('');
const AuditLine = z.object({
  seq: z.number().int(),
  time: str(40),
  kind: str(40),
  operator: str(200),
  client: str(200),
  sessionId: z.string().max(200).optional().catch(undefined),
  device: z.object({ id: str(200), label: str(200) }).optional().catch(undefined),
  commandId: z.string().max(100).optional().catch(undefined),
  scope: z.string().max(40).optional().catch(undefined),
  outcome: str(20),
  code: z.string().max(40).optional().catch(undefined),
  message: z.string().max(1000).optional().catch(undefined),
  durationMs: z.number().optional().catch(undefined),
  prev: str(64),
  hash: str(64),
});
const Inventory = z.object({
  devices: z.array(z.object({ id: str(200), label: str(200), kind: str(40), protocol: str(40), present: z.boolean().catch(false) })).max(10_000).catch([]),
  sessions: z.array(z.object({ id: str(200), deviceLabel: str(200), state: str(40) })).max(10_000).catch([]),
});

function bundleFileName(dir: string, now = new Date()): string {
  const p = (n: number) => String(n).padStart(2, '0');
  const stem = `fwbench-diag-${now.getFullYear()}${p(now.getMonth() + 1)}${p(now.getDate())}-${p(now.getHours())}${p(now.getMinutes())}${p(now.getSeconds())}`;
  for (let i = 0; i < 1000; i++) {
    const name = i === 0 ? `${stem}.tar.gz` : `${stem}-${i}.tar.gz`;
    if (!existsSync(join(dir, name)) && !existsSync(join(dir, `${name}.partial`))) return name;
  }
  throw new HostError('io-error', 'Too many bundles were collected within one second.');
}

export class BundleChannels {
  private readonly open = new Map<string, OpenBundle>();

  constructor(private readonly host: Host) {}

  get bundlesDir(): string {
    return join(this.host.paths.state, 'bundles');
  }

  /** Starts collecting; progress arrives as 'job' events (host-wide: sessionId ''). */
  collect(p: ParamsOf<'diag.collect'>, client: ClientInfo): { jobId: string } {
    const dir = this.bundlesDir;
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const name = bundleFileName(dir);
    const redact = { serials: !!p.redact?.serials, macs: !!p.redact?.macs, hostnames: !!p.redact?.hostnames };
    const job = this.host.jobs.start({ sessionId: '', deviceId: '', commandId: 'diagnostics.collect', title: `Diagnostics bundle ${name}`, steps: [] }, async (handle) => {
      const steps = new StepRelay(handle);
      try {
        const r = await collectBundle(this.host, {
          outPath: join(dir, name),
          redact,
          client,
          onProgress: (pr) => {
            handle.progress(pr.done, pr.total);
            if (pr.step === 'done') steps.finish();
            else steps.begin(pr.step);
          },
        });
        steps.finish();
        const result: DiagCollectResult = { name, path: r.path, bytes: r.bytes, files: r.manifest.files.length + 1, redaction: redact };
        this.auditOutcome(client, 'ok', { jobId: handle.id, bundle: name, bytes: r.bytes });
        return result;
      } catch (e) {
        const err = HostError.from(e);
        steps.fail(err);
        this.auditOutcome(client, 'error', { jobId: handle.id, bundle: name }, err);
        throw err;
      }
    });
    return { jobId: job.id };
  }

  /** The bytes of one bundle under <state>/bundles/ (plain files only; the name pattern admits nothing else). */
  bundle(p: ParamsOf<'diag.bundle'>): DiagBundleBytes {
    if (!DIAG_BUNDLE_NAME_RE.test(p.name)) throw new HostError('bad-request', 'That is not the name of a bundle fwbench wrote.');
    const path = join(this.bundlesDir, p.name);
    let st;
    try {
      st = lstatSync(path);
    } catch {
      throw new HostError('bad-request', `There is no bundle called ${p.name} under ${this.bundlesDir}.`);
    }
    if (!st.isFile()) throw new HostError('bad-request', `${p.name} is not a plain file.`);
    if (st.size > MAX_BUNDLE_TRANSFER_BYTES)
      return { name: p.name, path, bytes: st.size, note: `The bundle is ${st.size} bytes, over the ${MAX_BUNDLE_TRANSFER_BYTES}-byte transfer limit: copy it from ${path}.` };
    const data = readFileSync(path);
    return { name: p.name, path, bytes: st.size, data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) };
  }

  /** Unpacks untrusted bytes with every refusal of openBundle (traversal, links, bombs, bad manifest). */
  async openBytes(p: ParamsOf<'diag.open'>, client: ClientInfo): Promise<{ bundleId: string; name: string }> {
    const scratch = mkdtempSync(join(tmpdir(), 'fwbench-upload-'));
    let view: BundleView;
    try {
      const file = join(scratch, 'bundle.tar.gz');
      writeFileSync(file, p.data, { mode: 0o600, flag: 'wx' });
      chmodSync(scratch, 0o700);
      view = await openBundle(file);
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
    const owned = [...this.open.values()].filter((b) => b.owner === client.id);
    if (owned.length >= MAX_OPEN_BUNDLES) this.drop(owned[0].id);
    const id = randomUUID();
    const name = p.name.replace(/[^\x20-\x7e]/g, '_').slice(0, 255);
    this.open.set(id, { id, owner: client.id, name, archiveBytes: p.data.length, view, idle: this.idleTimer(id) });
    return { bundleId: id, name };
  }

  review(p: ParamsOf<'diag.view'>, client: ClientInfo): DiagBundleReview {
    const b = this.get(p.bundleId, client);
    const { view } = b;
    const m = view.manifest;
    const check = view.verify();
    const present = new Set(view.files);
    const listed = new Set(m.files.map((f) => f.path));
    const files: DiagBundleReview['files'] = [
      ...m.files.map((f) => ({ path: f.path, size: f.size, kind: f.kind, redacted: f.redacted, listed: true, present: present.has(f.path) })),
      ...view.files.filter((f) => !listed.has(f)).map((f) => ({ path: f, size: view.read(f).length, kind: 'unlisted', redacted: false, listed: false, present: true })),
    ];
    return {
      bundleId: b.id,
      name: b.name,
      archiveBytes: b.archiveBytes,
      manifest: {
        createdAt: m.createdAt,
        operator: m.operator,
        app: m.app,
        host: m.host,
        redaction: { serials: m.redaction.serials, macs: m.redaction.macs, hostnames: m.redaction.hostnames, distinct: m.redaction.distinct, auditRedactedLines: m.redaction.auditRedactedLines.slice(0, 10_000) },
        notes: m.notes,
      },
      files,
      integrity: { ok: check.ok, intact: check.intact, problems: check.problems, audit: check.audit },
      audit: present.has('audit.jsonl') ? parseJournal(view.read('audit.jsonl').toString('utf8')) : { records: [], unreadableLines: 0, truncated: false },
      inventory: present.has('devices.json') ? parseInventory(view.read('devices.json')) : null,
    };
  }

  file(p: ParamsOf<'diag.file'>, client: ClientInfo): DiagBundleFile {
    const b = this.get(p.bundleId, client);
    if (p.name === MANIFEST_NAME) throw new HostError('bad-request', 'The manifest is shown in the review itself.');
    const data = b.view.read(p.name);
    const kind = b.view.manifest.files.find((f) => f.path === p.name)?.kind ?? 'unlisted';
    const truncated = data.length > MAX_REVIEW_FILE_BYTES;
    const slice = truncated ? data.subarray(0, MAX_REVIEW_FILE_BYTES) : data;
    if (TEXT_FILE.test(p.name)) {
      try {
        const text = new TextDecoder('utf-8', { fatal: !truncated }).decode(slice);
        return { name: p.name, size: data.length, kind, text, truncated };
      } catch {
        // Not UTF-8 after all: hand over the bytes.
      }
    }
    return { name: p.name, size: data.length, kind, data: new Uint8Array(slice), truncated };
  }

  close(p: ParamsOf<'diag.close'>, client: ClientInfo): { closed: boolean } {
    this.get(p.bundleId, client);
    this.drop(p.bundleId);
    return { closed: true };
  }

  /** Removes every unpacked copy (host shutdown). */
  closeAll(): void {
    for (const id of [...this.open.keys()]) this.drop(id);
  }

  private get(bundleId: string, client: ClientInfo): OpenBundle {
    const b = this.open.get(bundleId);
    // Another client's bundle is reported exactly like a closed one.
    if (!b || b.owner !== client.id) throw new HostError('bad-request', 'That bundle is not open (it was closed, or left idle for 30 minutes). Open the file again.');
    clearTimeout(b.idle);
    b.idle = this.idleTimer(b.id);
    return b;
  }

  private idleTimer(id: string): NodeJS.Timeout {
    const t = setTimeout(() => this.drop(id), IDLE_CLOSE_MS);
    t.unref();
    return t;
  }

  private drop(id: string): void {
    const b = this.open.get(id);
    if (!b) return;
    clearTimeout(b.idle);
    this.open.delete(id);
    b.view.close();
  }

  private auditOutcome(client: ClientInfo, outcome: 'ok' | 'error', detail: Record<string, unknown>, err?: HostError): void {
    this.host.audit.append({
      kind: 'command-result',
      outcome,
      operator: this.host.facts().operator,
      client: `${client.via}:${client.id}`,
      commandId: 'diagnostics.collect',
      code: err?.code,
      message: err?.message,
      detail,
    });
  }
}

/**
 * Turns collectBundle's "now at step X" callbacks into JobEngine steps: each
 * step runs as a pending promise that the next callback settles.
 */
class StepRelay {
  private current: { resolve(): void; reject(e: Error): void; ran: Promise<unknown> } | null = null;

  constructor(private readonly handle: JobHandle) {}

  begin(name: string): void {
    this.finish();
    let resolve!: () => void;
    let reject!: (e: Error) => void;
    const gate = new Promise<void>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    const ran = this.handle.step(name, () => gate).catch(() => undefined);
    this.current = { resolve, reject, ran };
  }

  finish(): void {
    this.current?.resolve();
    this.current = null;
  }

  fail(e: Error): void {
    this.current?.reject(e);
    this.current = null;
  }
}

function parseJournal(text: string): DiagBundleReview['audit'] {
  const lines = text.split('\n').filter((l) => l.length > 0);
  const truncated = lines.length > MAX_REVIEW_AUDIT_RECORDS;
  const records: AuditRecord[] = [];
  let unreadableLines = 0;
  for (const line of truncated ? lines.slice(-MAX_REVIEW_AUDIT_RECORDS) : lines) {
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch {
      unreadableLines++;
      continue;
    }
    const r = AuditLine.safeParse(json);
    if (r.success) records.push(r.data as AuditRecord);
    else unreadableLines++;
  }
  return { records, unreadableLines, truncated };
}

function parseInventory(raw: Buffer): DiagBundleReview['inventory'] {
  try {
    const r = Inventory.safeParse(JSON.parse(raw.toString('utf8')));
    return r.success ? r.data : null;
  } catch {
    return null;
  }
}
