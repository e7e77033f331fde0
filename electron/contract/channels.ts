// Request/response channels between an untrusted client (renderer, CLI,
// browser) and the host. The host validates every inbound message against
// these schemas: unknown channels and extra fields are rejected.
import { z } from 'zod';
import { SCOPES } from './scopes';
import type { DeviceInfo, HostFacts, SessionInfo } from './devices';
import type { CommandDescriptor } from './commands';
import type { JobInfo } from './jobs';
import type { AuditQuery, AuditRecord, AuditVerifyResult } from './audit';

const id = z.string().min(1).max(200);
const scope = z.enum(SCOPES);

export const REQUEST_PARAMS = {
  'host.facts': z.object({}).strict(),
  'devices.list': z.object({}).strict(),
  /** Explicit paths (ptys, ports udev does not list) are accepted. */
  'devices.add-serial': z
    .object({
      path: z
        .string()
        .max(200)
        .regex(/^\/dev\/[A-Za-z0-9_./-]+$/, 'a path under /dev')
        .refine((p) => !p.split('/').includes('..'), 'a path under /dev without ".."'),
      protocol: z.enum(['console', 'uboot', 'smp', 'demo-board']).optional() })
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
  'recordings.list': z.object({}).strict(),
  'recording.read': z
    .object({ name: z.string().min(1).max(255), from: z.number().finite().optional(), to: z.number().finite().optional(), buckets: z.number().int().min(1).max(20000).optional() })
    .strict(),
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
  'recordings.list': { name: string; bytes: number; modified: string }[];
  'recording.read': RecordingView;
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

export type AuditQueryParams = AuditQuery;

export function isChannel(name: string): name is Channel {
  return Object.prototype.hasOwnProperty.call(REQUEST_PARAMS, name);
}
