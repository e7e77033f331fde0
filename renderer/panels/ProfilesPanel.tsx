import { useCallback, useEffect, useState } from 'react';
import type { SessionInfo } from '../../electron/contract/devices';
import type { ConfigValue } from '../../electron/contract/config';
import type { ConfigJournalEntry, ProfileApplyResult, ProfileDiff } from '../../electron/contract/recipes';
import { scopeCovers } from '../../electron/contract/scopes';
import { useApp } from '../store/app-store';

const show = (v: ConfigValue | undefined) => (v === undefined ? '—' : JSON.stringify(v));

/** Save the device's settings as a profile, compare live / snapshot / profile, dry-run and apply only the differences. */
export function ProfilesPanel({ session }: { session: SessionInfo }) {
  const client = useApp((s) => s.client);
  const askElevation = useApp((s) => s.askElevation);
  const reportError = useApp((s) => s.reportError);
  const notify = useApp((s) => s.notify);
  const [name, setName] = useState('');
  const [profile, setProfile] = useState<unknown>(null);
  const [diff, setDiff] = useState<ProfileDiff | null>(null);
  const [dry, setDry] = useState<ProfileApplyResult | null>(null);
  const [history, setHistory] = useState<ConfigJournalEntry[]>([]);
  const [save, setSave] = useState(false);

  const loadHistory = useCallback(async () => {
    try {
      setHistory((await client?.request('profile.history', { deviceId: session.deviceId })) ?? []);
    } catch (e) {
      reportError(e);
    }
  }, [client, session.deviceId, reportError]);
  useEffect(() => void loadHistory(), [loadHistory]);

  const saveProfile = async () => {
    if (!client || !name.trim()) return;
    try {
      const p = await client.request('profile.capture', { sessionId: session.id, name: name.trim() });
      const url = URL.createObjectURL(new Blob([JSON.stringify(p, null, 2) + '\n'], { type: 'application/json' }));
      const a = document.createElement('a');
      a.href = url;
      a.download = `${name.trim().replace(/[^\w.-]+/g, '_')}.json`;
      a.click();
      URL.revokeObjectURL(url);
      notify({ kind: 'info', text: `Saved ${Object.keys(p.values).length} settings as "${p.name}" (and a snapshot).` });
    } catch (e) {
      reportError(e);
    }
  };

  const compare = async (p: unknown) => {
    if (!client) return;
    setDry(null);
    try {
      setDiff(await client.request('profile.diff', { sessionId: session.id, profile: p }));
    } catch (e) {
      setDiff(null);
      reportError(e);
    }
  };
  const loadProfile = async (file: File | undefined) => {
    if (!file) return;
    try {
      const p: unknown = JSON.parse(await file.text());
      setProfile(p);
      await compare(p);
    } catch (e) {
      reportError(e);
    }
  };

  const dryRun = async () => {
    try {
      setDry((await client?.request('profile.apply', { sessionId: session.id, profile, dryRun: true, save })) ?? null);
    } catch (e) {
      reportError(e);
    }
  };
  const apply = async () => {
    if (!scopeCovers(session.grant, 'configuration')) return askElevation(session.id, 'configuration');
    try {
      const r = await client!.request('profile.apply', { sessionId: session.id, profile, dryRun: false, save });
      notify({ kind: 'info', text: r.changes.length ? `Applied ${r.changes.length} change(s).` : 'Nothing to change.' });
      await compare(profile);
      await loadHistory();
    } catch (e) {
      reportError(e);
    }
  };

  return (
    <div className="profiles">
      <div className="row">
        <label>
          Profile name <input value={name} onChange={(e) => setName(e.target.value)} aria-label="Profile name" />
        </label>
        <button disabled={!name.trim()} onClick={() => void saveProfile()}>
          Save profile
        </button>
        <label>
          Load profile <input type="file" accept=".json,application/json" aria-label="Profile file" onChange={(e) => void loadProfile(e.target.files?.[0])} />
        </label>
      </div>
      {diff && (
        <>
          <p>
            Profile “{diff.profileName}” — snapshot {diff.snapshotAt ?? 'none yet'}; {diff.counts['differs-from-profile']} differ, {diff.counts.missing} missing, {diff.counts['changed-since-snapshot']} changed since the snapshot.
          </p>
          <table aria-label="Three-way difference" className="config">
            <thead>
              <tr>
                <th scope="col">Setting</th>
                <th scope="col">Live</th>
                <th scope="col">Snapshot</th>
                <th scope="col">Profile</th>
                <th scope="col">Status</th>
              </tr>
            </thead>
            <tbody>
              {diff.rows.map((r) => (
                <tr key={r.key} className={r.status} data-testid={`profile-row-${r.key}`}>
                  <th scope="row">{r.key}</th>
                  <td>{show(r.live)}</td>
                  <td>{show(r.snapshot)}</td>
                  <td>{show(r.profile)}</td>
                  <td>
                    {r.status}
                    {r.readOnly ? ' (read-only)' : ''}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <label>
            <input type="checkbox" checked={save} onChange={(e) => setSave(e.target.checked)} /> Save on the device after applying
          </label>
          <button onClick={() => void dryRun()}>Dry run</button>
          {dry && (
            <>
              <pre aria-label="config.write params">{dry.writeParams ? JSON.stringify(dry.writeParams, null, 2) : 'Nothing to change: the device matches the profile.'}</pre>
              {dry.skipped.map((s) => (
                <p key={s.key} className="muted">
                  Left alone: {s.key} ({s.reason})
                </p>
              ))}
              <button className="primary" disabled={!dry.writeParams} onClick={() => void apply()}>
                Apply {dry.changes.length} change(s)
              </button>
            </>
          )}
        </>
      )}
      <h2>Configuration journal</h2>
      {history.length === 0 ? (
        <p className="muted">No changes applied through profiles yet.</p>
      ) : (
        <ul aria-label="Configuration journal">
          {[...history].reverse().map((h, i) => (
            <li key={i}>
              {h.time} — {h.operator} ({h.source}){h.saved ? ', saved' : ''}: {h.changes.map((c) => `${c.key} ${show(c.before)} → ${show(c.after)}`).join('; ')}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
