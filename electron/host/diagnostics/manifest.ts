// manifest.json of a diagnostics bundle: what was collected, on which host,
// with which redaction, and each other file's size and SHA-256. Read back from
// an untrusted bundle, so it is parsed with a strict schema.
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { SCOPES } from '../../contract/scopes';

export const BUNDLE_FORMAT = 'fwbench-diagnostics';
export const BUNDLE_FORMAT_VERSION = 1;
export const MANIFEST_NAME = 'manifest.json';

/** A bundle-relative path: plain names joined by "/", nothing that could climb out. */
export const BUNDLE_PATH_RE = /^(?!.*(?:^|\/)\.{1,2}(?:\/|$))[A-Za-z0-9._@+-]{1,100}(?:\/[A-Za-z0-9._@+-]{1,100}){0,4}$/;

const counts = z.object({ serial: z.number().int().min(0), mac: z.number().int().min(0), hostname: z.number().int().min(0) }).strict();

export const ManifestFile = z
  .object({
    path: z.string().max(512).regex(BUNDLE_PATH_RE, 'a plain relative path inside the bundle'),
    size: z.number().int().min(0),
    sha256: z.string().regex(/^[0-9a-f]{64}$/),
    /** Whether redaction was applied to this file (binary files are copied as they are). */
    redacted: z.boolean(),
    /** What the file holds, for the reader: inventory, console, fwctl-info, telemetry, jobs, audit, audit-head. */
    kind: z.string().max(40),
  })
  .strict();
export type ManifestFile = z.infer<typeof ManifestFile>;

export const BundleManifest = z
  .object({
    format: z.literal(BUNDLE_FORMAT),
    formatVersion: z.literal(BUNDLE_FORMAT_VERSION),
    createdAt: z.string().max(40),
    operator: z.string().max(200),
    app: z.object({ name: z.string().max(40), version: z.string().max(40) }).strict(),
    host: z
      .object({
        hostname: z.string().max(253),
        platform: z.string().max(40),
        kernel: z.string().max(200),
        lockdown: z.string().max(40),
        taint: z
          .object({
            value: z.number().int().min(0).nullable(),
            letters: z.string().max(64),
            flags: z.array(z.object({ bit: z.number().int().min(0).max(63), letter: z.string().max(1), meaning: z.string().max(200) }).strict()).max(64),
            fwctl: z.boolean(),
          })
          .strict(),
        capSysRawio: z.boolean(),
        policyMaxScope: z.enum(SCOPES),
      })
      .strict(),
    redaction: z
      .object({
        serials: z.boolean(),
        macs: z.boolean(),
        hostnames: z.boolean(),
        distinct: counts,
        replacements: counts,
        /** Lines of audit.jsonl changed by redaction: their record hashes no longer match, their links still do. */
        auditRedactedLines: z.array(z.number().int().positive()).max(10_000_000),
      })
      .strict(),
    files: z.array(ManifestFile).max(10_000),
    notes: z.array(z.string().max(1000)).max(1000),
  })
  .strict();
export type BundleManifest = z.infer<typeof BundleManifest>;

export function sha256Of(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex');
}

export function describeFile(path: string, data: Uint8Array, kind: string, redacted: boolean): ManifestFile {
  return { path, size: data.length, sha256: sha256Of(data), redacted, kind };
}
