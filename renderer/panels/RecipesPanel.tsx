import { useEffect, useRef, useState } from 'react';
import type { DeviceInfo, SessionInfo } from '../../electron/contract/devices';
import type { WireError } from '../../electron/contract/errors';
import type { RecipePlan, RecipeRunState } from '../../electron/contract/recipes';
import { SCOPE_INFO, scopeCovers, type Scope } from '../../electron/contract/scopes';
import { RequestError } from '../api/client';
import { useApp } from '../store/app-store';

const POLL_MS = 500;

/** The session holds an unexpired grant that covers the recipe's one grant (a reading recipe needs none). */
export function grantCovers(s: SessionInfo | null, plan: RecipePlan, now = Date.now()): boolean {
  if (!plan.grantScope) return true;
  if (!s || s.grant === null || (s.grantExpiresAt !== null && s.grantExpiresAt <= now)) return false;
  return scopeCovers(s.grant, plan.grantScope);
}

/** Files the plan names that were not handed over (matched by relative path or by base name, as the host does). */
export function missingFiles(plan: RecipePlan, files: Record<string, unknown>): string[] {
  return plan.files.filter((f) => !files[f] && !files[f.split('/').pop()!]);
}

interface DeviceMatch {
  protocol?: string;
  kind?: string;
  label?: string;
  details?: Record<string, string>;
}

/**
 * The boards a planned recipe can run on: its `device` match (protocol, kind, label pattern, details),
 * read from the text the host has already validated. Only narrows the choice; the host checks again at run time.
 */
export function boardsFor(text: string, devices: readonly DeviceInfo[]): DeviceInfo[] {
  let m: DeviceMatch = {};
  try {
    m = (JSON.parse(text) as { device?: DeviceMatch }).device ?? {};
  } catch {
    /* the host refused it already */
  }
  let label: RegExp | null = null;
  try {
    label = m.label ? new RegExp(m.label) : null;
  } catch {
    /* JavaScript reads the pattern differently from the host: leave the choice to the host */
  }
  return devices.filter(
    (d) =>
      d.present &&
      (m.kind ? d.kind === m.kind : d.kind === 'serial') &&
      (!m.protocol || d.protocol === m.protocol) &&
      (!label || label.test(d.label)) &&
      Object.entries(m.details ?? {}).every(([k, v]) => d.details?.[k] === v),
  );
}

export const scopeTitle = (s: Scope | null) => (s ? SCOPE_INFO[s].title : 'none');

/** One line for a run's outcome: "passed: 5 of 5 steps", "failed at step 3 (check): …". */
export function runOutcome(r: RecipeRunState): string {
  const done = r.steps.filter((s) => s.state === 'done').length;
  if (r.status === 'running') {
    const cur = r.steps.find((s) => s.state === 'running');
    return `running: ${done} of ${r.steps.length} steps done${cur ? `, now step ${cur.index + 1} (${cur.title})` : ''}`;
  }
  if (r.status === 'passed') return `passed: ${done} of ${r.steps.length} steps`;
  const failed = r.steps.find((s) => s.state === 'failed');
  const why = failed?.error?.message ?? r.error?.message;
  const where = failed ? ` at step ${failed.index + 1} (${failed.title})` : '';
  return `${r.status}${where}${why ? `: ${why}` : ''}`;
}

const toWire = (e: unknown): WireError => (e instanceof RequestError ? e.wire : { code: 'internal', message: (e as Error)?.message ?? String(e) });

/** Load a recipe, see its steps and the one grant it needs, run it on one board or several, follow each step. */
export function RecipesPanel({ session }: { session: SessionInfo }) {
  const client = useApp((s) => s.client);
  const devices = useApp((s) => s.devices);
  const sessions = useApp((s) => s.sessions);
  const openSession = useApp((s) => s.openSession);
  const askElevation = useApp((s) => s.askElevation);
  const reportError = useApp((s) => s.reportError);
  const [text, setText] = useState<string | null>(null);
  const [fileName, setFileName] = useState('');
  const [files, setFiles] = useState<Record<string, Uint8Array<ArrayBuffer>>>({});
  const [plan, setPlan] = useState<RecipePlan | null>(null);
  const [planError, setPlanError] = useState<WireError | null>(null);
  const [boards, setBoards] = useState<string[]>([session.deviceId]);
  const [runs, setRuns] = useState<Record<string, RecipeRunState>>({});
  const polling = useRef<Set<string>>(new Set());
  const alive = useRef(true);

  const sessionOf = (deviceId: string) => Object.values(sessions).find((s) => s.deviceId === deviceId && s.state !== 'closed') ?? null;
  const candidates = plan && text ? boardsFor(text, devices) : [];
  const others = devices.filter((d) => d.present && !candidates.includes(d)).length;
  // Ticked boards the recipe can run on (the panel's own board is ticked first, even when it does not match).
  const chosen = boards.filter((id) => candidates.some((c) => c.id === id));

  const loadRecipe = async (file: File | undefined) => {
    if (!file || !client) return;
    const t = await file.text();
    setText(t);
    setFileName(file.name);
    setPlan(null);
    setPlanError(null);
    setRuns({});
    try {
      setPlan(await client.request('recipe.plan', { text: t }));
    } catch (e) {
      // The host's own words (with the step number) stay on the panel, next to the file they are about.
      setPlanError(toWire(e));
    }
  };
  const loadFiles = async (list: FileList | null) => {
    const out: Record<string, Uint8Array<ArrayBuffer>> = {};
    for (const f of Array.from(list ?? [])) out[f.name] = new Uint8Array(await f.arrayBuffer());
    setFiles(out);
  };

  const follow = (runId: string) => {
    if (polling.current.has(runId) || !client) return;
    polling.current.add(runId);
    const tick = async () => {
      if (!alive.current) return;
      try {
        const s = await client.request('recipe.status', { runId });
        if (!alive.current) return;
        setRuns((r) => ({ ...r, [runId]: s }));
        if (s.status === 'running') return void setTimeout(tick, POLL_MS);
      } catch (e) {
        if (alive.current) reportError(e);
      }
      polling.current.delete(runId);
    };
    void tick();
  };
  useEffect(() => {
    alive.current = true;
    return () => {
      alive.current = false;
      polling.current.clear();
    };
  }, []);

  const start = async () => {
    if (!client || !text || !plan) return;
    try {
      const r = await client.request('recipe.run', { text, deviceIds: chosen, files });
      setRuns({});
      for (const x of r.runs) follow(x.runId);
    } catch (e) {
      reportError(e);
    }
  };
  const resume = async (runId: string) => {
    if (!client || !text) return;
    try {
      await client.request('recipe.resume', { runId, text, files });
      follow(runId);
    } catch (e) {
      reportError(e);
    }
  };
  const stop = async (runId: string) => {
    try {
      await client?.request('recipe.cancel', { runId });
    } catch (e) {
      reportError(e);
    }
  };

  const labelOf = (deviceId: string) => devices.find((d) => d.id === deviceId)?.label ?? deviceId;
  const missing = plan ? missingFiles(plan, files) : [];
  const ungranted = plan ? chosen.filter((d) => !grantCovers(sessionOf(d), plan)) : [];
  const running = Object.values(runs).some((r) => r.status === 'running');
  const ready = plan !== null && chosen.length > 0 && missing.length === 0 && ungranted.length === 0 && !running;
  const waitingFor = !plan
    ? null
    : chosen.length === 0
      ? 'Tick at least one board the recipe can run on.'
      : missing.length > 0
        ? 'Add the files the recipe names first.'
        : ungranted.length > 0
          ? `Grant ${scopeTitle(plan.grantScope)} on ${ungranted.map(labelOf).join(', ')} first.`
          : running
            ? 'A run is in progress.'
            : null;

  return (
    <div className="recipes">
      <div className="row">
        <label>
          Recipe file <input type="file" accept=".json,application/json" onChange={(e) => void loadRecipe(e.target.files?.[0])} data-testid="recipe-file" />
        </label>
        <label>
          Files the recipe names (images, profiles) <input type="file" multiple onChange={(e) => void loadFiles(e.target.files)} data-testid="recipe-files" />
        </label>
      </div>
      {planError && (
        <div role="alert" className="error" data-testid="recipe-error">
          <strong>{fileName || 'The recipe'} cannot be run.</strong> {planError.message}
          {planError.detail && <div className="muted">{planError.detail}</div>}
        </div>
      )}
      {plan && (
        <>
          <h2>{plan.name}</h2>
          {plan.description && <p className="muted">{plan.description}</p>}
          <p data-testid="recipe-scope">
            Highest scope: <strong>{scopeTitle(plan.highestScope)}</strong>
            {plan.grantScope ? ` — asks for one ${scopeTitle(plan.grantScope)} grant per board before starting.` : ' — only reads; no grant needed.'}
          </p>
          <table aria-label="Recipe steps" data-testid="recipe-steps">
            <thead>
              <tr>
                <th scope="col">#</th>
                <th scope="col">Step</th>
                <th scope="col">Type</th>
                <th scope="col">Scope</th>
              </tr>
            </thead>
            <tbody>
              {plan.steps.map((s) => (
                <tr key={s.index}>
                  <td>{s.index + 1}</td>
                  <th scope="row">{s.title}</th>
                  <td>{s.type}</td>
                  <td>
                    {s.scope ? scopeTitle(s.scope) : 'no command'}
                    {s.needsGrant ? ', changes the device' : ''}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {missing.length > 0 && (
            <p className="error" role="status">
              Add the files the recipe names: {missing.join(', ')}
            </p>
          )}
          <table aria-label="Boards">
            <thead>
              <tr>
                <th scope="col">Run on</th>
                <th scope="col">Board</th>
                <th scope="col">Session and grant</th>
              </tr>
            </thead>
            <tbody>
              {candidates.map((d) => {
                const s = sessionOf(d.id);
                const checked = boards.includes(d.id);
                return (
                  <tr key={d.id}>
                    <td>
                      <input type="checkbox" aria-label={`Run on ${d.label}`} checked={checked} onChange={(e) => setBoards((b) => (e.target.checked ? [...b, d.id] : b.filter((x) => x !== d.id)))} />
                    </td>
                    <td>{d.label}</td>
                    <td data-testid={`recipe-board-${d.id}`}>
                      {!s ? (
                        <button disabled={!checked} onClick={() => void openSession(d.id)} aria-label={`Open a session on ${d.label}`}>
                          Open session
                        </button>
                      ) : grantCovers(s, plan) ? (
                        <span>{s.grant && plan.grantScope ? `${scopeTitle(s.grant)} granted` : 'read-only (enough)'}</span>
                      ) : (
                        <button disabled={!checked} onClick={() => askElevation(s.id, plan.grantScope!)} aria-label={`Grant ${scopeTitle(plan.grantScope)} on ${d.label}`}>
                          Grant {scopeTitle(plan.grantScope)}…
                        </button>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          {others > 0 && (
            <p className="muted">
              {others} other device{others === 1 ? ' does' : 's do'} not match the recipe's device and {others === 1 ? 'is' : 'are'} not offered.
            </p>
          )}
          <div className="row">
            <button className="primary" disabled={!ready} onClick={() => void start()} aria-describedby={waitingFor ? 'recipe-waiting' : undefined}>
              Run on {chosen.length} board{chosen.length === 1 ? '' : 's'}
            </button>
            {waitingFor && (
              <span id="recipe-waiting" className="muted">
                {waitingFor}
              </span>
            )}
          </div>
        </>
      )}
      {Object.values(runs).length > 0 && (
        <table aria-label="Recipe runs" data-testid="recipe-runs">
          <thead>
            <tr>
              <th scope="col">Board</th>
              <th scope="col">Result</th>
              <th scope="col">Steps</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {Object.values(runs).map((r) => (
              <tr key={r.runId} className={`run ${r.status}`}>
                <th scope="row">{labelOf(r.deviceId)}</th>
                <td data-testid={`run-status-${r.deviceId}`} data-status={r.status}>
                  {runOutcome(r)}
                </td>
                <td>
                  <ol className="steps" aria-label={`Steps on ${labelOf(r.deviceId)}`}>
                    {r.steps.map((s) => (
                      <li key={s.index} className={`step ${s.state}`} data-testid={`run-step-${r.deviceId}-${s.index + 1}`} data-state={s.state}>
                        {s.title}: {s.state}
                        {s.state === 'running' && s.progress && s.progress.total > 0 && (
                          <progress aria-label={`${s.title} progress`} value={s.progress.done} max={s.progress.total} />
                        )}
                        {s.error && <span className="error"> — {s.error.message}</span>}
                      </li>
                    ))}
                  </ol>
                </td>
                <td>
                  {r.status === 'running' && (
                    <button onClick={() => void stop(r.runId)} aria-label={`Stop the run on ${labelOf(r.deviceId)}`}>
                      Stop
                    </button>
                  )}
                  {(r.status === 'failed' || r.status === 'interrupted') && (
                    <button onClick={() => void resume(r.runId)} aria-label={`Resume the run on ${labelOf(r.deviceId)}`}>
                      Resume
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
