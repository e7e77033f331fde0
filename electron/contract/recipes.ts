// What the renderer and the CLI see of bring-up recipes and config profiles.
// Plain data only: the host parses and validates recipe and profile files
// (electron/host/recipes, electron/host/profiles).
import type { Scope } from './scopes';
import type { ConfigChange, ConfigValue } from './config';
import type { WireError } from './errors';

export const RECIPE_STEP_TYPES = [
  'wait-device',
  'reset',
  'expect-console',
  'stop-autoboot',
  'flash',
  'reset-and-reacquire',
  'confirm',
  'apply-profile',
  'check',
  'telemetry-threshold',
  'command',
] as const;
export type RecipeStepType = (typeof RECIPE_STEP_TYPES)[number];

export interface PlannedStep {
  index: number;
  type: RecipeStepType;
  title: string;
  /** The scope its commands run at (null: it sends no command). */
  scope: Scope | null;
  /** It changes the device, so the session needs a grant covering `scope`. */
  needsGrant: boolean;
  commands: string[];
}

export interface RecipePlan {
  name: string;
  description?: string;
  /** SHA-256 of the recipe file's bytes: a resumed run must match it. */
  hash: string;
  steps: PlannedStep[];
  /** The highest scope any step runs at. */
  highestScope: Scope | null;
  /** The grant to ask for once before starting (null: the recipe only reads). */
  grantScope: Scope | null;
  /** Files the recipe reads, relative to the recipe file. */
  files: string[];
}

export type RecipeStepState = 'pending' | 'running' | 'done' | 'failed' | 'skipped';

export interface RecipeStepRecord {
  index: number;
  type: RecipeStepType;
  title: string;
  state: RecipeStepState;
  startedAt?: number;
  endedAt?: number;
  /** Transfer progress of a flash step. */
  progress?: { done: number; total: number };
  result?: unknown;
  error?: WireError;
}

/** running: in progress here; interrupted: stopped before finishing (resumable); failed: a step failed (resumable). */
export type RecipeRunStatus = 'running' | 'passed' | 'failed' | 'interrupted';

/** A run as checkpointed under the state dir after every step. */
export interface RecipeRunState {
  runId: string;
  recipeName: string;
  recipeHash: string;
  /** Absolute path of the recipe file, when it came from disk. */
  recipePath?: string;
  deviceId: string;
  status: RecipeRunStatus;
  /** The first step that has not finished. */
  nextStep: number;
  steps: RecipeStepRecord[];
  createdAt: number;
  updatedAt: number;
  resumes: number;
  error?: WireError;
}

/** One row of a multi-board run. */
export interface RecipeBoardResult {
  deviceId: string;
  runId: string | null;
  status: RecipeRunStatus;
  failedStep?: number;
  error?: WireError;
}

// ---- Config profiles ----

export interface ConfigProfile {
  'fwbench-profile': 1;
  name: string;
  device: { kind: string; protocol: string };
  values: Record<string, ConfigValue>;
  /** ISO time. */
  created: string;
  source?: { deviceId: string; label: string; identity: Record<string, string> };
}

export type ProfileKeyStatus = 'same' | 'differs-from-profile' | 'changed-since-snapshot' | 'missing';

export interface ProfileDiffRow {
  key: string;
  live?: ConfigValue;
  snapshot?: ConfigValue;
  profile?: ConfigValue;
  /** missing: the profile names a key the device does not have. */
  status: ProfileKeyStatus;
  /** Live differs from the last snapshot (also true when the status shows a profile difference). */
  changedSinceSnapshot: boolean;
  readOnly: boolean;
}

export interface ProfileDiff {
  deviceId: string;
  profileName: string;
  /** When the snapshot compared against was taken (null: no snapshot yet). */
  snapshotAt: string | null;
  rows: ProfileDiffRow[];
  counts: Record<ProfileKeyStatus, number>;
}

export interface ConfigWriteParams {
  changes: Record<string, ConfigValue>;
  save?: boolean;
}

export interface ProfileApplyResult {
  dryRun: boolean;
  /** Exactly what is (or would be) sent as config.write params; null when nothing differs. */
  writeParams: ConfigWriteParams | null;
  changes: ConfigChange[];
  /** Profile keys left alone, with why (read-only on the device). */
  skipped: { key: string; reason: string }[];
  /** Set after a real apply: the journal record written. */
  journal?: ConfigJournalEntry;
}

/** One line of the per-device config journal. */
export interface ConfigJournalEntry {
  time: string;
  deviceId: string;
  deviceLabel: string;
  operator: string;
  client: string;
  /** What asked for the change: "profile NAME", "recipe NAME run ID". */
  source: string;
  changes: ConfigChange[];
  saved: boolean;
}
