import { useEffect, useState } from 'react';
import { SCOPE_INFO } from '../../electron/contract/scopes';
import type { SessionInfo } from '../../electron/contract/devices';
import { useApp } from '../store/app-store';

/** The session's grant, its time left, and its taint; the way to raise or drop it. */
export function ScopeBadge({ session }: { session: SessionInfo }) {
  const askElevation = useApp((s) => s.askElevation);
  const dropGrant = useApp((s) => s.dropGrant);
  const [, tick] = useState(0);
  useEffect(() => {
    const t = setInterval(() => tick((n) => n + 1), 1000);
    return () => clearInterval(t);
  }, []);
  const left = session.grantExpiresAt ? Math.max(0, Math.round((session.grantExpiresAt - Date.now()) / 1000)) : 0;
  const grant = left > 0 ? session.grant : null;
  return (
    <span className="scope-badge" data-testid="scope-badge" data-scope={grant ?? 'read-only'}>
      <span className={`badge scope-${grant ?? 'none'}`}>{grant ? `${SCOPE_INFO[grant].title} · ${Math.floor(left / 60)}:${String(left % 60).padStart(2, '0')}` : 'Read-only'}</span>
      {session.tainted && (
        <span className="badge tainted" title="A debug-write grant was made in this session; it stays marked for its lifetime.">
          tainted
        </span>
      )}
      <button onClick={() => askElevation(session.id, grant === 'configuration' ? 'debug-write' : 'configuration')} data-testid="elevate">
        Grant scope…
      </button>
      {grant && <button onClick={() => dropGrant(session.id)}>Drop grant</button>}
    </span>
  );
}
