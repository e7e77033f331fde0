// Collects one offline diagnostics bundle (.tar.gz): host facts, the device
// inventory, fwctl INFO snapshots, console transcripts, telemetry recordings,
// job history and the audit journal, redacted as asked, each file listed in
// manifest.json with its size and SHA-256.
import { chmodSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { c as createTar } from 'tar';
import type { Host } from '../host';
import type { ClientInfo } from '../router';
import type { DeviceInfo, SessionInfo } from '../../contract/devices';
import { HostError } from '../errors/host-error';
import { readKernelTaint } from './kernel-taint';
import { Redactor, type RedactionOptions } from './redaction';
import { BUNDLE_FORMAT, BUNDLE_FORMAT_VERSION, MANIFEST_NAME, describeFile, type BundleManifest, type ManifestFile } from './manifest';

export interface CollectProgress {
  step: string;
  done: number;
  total: number;
}

export interface CollectOptions {
  outPath: string;
  redact?: RedactionOptions;
  onProgress?: (p: CollectProgress) => void;
  /** Who asked (recorded in the audit journal); a fresh 'diag' client by default. */
  client?: ClientInfo;
  /** Test hooks: where /proc is, and the host name to report. */
  procRoot?: string;
  hostname?: string;
  /** Telemetry recordings above this total are left out (noted in the manifest). */
  maxTelemetryBytes?: number;
}

export interface CollectResult {
  path: string;
  bytes: number;
  manifest: BundleManifest;
}

interface PendingFile {
  path: string;
  kind: string;
  /** Text is redacted; binary data is copied as it is. */
  text?: string;
  data?: Buffer;
}

const STEPS = ['host facts', 'devices', 'fwctl info', 'console', 'telemetry', 'jobs', 'audit journal', 'redaction', 'archive'] as const;
const TEXT_EXT = /\.(?:csv|json|jsonl|txt|log)$/i;

/** A file name from anything (device ids hold "/" and ":"). */
function fileSafe(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^[._]+/, '').slice(0, 80) || 'unnamed';
}

export async function collectBundle(host: Host, opts: CollectOptions): Promise<CollectResult> {
  const client = opts.client ?? host.newClient('diag');
  const redactor = new Redactor(opts.redact ?? {});
  const files: PendingFile[] = [];
  const notes: string[] = [];
  let stepNo = 0;
  const progress = (step: (typeof STEPS)[number]) => opts.onProgress?.({ step, done: stepNo++, total: STEPS.length });

  progress('host facts');
  const facts = host.facts();
  const taint = readKernelTaint(opts.procRoot);
  const hostName = opts.hostname ?? hostname();
  redactor.addHostname(hostName);

  progress('devices');
  const devices = host.registry.list();
  const sessions = host.sessions.list();
  for (const d of devices) for (const [k, v] of Object.entries(d.details)) if (/serial/i.test(k)) redactor.addSerial(v);
  for (const s of sessions) for (const [k, v] of Object.entries(s.identity)) if (/serial/i.test(k)) redactor.addSerial(v);
  files.push({
    path: 'devices.json',
    kind: 'inventory',
    text: JSON.stringify({ devices, sessions, discoveryNotes: Object.fromEntries(host.registry.notes) }, null, 2) + '\n',
  });

  progress('fwctl info');
  const fwctl = devices.filter((d) => d.kind === 'fwctl');
  if (fwctl.length === 0) notes.push('fwctl: this host reports no fwctl devices (no /sys/class/fwctl entries and no simulated device).');
  for (const d of fwctl) files.push({ path: `fwctl/${fileSafe(d.id)}.json`, kind: 'fwctl-info', text: JSON.stringify(await fwctlSnapshot(host, d, sessions, client), null, 2) + '\n' });

  progress('console');
  let consoles = 0;
  for (const s of sessions) {
    const text = await consoleHistory(host, s);
    if (text === null) continue;
    consoles++;
    files.push({ path: `console/${fileSafe(`${s.deviceId}-${s.id.slice(0, 8)}`)}.txt`, kind: 'console', text });
  }
  if (consoles === 0) notes.push('console: no open session in this fwbench process holds console scrollback.');

  progress('telemetry');
  collectRecordings(join(host.paths.state, 'recordings'), opts.maxTelemetryBytes ?? 256 * 1024 * 1024, files, notes);

  progress('jobs');
  const jobs = host.jobs.list().reverse();
  files.push({ path: 'jobs.jsonl', kind: 'jobs', text: jobs.map((j) => JSON.stringify(j)).join('\n') + (jobs.length ? '\n' : '') });

  progress('audit journal');
  // The collection itself goes in the journal first, so the bundle shows who exported it.
  host.audit.append({
    kind: 'command',
    outcome: 'started',
    operator: facts.operator,
    client: `${client.via}:${client.id}`,
    commandId: 'diagnostics.collect',
    detail: { redaction: { serials: !!opts.redact?.serials, macs: !!opts.redact?.macs, hostnames: !!opts.redact?.hostnames }, files: files.length + 2 },
  });
  const journal = existsSync(host.audit.path) ? readFileSync(host.audit.path, 'utf8') : '';
  files.push({ path: 'audit.jsonl', kind: 'audit', text: journal });
  if (existsSync(host.audit.headPath)) files.push({ path: 'audit.head', kind: 'audit-head', text: readFileSync(host.audit.headPath, 'utf8') });

  progress('redaction');
  for (const f of files) if (f.text !== undefined) redactor.learn(f.text);
  const auditRedactedLines: number[] = [];
  const entries: { file: ManifestFile; data: Buffer }[] = [];
  for (const f of files) {
    let data: Buffer;
    let redacted = false;
    if (f.text !== undefined) {
      let out: string;
      if (f.kind === 'audit') {
        // Line by line, so the manifest can say which records' own hashes redaction broke.
        out = f.text
          .split('\n')
          .map((line, i) => {
            const r = redactor.redact(line);
            if (r !== line) auditRedactedLines.push(i + 1);
            return r;
          })
          .join('\n');
      } else out = redactor.redact(f.text);
      redacted = redactor.active;
      data = Buffer.from(out, 'utf8');
    } else data = f.data!;
    const path = redactor.active ? f.path.split('/').map((seg) => fileSafe(redactor.redact(seg))).join('/') : f.path;
    entries.push({ file: describeFile(path, data, f.kind, redacted), data });
  }
  if (auditRedactedLines.length) notes.push(`audit: redaction changed ${auditRedactedLines.length} journal record(s); their links are still checked, their own hashes cannot be.`);

  const manifest: BundleManifest = {
    format: BUNDLE_FORMAT,
    formatVersion: BUNDLE_FORMAT_VERSION,
    createdAt: new Date().toISOString(),
    operator: facts.operator,
    app: { name: 'fwbench', version: facts.version },
    host: {
      hostname: redactor.redact(hostName),
      platform: facts.platform,
      kernel: facts.kernel,
      lockdown: facts.lockdown,
      taint,
      capSysRawio: facts.capSysRawio,
      policyMaxScope: facts.policyMaxScope,
    },
    redaction: { ...redactor.summary(), auditRedactedLines },
    files: entries.map((e) => e.file),
    notes: notes.map((n) => redactor.redact(n)),
  };

  progress('archive');
  const bytes = await writeArchive(opts.outPath, manifest, entries);
  opts.onProgress?.({ step: 'done', done: STEPS.length, total: STEPS.length });
  return { path: opts.outPath, bytes, manifest };
}

/** FWCTL_INFO of one device: through its open session if it has one, else a short read-only session of our own. */
async function fwctlSnapshot(host: Host, d: DeviceInfo, sessions: SessionInfo[], client: ClientInfo): Promise<unknown> {
  const base = { device: d, takenAt: new Date().toISOString() };
  try {
    const open = sessions.find((s) => s.deviceId === d.id && s.state === 'open');
    if (open) {
      const s = host.sessions.get(open.id);
      const bound = host.sessions.requireAdapter(s).commands().find((b) => b.decl.id === 'fwctl.info');
      if (!bound) return { ...base, error: 'this session offers no fwctl.info command' };
      return { ...base, via: 'open session', info: await bound.run({}, { sessionId: s.info.id, signal: s.closed.signal }) };
    }
    if (!d.present) return { ...base, error: 'the device is not present' };
    const session = await host.request('session.open', { deviceId: d.id }, client);
    try {
      const r = await host.request('command.run', { sessionId: session.id, commandId: 'fwctl.info', scope: 'configuration', params: {} }, client);
      return { ...base, via: 'diagnostics session', info: r.result };
    } finally {
      await host.request('session.close', { sessionId: session.id }, client).catch(() => undefined);
    }
  } catch (e) {
    const err = HostError.from(e);
    return { ...base, error: err.message, code: err.code, detail: err.detail };
  }
}

/** The scrollback the host holds for a session (not the device: nothing is sent to it). */
async function consoleHistory(host: Host, info: SessionInfo): Promise<string | null> {
  try {
    const s = host.sessions.get(info.id);
    const bound = s.adapter?.commands().find((b) => b.decl.id === 'console.history');
    if (!bound) return null;
    const r = (await bound.run({}, { sessionId: s.info.id, signal: s.closed.signal })) as { text?: unknown };
    return typeof r?.text === 'string' ? r.text : null;
  } catch {
    return null;
  }
}

function collectRecordings(dir: string, maxBytes: number, files: PendingFile[], notes: string[]): void {
  if (!existsSync(dir)) {
    notes.push('telemetry: no recordings directory under the state directory.');
    return;
  }
  let total = 0;
  const names = readdirSync(dir).sort();
  let taken = 0;
  for (const name of names) {
    const full = join(dir, name);
    const st = lstatSync(full);
    // Plain files only: a symlink here could point anywhere on the machine.
    if (!st.isFile()) continue;
    if (total + st.size > maxBytes) {
      notes.push(`telemetry: ${name} (${st.size} bytes) left out: recordings over ${maxBytes} bytes in total.`);
      continue;
    }
    total += st.size;
    taken++;
    const data = readFileSync(full);
    const path = `telemetry/${fileSafe(name)}`;
    files.push(TEXT_EXT.test(name) ? { path, kind: 'telemetry', text: data.toString('utf8') } : { path, kind: 'telemetry', data });
  }
  if (taken === 0) notes.push('telemetry: the recordings directory holds no recordings.');
}

async function writeArchive(outPath: string, manifest: BundleManifest, entries: { file: ManifestFile; data: Buffer }[]): Promise<number> {
  const staging = mkdtempSync(join(tmpdir(), 'fwbench-collect-'));
  const partial = `${outPath}.partial`;
  try {
    const names = [MANIFEST_NAME];
    writeFileSync(join(staging, MANIFEST_NAME), JSON.stringify(manifest, null, 2) + '\n', { mode: 0o600 });
    for (const e of entries) {
      const target = join(staging, e.file.path);
      mkdirSync(dirname(target), { recursive: true, mode: 0o700 });
      writeFileSync(target, e.data, { mode: 0o600, flag: 'wx' });
      names.push(e.file.path);
    }
    mkdirSync(dirname(outPath), { recursive: true });
    await createTar({ gzip: true, file: partial, cwd: staging, portable: true, noDirRecurse: true, mtime: new Date(manifest.createdAt) }, names);
    // A bundle holds serials and the journal: only its owner may read it.
    chmodSync(partial, 0o600);
    renameSync(partial, outPath);
    return lstatSync(outPath).size;
  } catch (e) {
    rmSync(partial, { force: true });
    throw e instanceof HostError ? e : new HostError('io-error', `Could not write the bundle to ${outPath}.`, (e as Error).message);
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}
