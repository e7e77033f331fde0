import { useCallback, useEffect, useState } from 'react';
import type { SessionInfo } from '../../electron/contract/devices';
import type { ConfigValue } from '../../electron/contract/config';
import type { WireError } from '../../electron/contract/errors';
import type { ConfigJournalEntry, ProfileApplyResult, ProfileDiff, ProfileDiffRow, ProfileKeyStatus } from '../../electron/contract/recipes';
import { scopeCovers } from '../../electron/contract/scopes';
import { RequestError } from '../api/client';
import { useApp } from '../store/app-store';

export const showValue = (v: ConfigValue | undefined) => (v === undefined ? '—' : JSON.stringify(v));

export const STATUS_TEXT: Readonly<Record<ProfileKeyStatus, string>> = {
  same: 'same',
  'differs-from-profile': 'differs from the profile',
  'changed-since-snapshot': 'changed since the snapshot',
  missing: 'missing on the device',
};

/** The status cell: the key's status in words, and the snapshot change when the status does not already say it. */
export function statusText(r: ProfileDiffRow): string {
  const extra: string[] = [];
  if (r.changedSinceSnapshot && r.status !== 'changed-since-snapshot' && r.status !== 'missing') extra.push('also changed since the snapshot');
  if (r.readOnly) extra.push('read-only');
  return STATUS_TEXT[r.status] + (extra.length ? ` (${extra.join(', ')})` : '');
}

/** A file name for a downloaded profile: the name with anything but word characters, dots and dashes replaced. */
export const profileFileName = (name: string) => `${name.trim().replace(/[^\w.-]+/g, '_') || 'profile'}.json`;

const toWire = (e: unknown): WireError => (e instanceof RequestError ? e.wire : { code: 'internal', message: (e as Error)?.message ?? String(e) });

function grantOk(s: SessionInfo): boolean {
  return s.grant !== null && (s.grantExpiresAt === null || s.grantExpiresAt > Date.now()) && scopeCovers(s.grant, 'configuration');
}

/** Save the device's settings as a profile, compare live / snapshot / profile, dry-run and apply only the differences. */
export function ProfilesPanel({ session }: { session: SessionInfo }) {
  const client = useApp((s) => s.client);
  const askElevation = useApp((s) => s.askElevation);
  const reportError = useApp((s) => s.reportError);
  const notify = useApp((s) => s.notify);
  const [name, setName] = useState('');
  const [profile, setProfile] = useState<unknown>(null);
  const [loadError, setLoadError] = useState<WireError | null>(null);
  const [diff, setDiff] = useState<ProfileDiff | null>(null);
  const [dry, setDry] = useState<ProfileApplyResult | null>(null);
  const [history, setHistory] = useState<ConfigJournalEntry[]>([]);
  const [save, setSave] = useState(false);
  const [busy, setBusy] = useState(false);

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
      a.download = profileFileName(name);
      document.body.append(a);
      a.click();
      a.remove();
      // Revoking at once can cancel the download before the browser has read the blob.
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
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
      setLoadError(null);
    } catch (e) {
      setDiff(null);
      setLoadError(toWire(e));
    }
  };
  const loadProfile = async (file: File | undefined) => {
    if (!file) return;
    setDiff(null);
    setDry(null);
    let p: unknown;
    try {
      p = JSON.parse(await file.text());
    } catch (e) {
      setProfile(null);
      setLoadError({ code: 'bad-request', message: `${file.name} is not valid JSON.`, detail: (e as Error).message });
      return;
    }
    setProfile(p);
    await compare(p);
  };

  const dryRun = async () => {
    if (!client) return;
    try {
      setDry(await client.request('profile.apply', { sessionId: session.id, profile, dryRun: true, save }));
    } catch (e) {
      reportError(e);
    }
  };
  const apply = async () => {
    if (!client) return;
    setBusy(true);
    try {
      const r = await client.request('profile.apply', { sessionId: session.id, profile, dryRun: false, save });
      notify({ kind: 'info', text: r.changes.length ? `Applied ${r.changes.length} change(s).` : 'Nothing to change.' });
    } catch (e) {
      reportError(e);
    }
    // Whatever happened, show the device as it is now and what the journal recorded.
    await compare(profile);
    await loadHistory();
    setBusy(false);
  };

  const granted = grantOk(session);
  return (
    <div className="profiles">
      <div className="row">
        <label>
          Profile name <input value={name} onChange={(e) => setName(e.target.value)} />
        </label>
        <button disabled={!name.trim()} onClick={() => void saveProfile()}>
          Save profile
        </button>
        <label>
          Load profile <input type="file" accept=".json,application/json" onChange={(e) => void loadProfile(e.target.files?.[0])} data-testid="profile-file" />
        </label>
      </div>
      {loadError && (
        <div role="alert" className="error" data-testid="profile-error">
          {loadError.message}
          {loadError.detail && <div className="muted">{loadError.detail}</div>}
        </div>
      )}
      {diff && (
        <>
          <p data-testid="profile-summary">
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
                <tr key={r.key} className={r.status === 'same' ? undefined : `changed ${r.status}`} data-testid={`profile-row-${r.key}`} data-status={r.status}>
                  <th scope="row">{r.key}</th>
                  <td>{showValue(r.live)}</td>
                  <td>{showValue(r.snapshot)}</td>
                  <td>{showValue(r.profile)}</td>
                  <td>{statusText(r)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <div className="row">
            <label>
              <input
                type="checkbox"
                checked={save}
                onChange={(e) => {
                  setSave(e.target.checked);
                  // A dry run shows exactly what Apply sends: a changed option makes it stale.
                  setDry(null);
                }}
              />{' '}
              Save on the device after applying
            </label>
            <button onClick={() => void dryRun()}>Dry run</button>
          </div>
          {dry && (
            <section aria-labelledby="profile-dry-title" className="dry-run">
              <h3 id="profile-dry-title">Dry run: the config.write params Apply sends</h3>
              <pre data-testid="profile-dry-run">{dry.writeParams ? JSON.stringify(dry.writeParams, null, 2) : 'Nothing to change: the device matches the profile.'}</pre>
              {dry.skipped.map((s) => (
                <p key={s.key} className="muted">
                  Left alone: {s.key} ({s.reason})
                </p>
              ))}
              {dry.writeParams &&
                (granted ? (
                  <button className="primary" disabled={busy} onClick={() => void apply()}>
                    Apply {dry.changes.length} change{dry.changes.length === 1 ? '' : 's'}
                  </button>
                ) : (
                  <p role="note">
                    Applying needs a Configuration grant.{' '}
                    <button onClick={() => askElevation(session.id, 'configuration')}>Grant Configuration…</button>
                  </p>
                ))}
            </section>
          )}
        </>
      )}
      <h2 id="profile-journal-title">Configuration journal</h2>
      {history.length === 0 ? (
        <p className="muted">No changes applied through profiles yet.</p>
      ) : (
        <table aria-labelledby="profile-journal-title" data-testid="profile-history">
          <thead>
            <tr>
              <th scope="col">Time</th>
              <th scope="col">Operator</th>
              <th scope="col">Source</th>
              <th scope="col">Setting</th>
              <th scope="col">Before</th>
              <th scope="col">After</th>
              <th scope="col">Saved</th>
            </tr>
          </thead>
          <tbody>
            {[...history].reverse().flatMap((h, i) =>
              (h.changes.length ? h.changes : [null]).map((c, j) => (
                <tr key={`${i}-${j}`}>
                  <td>{h.time}</td>
                  <td>{h.operator}</td>
                  <td>{h.source}</td>
                  <th scope="row">{c ? c.key : '(nothing)'}</th>
                  <td>{c ? showValue(c.before) : ''}</td>
                  <td>{c ? showValue(c.after) : ''}</td>
                  <td>{h.saved ? 'yes' : 'no'}</td>
                </tr>
              )),
            )}
          </tbody>
        </table>
      )}
    </div>
  );
}
