// Runs a recipe on one board or many, checkpointing after every step so a run
// cut short (disconnect, cancel, app restart) resumes at the step that did not
// finish. Each step is audited as a 'job-step' record on top of the router's
// own records for the commands it sends.
import { randomUUID, createHash } from 'node:crypto';
import { join } from 'node:path';
import type { Host } from '../host';
import type { ClientInfo } from '../router';
import type { RecipeBoardResult, RecipeRunState, RecipeStepRecord } from '../../contract/recipes';
import { HostError } from '../errors/host-error';
import { operatorName } from '../platform/host-facts';
import { ProfileStore } from '../profiles/profile-store';
import { CheckpointStore } from './checkpoint-store';
import { RunDevice, describeMismatch, type GrantRequest } from './run-device';
import { stepNeeds } from './recipe-plan';
import { loadRecipeFile, type LoadedRecipe } from './recipe-source';
import { STEP_RUNNERS, type StepContext } from './step-runners';
import type { RecipeStep } from './recipe-schema';

export interface RunOptions {
  /** The client whose sessions the run uses (the renderer's, to share its session); default: a new 'recipe' client. */
  client?: ClientInfo;
  /** Granted on the session when it opens; without it the session must already hold the recipe's grant. */
  grant?: GrantRequest;
  signal?: AbortSignal;
  /** Called after every change (step start, progress, step end). */
  onUpdate?: (state: RecipeRunState) => void;
  /** Close the session at the end (default: only when the run opened it with its own client). */
  closeSession?: boolean;
  /** Use this run id (a caller that returns ids before the runs end); default: a new one. */
  runId?: string;
}

export interface ResumeOptions extends RunOptions {
  /** The recipe, when the checkpoint has no path to reload it from (or to check it against). */
  recipe?: LoadedRecipe;
}

const RESULT_KEEP_BYTES = 16 * 1024;
const INTERRUPTING = new Set(['cancelled', 'device-gone', 'unknown-session']);

interface ActiveRun {
  state: RecipeRunState;
  abort: AbortController;
}
/** Runs in progress in this process, by host. */
const active = new WeakMap<Host, Map<string, ActiveRun>>();
function activeOf(host: Host): Map<string, ActiveRun> {
  let m = active.get(host);
  if (!m) active.set(host, (m = new Map()));
  return m;
}

export function checkpointStore(host: Host): CheckpointStore {
  return new CheckpointStore(join(host.paths.state, 'recipes', 'runs'));
}

export function profileStore(host: Host): ProfileStore {
  return new ProfileStore(join(host.paths.state, 'profiles'));
}

/** The live state of a run in this process, or its last checkpoint. */
export function runState(host: Host, runId: string): RecipeRunState {
  const a = activeOf(host).get(runId);
  return a ? structuredClone(a.state) : checkpointStore(host).load(runId);
}

export function listRuns(host: Host, filter: { deviceId?: string } = {}): RecipeRunState[] {
  const live = activeOf(host);
  return checkpointStore(host)
    .list(filter)
    .map((s) => (live.has(s.runId) ? structuredClone(live.get(s.runId)!.state) : s));
}

/** Stops a run in progress; it ends 'interrupted' and can be resumed. */
export function cancelRun(host: Host, runId: string): RecipeRunState {
  const a = activeOf(host).get(runId);
  if (!a) throw new HostError('bad-request', `Run ${runId} is not running here.`);
  a.abort.abort();
  return structuredClone(a.state);
}

export async function runRecipe(host: Host, loaded: LoadedRecipe, deviceId: string, opts: RunOptions = {}): Promise<RecipeRunState> {
  const now = Date.now();
  const state: RecipeRunState = {
    runId: opts.runId ?? randomUUID(),
    recipeName: loaded.recipe.name,
    recipeHash: loaded.plan.hash,
    recipePath: loaded.path,
    deviceId,
    status: 'running',
    nextStep: 0,
    steps: loaded.plan.steps.map((s) => ({ index: s.index, type: s.type, title: s.title, state: 'pending' })),
    createdAt: now,
    updatedAt: now,
    resumes: 0,
  };
  return execute(host, loaded, state, opts);
}

/** Continues a run from its checkpoint: finished steps are kept, the first unfinished one runs again. */
export async function resumeRun(host: Host, runId: string, opts: ResumeOptions = {}): Promise<RecipeRunState> {
  if (activeOf(host).has(runId)) throw new HostError('device-busy', `Run ${runId} is still running.`);
  const state = checkpointStore(host).load(runId);
  if (state.status === 'passed') throw new HostError('bad-request', `Run ${runId} already passed; there is nothing to resume.`);
  let loaded = opts.recipe;
  if (!loaded) {
    if (!state.recipePath) throw new HostError('bad-request', `Run ${runId} was started from a recipe that was not on disk; load the same recipe again to resume it.`);
    loaded = await loadRecipeFile(state.recipePath);
  }
  if (loaded.plan.hash !== state.recipeHash) throw recipeChanged(state, loaded);
  state.resumes++;
  state.status = 'running';
  delete state.error;
  for (const s of state.steps.slice(state.nextStep)) {
    s.state = 'pending';
    delete s.error;
    delete s.result;
    delete s.progress;
  }
  return execute(host, loaded, state, opts);
}

export function recipeChanged(state: RecipeRunState, loaded: LoadedRecipe): HostError {
  return new HostError(
    'verification-failed',
    `The recipe "${loaded.recipe.name}" has changed since run ${state.runId} started, so the finished steps may no longer hold. Start a new run instead.`,
    `checkpoint ${state.recipeHash}, recipe now ${loaded.plan.hash}`,
  );
}

/** Runs the same recipe on several boards in parallel: one session and one grant each. */
export async function runRecipeOnMany(host: Host, loaded: LoadedRecipe, deviceIds: readonly string[], opts: RunOptions = {}): Promise<RecipeBoardResult[]> {
  if (deviceIds.length === 0) throw new HostError('bad-request', 'Name at least one device.');
  if (new Set(deviceIds).size !== deviceIds.length) throw new HostError('bad-request', 'A device is named twice; each board runs the recipe once.');
  return Promise.all(
    deviceIds.map(async (deviceId): Promise<RecipeBoardResult> => {
      try {
        return boardResult(await runRecipe(host, loaded, deviceId, { ...opts, runId: undefined }));
      } catch (e) {
        return { deviceId, runId: null, status: 'failed', error: HostError.from(e).toWire() };
      }
    }),
  );
}

export function boardResult(s: RecipeRunState): RecipeBoardResult {
  const failed = s.steps.find((x) => x.state === 'failed');
  return { deviceId: s.deviceId, runId: s.runId, status: s.status, failedStep: failed?.index, error: s.error };
}

function keepable(result: unknown): unknown {
  const text = JSON.stringify(result ?? null, (_k, v) => (v instanceof Uint8Array ? { bytes: v.length } : v));
  if (text.length <= RESULT_KEEP_BYTES) return JSON.parse(text);
  return { truncated: true, bytes: text.length, sha256: createHash('sha256').update(text).digest('hex') };
}

async function execute(host: Host, loaded: LoadedRecipe, state: RecipeRunState, opts: RunOptions): Promise<RecipeRunState> {
  const runs = activeOf(host);
  const store = checkpointStore(host);
  const client = opts.client ?? host.newClient('recipe');
  const abort = new AbortController();
  const onOuterAbort = () => abort.abort();
  opts.signal?.addEventListener('abort', onOuterAbort);
  if (opts.signal?.aborted) abort.abort();
  const known = host.registry.list().find((d) => d.id === state.deviceId);
  const mismatch = known && loaded.recipe.device && describeMismatch(known, loaded.recipe.device);
  if (mismatch) throw new HostError('bad-request', `The recipe "${loaded.recipe.name}" is not for ${known.label}: it ${mismatch}.`);
  const dev = new RunDevice(host, client, state.deviceId, opts.grant, loaded.plan.grantScope);
  const operator = operatorName();
  const publish = () => {
    state.updatedAt = Date.now();
    opts.onUpdate?.(structuredClone(state));
  };
  const checkpoint = () => {
    publish();
    store.save(state);
  };
  const audit = (rec: RecipeStepRecord) =>
    host.audit.append({
      kind: 'job-step',
      outcome: rec.state === 'done' ? 'ok' : 'error',
      operator,
      client: `${client.via}:${client.id}`,
      sessionId: dev.session?.id,
      device: { id: state.deviceId, label: dev.label, identity: dev.session?.identity },
      code: rec.error?.code,
      message: rec.error?.message,
      durationMs: rec.endedAt && rec.startedAt ? rec.endedAt - rec.startedAt : undefined,
      detail: { recipe: state.recipeName, runId: state.runId, step: rec.index + 1, type: rec.type, title: rec.title, result: rec.state === 'done' ? rec.result : undefined },
    });

  runs.set(state.runId, { state, abort });
  let lastProgress = 0;
  try {
    checkpoint();
    for (let i = state.nextStep; i < loaded.recipe.steps.length; i++) {
      const step: RecipeStep = loaded.recipe.steps[i];
      const rec = state.steps[i];
      rec.state = 'running';
      rec.startedAt = Date.now();
      delete rec.endedAt;
      checkpoint();
      const ctx: StepContext = {
        dev,
        loaded,
        index: i,
        needs: stepNeeds(step, i),
        signal: abort.signal,
        profiles: profileStore(host),
        actor: { operator, client: `${client.via}:${client.id}` },
        source: `recipe ${state.recipeName} run ${state.runId}`,
        progress: (done, total) => {
          const first = (rec.progress?.done ?? 0) === 0 && done > 0;
          rec.progress = { done, total };
          const t = Date.now();
          if (first || t - lastProgress >= 100 || done === total) {
            lastProgress = t;
            publish();
          }
        },
      };
      try {
        if (abort.signal.aborted) throw new HostError('cancelled', 'The recipe run was stopped.');
        if (step.type !== 'wait-device') await dev.ensureSession(abort.signal);
        const run = STEP_RUNNERS[step.type] as (s: RecipeStep, c: StepContext) => Promise<unknown>;
        rec.result = keepable(await run(step, ctx));
        rec.state = 'done';
        rec.endedAt = Date.now();
        state.nextStep = i + 1;
        audit(rec);
        checkpoint();
      } catch (e) {
        const err = HostError.from(e);
        rec.state = 'failed';
        rec.error = err.toWire();
        rec.endedAt = Date.now();
        state.status = abort.signal.aborted || INTERRUPTING.has(err.code) || dev.session?.state === 'gone' ? 'interrupted' : 'failed';
        state.error = { code: err.code, message: `Step ${i + 1} (${rec.title}): ${err.message}`, detail: err.detail };
        audit(rec);
        checkpoint();
        break;
      }
    }
    if (state.status === 'running') {
      state.status = 'passed';
      checkpoint();
    }
  } finally {
    runs.delete(state.runId);
    opts.signal?.removeEventListener('abort', onOuterAbort);
    await dev.close(opts.closeSession ?? !opts.client);
  }
  return structuredClone(state);
}
