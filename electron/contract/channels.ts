// Request/response channels between an untrusted client (renderer, CLI,
// browser) and the host. The host validates every inbound message against
// these schemas: unknown channels and extra fields are rejected.
import { z } from 'zod';
import { SCOPES } from './scopes';
import type { DeviceInfo, HostFacts, SessionInfo } from './devices';
import type { CommandDescriptor } from './commands';
import type { JobInfo } from './jobs';
import type { AuditQuery, AuditRecord, AuditVerifyResult } from './audit';
import type { ConfigJournalEntry, ConfigProfile, ProfileApplyResult, ProfileDiff, RecipePlan, RecipeRunState } from './recipes';
import { MAX_IMAGE_BYTES } from './catalog/common';
import { lineSettingsSchema } from './catalog/serial';

const id = z.string().min(1).max(200);
/** Names of the bundles the host writes under <state>/bundles/. */
export const DIAG_BUNDLE_NAME_RE = /^fwbench-diag-[0-9]{8}-[0-9]{6}(?:-[0-9]{1,3})?\.tar\.gz$/;
const scope = z.enum(SCOPES);
const recipeText = z.string().min(1).max(1024 * 1024);
/** Files a recipe names, by the path it names them with (the renderer has no file system to share). */
const recipeFiles = z
  .record(z.string().min(1).max(500), z.instanceof(Uint8Array).refine((d) => d.length <= MAX_IMAGE_BYTES, 'file too large'))
  .refine((o) => Object.keys(o).length <= 32, 'at most 32 files')
  .optional();

export const REQUEST_PARAMS = {
  'host.facts': z.object({}).strict(),
  /** The onboarding checks of `fwbench doctor`, for the app to show at start. */
  'host.doctor': z.object({}).strict(),
  'devices.list': z.object({}).strict(),
  /** Explicit paths (ptys, ports udev does not list) are accepted. */
  'devices.add-serial': z
    .object({
      path: z
        .string()
        .max(200)
        // Terminal devices only (ttyS, ttyUSB, ttyACM, ptys, by-id links, rfcomm): never /dev/mem or a disk.
        .regex(/^\/dev\/(tty[A-Za-z0-9_.-]*|pts\/\d+|serial\/by-(id|path)\/[A-Za-z0-9_.:+-]+|rfcomm\d+)$/, 'a serial device path such as /dev/ttyUSB0 or /dev/pts/3')
        .refine((p) => !p.split('/').includes('..'), 'a path under /dev without ".."'),
      protocol: z.enum(['console', 'uboot', 'smp', 'demo-board', 'telemetry-csv', 'telemetry-plotter', 'telemetry-jsonl']).optional(),
      /** Line settings to open the port with (default 115200 8N1, no flow control). */
      line: lineSettingsSchema.optional(),
    })
    .strict(),
  'sessions.list': z.object({}).strict(),
  'session.open': z.object({ deviceId: id }).strict(),
  'session.close': z.object({ sessionId: id }).strict(),
  'session.grant': z
    .object({
      sessionId: id,
      scope,
      ttlSeconds: z.number().int().min(10).max(24 * 3600).optional(),
      confirm: z.object({ acknowledged: z.literal(true), typed: z.string().max(200).optional() }).strict(),
    })
    .strict(),
  'session.drop-grant': z.object({ sessionId: id }).strict(),
  'catalog.list': z.object({ sessionId: id }).strict(),
  'command.run': z.object({ sessionId: id, commandId: z.string().min(1).max(100), scope, params: z.unknown() }).strict(),
  'jobs.list': z.object({ sessionId: id.optional() }).strict(),
  'job.cancel': z.object({ jobId: id }).strict(),
  'audit.query': z
    .object({
      sessionId: id.optional(),
      deviceId: id.optional(),
      commandId: z.string().max(100).optional(),
      outcome: z.enum(['ok', 'denied', 'error', 'started']).optional(),
      kind: z.string().max(40).optional(),
      text: z.string().max(200).optional(),
      limit: z.number().int().positive().max(10000).optional(),
    })
    .strict(),
  'audit.verify': z.object({}).strict(),
  /** The problems that would block a write on this session now (electron/host/preflight). */
  'preflight.check': z
    .object({ sessionId: id.optional(), deviceId: id.optional(), commandId: z.string().min(1).max(100).optional(), scope: scope.optional(), params: z.unknown().optional() })
    .strict()
    .refine((p) => (p.sessionId === undefined) !== (p.deviceId === undefined), 'exactly one of sessionId or deviceId'),
  /** Arms a one-shot override of the listed problems for the session's next write (only ids the lab policy lists as overridable). */
  'preflight.override': z.object({ sessionId: id, problemIds: z.array(z.string().min(1).max(64)).min(1).max(20), reason: z.string().trim().min(3).max(500) }).strict(),
  'graph.units': z.object({}).strict(),
  'transcripts.list': z.object({}).strict(),
  /** Registers a recorded transcript as a read-only simulated device. */
  'transcript.open-replay': z.object({ name: z.string().regex(/^[\w.-]{1,200}\.jsonl$/, 'a transcript file name') }).strict(),
  'recordings.list': z.object({}).strict(),
  'recording.read': z
    .object({ name: z.string().min(1).max(255), from: z.number().finite().optional(), to: z.number().finite().optional(), buckets: z.number().int().min(1).max(20000).optional() })
    .strict(),
  'recipe.plan': z.object({ text: recipeText }).strict(),
  'recipe.run': z.object({ text: recipeText, deviceIds: z.array(id).min(1).max(32), files: recipeFiles }).strict(),
  'recipe.status': z.object({ runId: id }).strict(),
  'recipe.runs': z.object({ deviceId: id.optional() }).strict(),
  'recipe.resume': z.object({ runId: id, text: recipeText, files: recipeFiles }).strict(),
  'recipe.cancel': z.object({ runId: id }).strict(),
  'profile.capture': z.object({ sessionId: id, name: z.string().min(1).max(200) }).strict(),
  'profile.diff': z.object({ sessionId: id, profile: z.unknown() }).strict(),
  'profile.apply': z.object({ sessionId: id, profile: z.unknown(), dryRun: z.boolean(), save: z.boolean().optional() }).strict(),
  'profile.history': z.object({ deviceId: id }).strict(),
  /** Collects a diagnostics bundle under <state>/bundles/ as a job (sessionId ''): follow it with 'job' events. */
  'diag.collect': z.object({ redact: z.object({ serials: z.boolean().optional(), macs: z.boolean().optional(), hostnames: z.boolean().optional() }).strict().optional() }).strict(),
  /** The bytes of a bundle fwbench wrote under <state>/bundles/ (for the renderer to offer as a download). */
  'diag.bundle': z.object({ name: z.string().regex(DIAG_BUNDLE_NAME_RE, 'a bundle file name fwbench wrote') }).strict(),
  /** Opens an untrusted bundle's bytes read-only for review; no session is created and nothing reaches a device. */
  'diag.open': z.object({ name: z.string().min(1).max(255), data: z.instanceof(Uint8Array).refine((d) => d.length > 0 && d.length <= MAX_IMAGE_BYTES, `1 byte to ${MAX_IMAGE_BYTES} bytes`) }).strict(),
  'diag.view': z.object({ bundleId: id }).strict(),
  'diag.file': z.object({ bundleId: id, name: z.string().min(1).max(512) }).strict(),
  'diag.close': z.object({ bundleId: id }).strict(),
} as const;

export type Channel = keyof typeof REQUEST_PARAMS;
export type ParamsOf<C extends Channel> = z.input<(typeof REQUEST_PARAMS)[C]>;

export interface CommandResult {
  result?: unknown;
  /** Set for job commands: follow progress with 'job' events. */
  jobId?: string;
}

export interface ResultMap {
  'host.facts': HostFacts;
  'host.doctor': { check: string; level: string; title: string; detail?: string; fix?: string }[];
  'devices.list': DeviceInfo[];
  'devices.add-serial': DeviceInfo;
  'sessions.list': SessionInfo[];
  'session.open': SessionInfo;
  'session.close': SessionInfo;
  'session.grant': SessionInfo;
  'session.drop-grant': SessionInfo;
  'catalog.list': CommandDescriptor[];
  'command.run': CommandResult;
  'jobs.list': JobInfo[];
  'job.cancel': JobInfo;
  'audit.query': AuditRecord[];
  'audit.verify': AuditVerifyResult;
  'preflight.check': PreflightReport;
  'preflight.override': { armed: string[]; expiresAt: number };
  'graph.units': DeviceUnit[];
  'transcripts.list': TranscriptSummary[];
  'transcript.open-replay': DeviceInfo;
  'recordings.list': { name: string; bytes: number; modified: string }[];
  'recording.read': RecordingView;
  'recipe.plan': RecipePlan;
  'recipe.run': { runs: { deviceId: string; runId: string }[] };
  'recipe.status': RecipeRunState;
  'recipe.runs': RecipeRunState[];
  'recipe.resume': { runId: string };
  'recipe.cancel': RecipeRunState;
  'profile.capture': ConfigProfile;
  'profile.diff': ProfileDiff;
  'profile.apply': ProfileApplyResult;
  'profile.history': ConfigJournalEntry[];
  'diag.collect': { jobId: string };
  'diag.bundle': DiagBundleBytes;
  'diag.open': { bundleId: string; name: string };
  'diag.view': DiagBundleReview;
  'diag.file': DiagBundleFile;
  'diag.close': { closed: boolean };
}

/** What a finished diag.collect job holds in JobInfo.result. */
export interface DiagCollectResult {
  name: string;
  path: string;
  bytes: number;
  files: number;
  redaction: { serials: boolean; macs: boolean; hostnames: boolean };
}

export interface DiagBundleBytes {
  name: string;
  path: string;
  bytes: number;
  /** Absent when the bundle is over the transfer limit: fetch it from `path` instead. */
  data?: Uint8Array;
  note?: string;
}

/** A bundle opened for review: its manifest (as read from the untrusted archive), integrity and parsed contents. */
export interface DiagBundleReview {
  bundleId: string;
  name: string;
  archiveBytes: number;
  manifest: {
    createdAt: string;
    operator: string;
    app: { name: string; version: string };
    host: {
      hostname: string;
      platform: string;
      kernel: string;
      lockdown: string;
      taint: { value: number | null; letters: string; flags: { bit: number; letter: string; meaning: string }[]; fwctl: boolean };
      capSysRawio: boolean;
      policyMaxScope: string;
    };
    redaction: { serials: boolean; macs: boolean; hostnames: boolean; distinct: { serial: number; mac: number; hostname: number }; auditRedactedLines: number[] };
    notes: string[];
  };
  /** Every file: those the manifest lists (with `present`) and any the archive holds unlisted (`listed: false`). */
  files: { path: string; size: number; kind: string; redacted: boolean; listed: boolean; present: boolean }[];
  integrity: { ok: boolean; intact: number; problems: { file: string; problem: string }[]; audit: AuditVerifyResult | null };
  /** The bundled journal's records as written (a line that is not a record is counted, not shown). */
  audit: { records: AuditRecord[]; unreadableLines: number; truncated: boolean };
  inventory: { devices: { id: string; label: string; kind: string; protocol: string; present: boolean }[]; sessions: { id: string; deviceLabel: string; state: string }[] } | null;
}

export interface DiagBundleFile {
  name: string;
  size: number;
  kind: string;
  /** UTF-8 text files come as text, anything else as bytes. */
  text?: string;
  data?: Uint8Array;
  /** The file was longer than the review limit and was cut. */
  truncated: boolean;
}

/** A recording reopened offline, decimated to min/max per bucket. */
export interface RecordingView {
  name: string;
  info: Record<string, unknown>;
  startedAtMs: number;
  stoppedAtMs: number | null;
  tornBytes: number;
  damagedBlocks: number;
  markers: { t: number; text: string }[];
  from: number;
  to: number;
  channels: { name: string; unit: string; t: Float64Array; min: Float32Array; max: Float32Array; samples: number }[];
}
export type ResultOf<C extends Channel> = ResultMap[C];

/** One reason a write is blocked now, with the exact fix (fwupd's "problem" model). */
export interface PreflightProblem {
  id: string;
  reason: string;
  fix: string;
  /** The lab policy lets an operator override this one (preflight.override). */
  overridable: boolean;
}

export interface PreflightReport {
  problems: PreflightProblem[];
  /** Problem ids armed by preflight.override for the next write, if any. */
  armedOverride: string[];
}

/** One physical unit: a PCI card with its fwctl node and netdevs, or a USB board with its ports and DFU interface. */
export interface DeviceUnit {
  id: string;
  label: string;
  kind: 'pci' | 'usb' | 'standalone';
  simulated: boolean;
  /** Registry devices (DeviceInfo.id) that belong to this unit. */
  deviceIds: string[];
  /** Kernel objects of the unit: fwctl nodes, PCI functions, netdevs, infiniband and CXL memdevs, ttys, DFU interfaces. */
  members: { kind: string; name: string; detail?: string }[];
  identity: Record<string, string>;
}

export interface TranscriptSummary {
  name: string;
  deviceLabel: string;
  protocol: string;
  kind: 'serial' | 'fwctl';
  startedAt: string;
  bytes: number;
  steps: number;
}

export type AuditQueryParams = AuditQuery;

export function isChannel(name: string): name is Channel {
  return Object.prototype.hasOwnProperty.call(REQUEST_PARAMS, name);
}
