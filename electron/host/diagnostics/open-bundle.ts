// Opens a diagnostics bundle on any machine, without hardware: unpacks it
// safely into a fresh private temp dir and offers a read-only view of it.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { HostError } from '../errors/host-error';
import { BundleManifest, MANIFEST_NAME } from './manifest';
import { extractBundle, DEFAULT_BUNDLE_LIMITS, type BundleLimits } from './safe-extract';
import { checkBundle, type BundleCheck } from './bundle-integrity';

const MAX_MANIFEST_BYTES = 16 * 1024 * 1024;

export interface BundleView {
  readonly path: string;
  readonly manifest: BundleManifest;
  /** Every file in the bundle except manifest.json, in archive order. */
  readonly files: readonly string[];
  /** Sizes and hashes against the manifest, plus the audit chain. */
  verify(): BundleCheck;
  /** One file's bytes (only names the bundle holds). */
  read(name: string): Buffer;
  /** Removes the unpacked copy. */
  close(): void;
}

export async function openBundle(path: string, opts: { limits?: BundleLimits } = {}): Promise<BundleView> {
  const dir = mkdtempSync(join(tmpdir(), 'fwbench-bundle-'));
  try {
    const present = await extractBundle(path, dir, opts.limits ?? DEFAULT_BUNDLE_LIMITS);
    if (!present.includes(MANIFEST_NAME)) throw new HostError('verification-failed', `${path} has no manifest.json: it is not a fwbench diagnostics bundle, or the manifest was removed.`);
    const raw = readFileSync(join(dir, MANIFEST_NAME));
    if (raw.length > MAX_MANIFEST_BYTES) throw new HostError('verification-failed', 'The bundle manifest is too large to be one fwbench wrote.');
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw.toString('utf8'));
    } catch (e) {
      throw new HostError('verification-failed', 'The bundle manifest is not valid JSON (it was edited or cut).', (e as Error).message);
    }
    const m = BundleManifest.safeParse(parsed);
    if (!m.success) throw new HostError('verification-failed', 'The bundle manifest is not one fwbench wrote (unknown format or edited fields).', z.prettifyError(m.error));
    const manifest = m.data;
    const files = present.filter((f) => f !== MANIFEST_NAME);
    let closed = false;
    return {
      path,
      manifest,
      files,
      verify: () => checkBundle(dir, manifest, present),
      read(name: string) {
        if (closed) throw new HostError('bad-request', 'The bundle view was closed.');
        if (name !== MANIFEST_NAME && !files.includes(name)) throw new HostError('bad-request', `The bundle has no file "${name.slice(0, 100)}".`);
        return readFileSync(join(dir, name));
      },
      close() {
        closed = true;
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
}
