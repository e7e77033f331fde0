import { useEffect, useRef, useState } from 'react';
import type { SessionInfo } from '../../electron/contract/devices';
import type { RecipePlan, RecipeRunState } from '../../electron/contract/recipes';
import { scopeCovers } from '../../electron/contract/scopes';
import { useApp } from '../store/app-store';

const POLL_MS = 500;

function grantCovers(s: SessionInfo | null, plan: RecipePlan): boolean {
  if (!plan.grantScope) return true;
  if (!s || (s.grantExpiresAt !== null && s.grantExpiresAt <= Date.now())) return false;
  return scopeCovers(s.grant, plan.grantScope);
}

/** Load a recipe, see its steps and the one grant it needs, run it on one board or several, follow each step. */
export function RecipesPanel({ session }: { session: SessionInfo }) {
  const client = useApp((s) => s.client);
  const devices = useApp((s) => s.devices);
  const sessions = useApp((s) => s.sessions);
  const openSession = useApp((s) => s.openSession);
  const askElevation = useApp((s) => s.askElevation);
  const reportError = useApp((s) => s.reportError);
  const [text, setText] = useState<string | null>(null);
  const [files, setFiles] = useState<Record<string, Uint8Array<ArrayBuffer>>>({});
  const [plan, setPlan] = useState<RecipePlan | null>(null);
  const [boards, setBoards] = useState<string[]>([session.deviceId]);
  const [runs, setRuns] = useState<Record<string, RecipeRunState>>({});
  const polling = useRef<Set<string>>(new Set());

  const sessionOf = (deviceId: string) => Object.values(sessions).find((s) => s.deviceId === deviceId && s.state !== 'closed') ?? null;

  const loadRecipe = async (file: File | undefined) => {
    if (!file || !client) return;
    const t = await file.text();
    setText(t);
    setPlan(null);
    setRuns({});
    try {
      setPlan(await client.request('recipe.plan', { text: t }));
    } catch (e) {
      reportError(e);
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
      try {
        const s = await client.request('recipe.status', { runId });
        setRuns((r) => ({ ...r, [runId]: s }));
        if (s.status === 'running') return void setTimeout(tick, POLL_MS);
      } catch (e) {
        reportError(e);
      }
      polling.current.delete(runId);
    };
    void tick();
  };
  useEffect(() => () => polling.current.clear(), []);

  const start = async () => {
    if (!client || !text || !plan) return;
    try {
      const r = await client.request('recipe.run', { text, deviceIds: boards, files });
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

  const missingFiles = plan ? plan.files.filter((f) => !files[f] && !files[f.split('/').pop()!]) : [];
  const ready = plan !== null && boards.length > 0 && missingFiles.length === 0 && boards.every((d) => grantCovers(sessionOf(d), plan));
  const running = Object.values(runs).some((r) => r.status === 'running');
  const serialBoards = devices.filter((d) => d.kind === 'serial' && d.present);

  return (
    <div className="recipes">
      <div className="row">
        <label>
          Recipe file <input type="file" accept=".json,application/json" aria-label="Recipe file" onChange={(e) => void loadRecipe(e.target.files?.[0])} />
        </label>
        <label>
          Files the recipe names (images, profiles) <input type="file" multiple aria-label="Files the recipe names" onChange={(e) => void loadFiles(e.target.files)} />
        </label>
      </div>
      {plan && (
        <>
          <h2>{plan.name}</h2>
          {plan.description && <p className="muted">{plan.description}</p>}
          <p data-testid="recipe-scope">
            Highest scope: <strong>{plan.highestScope ?? 'none'}</strong>
            {plan.grantScope ? ` — asks for one ${plan.grantScope} grant per board before starting.` : ' — only reads; no grant needed.'}
          </p>
          {missingFiles.length > 0 && <p className="error">Add the files the recipe names: {missingFiles.join(', ')}</p>}
          <table aria-label="Boards">
            <thead>
              <tr>
                <th scope="col">Run on</th>
                <th scope="col">Board</th>
                <th scope="col">Session and grant</th>
              </tr>
            </thead>
            <tbody>
              {serialBoards.map((d) => {
                const s = sessionOf(d.id);
                const checked = boards.includes(d.id);
                return (
                  <tr key={d.id}>
                    <td>
                      <input type="checkbox" aria-label={`Run on ${d.label}`} checked={checked} onChange={(e) => setBoards((b) => (e.target.checked ? [...b, d.id] : b.filter((x) => x !== d.id)))} />
                    </td>
                    <td>{d.label}</td>
                    <td>
                      {!s ? (
                        <button disabled={!checked} onClick={() => void openSession(d.id)} aria-label={`Open a session on ${d.label}`}>
                          Open session
                        </button>
                      ) : grantCovers(s, plan) ? (
                        <span>{s.grant ?? 'read-only'}</span>
                      ) : (
                        <button disabled={!checked} onClick={() => askElevation(s.id, plan.grantScope!)} aria-label={`Grant ${plan.grantScope} on ${d.label}`}>
                          Grant {plan.grantScope}
                        </button>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          <button className="primary" disabled={!ready || running} onClick={() => void start()}>
            Run on {boards.length} board{boards.length === 1 ? '' : 's'}
          </button>
          <ol aria-label="Recipe steps">
            {plan.steps.map((s) => (
              <li key={s.index}>
                {s.title} <span className="muted">({s.scope ?? 'no command'}{s.needsGrant ? ', changes the device' : ''})</span>
              </li>
            ))}
          </ol>
        </>
      )}
      {Object.values(runs).length > 0 && (
        <table aria-label="Recipe runs" data-testid="recipe-runs">
          <thead>
            <tr>
              <th scope="col">Board</th>
              <th scope="col">Status</th>
              <th scope="col">Steps</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {Object.values(runs).map((r) => (
              <tr key={r.runId}>
                <td>{devices.find((d) => d.id === r.deviceId)?.label ?? r.deviceId}</td>
                <td data-testid={`run-status-${r.deviceId}`}>
                  {r.status}
                  {r.error && <div className="error">{r.error.message}</div>}
                </td>
                <td>
                  <ol>
                    {r.steps.map((s) => (
                      <li key={s.index} className={`step ${s.state}`}>
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
                    <button onClick={() => void stop(r.runId)} aria-label={`Stop the run on ${r.deviceId}`}>
                      Stop
                    </button>
                  )}
                  {(r.status === 'failed' || r.status === 'interrupted') && (
                    <button onClick={() => void resume(r.runId)} aria-label={`Resume the run on ${r.deviceId}`}>
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
