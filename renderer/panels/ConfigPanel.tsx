import { useCallback, useEffect, useMemo, useState } from 'react';
import type { SessionInfo } from '../../electron/contract/devices';
import { diffConfig, type ConfigEntry, type ConfigValue } from '../../electron/contract/config';
import { useApp } from '../store/app-store';
import { PreflightProblems } from '../components/PreflightProblems';

function coerce(entry: ConfigEntry, text: string): ConfigValue {
  if (entry.type === 'int' || entry.type === 'float') return text.trim() === '' ? NaN : Number(text);
  if (entry.type === 'bool') return text === 'true';
  return text;
}

/** Read, edit, see the difference against the device, then apply. */
export function ConfigPanel({ session }: { session: SessionInfo }) {
  const runCommand = useApp((s) => s.runCommand);
  const notify = useApp((s) => s.notify);
  const [entries, setEntries] = useState<ConfigEntry[] | null>(null);
  const [edits, setEdits] = useState<Record<string, string>>({});
  const [save, setSave] = useState(false);
  const [busy, setBusy] = useState(false);

  const load = useCallback(async () => {
    const r = await runCommand<{ entries: ConfigEntry[] }>(session.id, 'config.read', 'configuration', {});
    if (r) {
      setEntries(r.entries);
      setEdits({});
    }
  }, [session.id, runCommand]);
  useEffect(() => void load(), [load]);

  const device = useMemo(() => Object.fromEntries((entries ?? []).map((e) => [e.key, e.value])), [entries]);
  const wanted = useMemo(() => {
    const out: Record<string, ConfigValue> = {};
    for (const e of entries ?? []) if (edits[e.key] !== undefined) out[e.key] = coerce(e, edits[e.key]);
    return out;
  }, [entries, edits]);
  const changes = diffConfig(device, wanted);
  const invalid = changes.filter((c) => typeof c.after === 'number' && !Number.isFinite(c.after));

  const apply = async () => {
    setBusy(true);
    const r = await runCommand(session.id, 'config.write', 'configuration', { changes: Object.fromEntries(changes.map((c) => [c.key, c.after as ConfigValue])), save });
    setBusy(false);
    if (r) {
      notify({ kind: 'info', text: `Applied ${changes.length} change(s)${save ? ' and saved them' : ''}.` });
      await load();
    }
  };

  if (!entries) return <p className="muted">Reading configuration…</p>;
  return (
    <div>
      <table className="config" aria-label="Configuration">
        <thead>
          <tr>
            <th scope="col">Setting</th>
            <th scope="col">On the device</th>
            <th scope="col">New value</th>
            <th scope="col">About</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((e) => {
            const val = edits[e.key] ?? String(e.value);
            const changed = edits[e.key] !== undefined && coerce(e, edits[e.key]) !== e.value;
            return (
              <tr key={e.key} className={changed ? 'changed' : undefined}>
                <th scope="row">{e.key}</th>
                <td data-testid={`config-device-${e.key}`}>
                  {String(e.value)} {e.unit}
                </td>
                <td>
                  {e.readOnly ? (
                    <span className="muted">read-only</span>
                  ) : e.type === 'enum' || e.type === 'bool' ? (
                    <select aria-label={`New value for ${e.key}`} value={val} onChange={(ev) => setEdits({ ...edits, [e.key]: ev.target.value })}>
                      {(e.type === 'bool' ? ['true', 'false'] : e.options!).map((o) => (
                        <option key={o}>{o}</option>
                      ))}
                    </select>
                  ) : (
                    <input
                      aria-label={`New value for ${e.key}`}
                      value={val}
                      type={e.type === 'string' ? 'text' : 'number'}
                      min={e.min}
                      max={e.max}
                      onChange={(ev) => setEdits({ ...edits, [e.key]: ev.target.value })}
                    />
                  )}
                </td>
                <td className="muted">
                  {e.description}
                  {e.min !== undefined && ` (${e.min}–${e.max}${e.unit ? ' ' + e.unit : ''})`}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {changes.length > 0 && <PreflightProblems sessionId={session.id} commandId="config.write" refreshKey={changes.length} />}
      <h3>Changes against the device</h3>
      {changes.length === 0 ? (
        <p className="muted">No changes.</p>
      ) : (
        <ul className="diff" aria-label="Pending changes">
          {changes.map((c) => (
            <li key={c.key}>
              <code>{c.key}</code>: <del>{String(c.before)}</del> → <ins>{String(c.after)}</ins>
            </li>
          ))}
        </ul>
      )}
      <div className="row">
        <label>
          <input type="checkbox" checked={save} onChange={(e) => setSave(e.target.checked)} /> Save on the device (survives reset)
        </label>
        <button onClick={() => void load()}>Reload</button>
        <button onClick={() => setEdits({})} disabled={changes.length === 0}>
          Discard
        </button>
        <button className="primary" onClick={() => void apply()} disabled={busy || changes.length === 0 || invalid.length > 0} data-testid="config-apply">
          Apply {changes.length || ''} change(s)
        </button>
      </div>
    </div>
  );
}
