// The problems preflight can raise. Ids are stable: lab policy files list
// them under "overridable", and audit records name them.
import type { PreflightProblem } from '../../contract/channels';

export const PROBLEM_IDS = [
  'port-owned',
  'image-unreadable',
  'image-hash-mismatch',
  'image-unverified',
  'image-wrong-board',
  'downgrade',
  'kernel-lockdown',
  'missing-cap-sys-rawio',
  'image-pending-confirmation',
  'low-supply',
  'no-config-backup',
] as const;
export type ProblemId = (typeof PROBLEM_IDS)[number];

/** A problem before the policy says whether it may be overridden. */
export interface RawProblem {
  id: ProblemId;
  reason: string;
  fix: string;
}

export function withPolicy(problems: readonly RawProblem[], overridable: readonly string[]): PreflightProblem[] {
  return problems.map((p) => ({ ...p, overridable: overridable.includes(p.id) }));
}

/** One line per problem, for the error message of a blocked command. */
export function describeProblems(problems: readonly RawProblem[]): string {
  return problems.map((p) => `${p.reason} Fix: ${p.fix}`).join(' ');
}
