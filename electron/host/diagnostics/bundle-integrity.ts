// Checks an unpacked bundle against its manifest: every listed file present
// with the same size and SHA-256, nothing unlisted, and the audit journal's
// hash chain intact. Each problem names its file in plain words.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AuditVerifyResult } from '../../contract/audit';
import { verifyJournal } from '../audit/journal';
import { MANIFEST_NAME, sha256Of, type BundleManifest } from './manifest';

export interface BundleProblem {
  file: string;
  problem: string;
}

export interface BundleCheck {
  ok: boolean;
  /** Files listed in the manifest that matched. */
  intact: number;
  problems: BundleProblem[];
  /** The journal check as run on the bundled copy (null when the bundle has no journal). */
  audit: AuditVerifyResult | null;
}

// verifyJournal's wording for a record whose content no longer matches its own
// hash; on a line the manifest lists as redacted that is expected.
const CONTENT_CHANGED = /was changed after it was written/;

export function checkBundle(dir: string, manifest: BundleManifest, present: readonly string[]): BundleCheck {
  const problems: BundleProblem[] = [];
  const have = new Set(present);
  const listed = new Set<string>();
  let intact = 0;
  for (const f of manifest.files) {
    if (listed.has(f.path)) {
      problems.push({ file: f.path, problem: 'listed twice in the manifest' });
      continue;
    }
    listed.add(f.path);
    if (!have.has(f.path)) {
      problems.push({ file: f.path, problem: 'listed in the manifest but missing from the bundle (removed)' });
      continue;
    }
    const data = readFileSync(join(dir, f.path));
    const sha = sha256Of(data);
    if (data.length !== f.size || sha !== f.sha256) {
      problems.push({ file: f.path, problem: `changed after the bundle was made: ${data.length} bytes with SHA-256 ${sha.slice(0, 16)}…, the manifest says ${f.size} bytes with ${f.sha256.slice(0, 16)}…` });
      continue;
    }
    intact++;
  }
  for (const p of present) if (p !== MANIFEST_NAME && !listed.has(p)) problems.push({ file: p, problem: 'not listed in the manifest (added after the bundle was made)' });

  let audit: AuditVerifyResult | null = null;
  const journal = join(dir, 'audit.jsonl');
  if (have.has('audit.jsonl') && existsSync(journal)) {
    audit = verifyJournal(journal, have.has('audit.head') ? join(dir, 'audit.head') : undefined);
    const redacted = new Set(manifest.redaction.auditRedactedLines);
    for (const p of audit.problems) {
      if (redacted.has(p.line) && CONTENT_CHANGED.test(p.problem)) continue;
      problems.push({ file: 'audit.jsonl', problem: `audit chain broken at line ${p.line}: ${p.problem}` });
    }
  }
  return { ok: problems.length === 0, intact, problems, audit };
}
