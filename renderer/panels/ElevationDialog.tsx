import { useEffect, useRef, useState } from 'react';
import { SCOPES, SCOPE_INFO, type Scope } from '../../electron/contract/scopes';
import { useApp } from '../store/app-store';

/** Raising a session's scope always takes an explicit confirmation that says what it allows. */
export function ElevationDialog() {
  const elevation = useApp((s) => s.elevation);
  const session = useApp((s) => (s.elevation ? s.sessions[s.elevation.sessionId] : undefined));
  const facts = useApp((s) => s.facts);
  const grant = useApp((s) => s.grant);
  const close = useApp((s) => s.closeElevation);
  const [scope, setScope] = useState<Scope>('configuration');
  const [typed, setTyped] = useState('');
  const [minutes, setMinutes] = useState(15);
  const ref = useRef<HTMLDialogElement>(null);

  useEffect(() => {
    if (elevation) {
      setScope(elevation.scope);
      setTyped('');
      setMinutes(Math.round((facts?.grantTtlSeconds ?? 900) / 60));
      if (!ref.current?.open) ref.current?.showModal?.();
    } else ref.current?.close?.();
  }, [elevation, facts]);

  if (!elevation || !session) return <dialog ref={ref} />;
  const info = SCOPE_INFO[scope];
  const allowedByPolicy = facts ? SCOPES.indexOf(scope) <= SCOPES.indexOf(facts.policyMaxScope) : true;
  const blocked = !allowedByPolicy || (info.needsRawio && !facts?.capSysRawio) || (info.typedConfirmation && typed !== session.deviceLabel);
  return (
    <dialog ref={ref} aria-labelledby="elev-title" onCancel={close} className="elevation">
      <h2 id="elev-title">Grant a scope for {session.deviceLabel}</h2>
      <fieldset>
        <legend>Scope</legend>
        {SCOPES.map((s) => (
          <label key={s}>
            <input type="radio" name="scope" value={s} checked={scope === s} onChange={() => setScope(s)} />
            {SCOPE_INFO[s].title}
          </label>
        ))}
      </fieldset>
      <p data-testid="scope-allows">{info.allows}</p>
      {info.taints && (
        <p className="warn" role="note">
          This session becomes <strong>tainted</strong> for the rest of its life, and the audit journal records it.
        </p>
      )}
      {!allowedByPolicy && <p className="warn">The lab policy on this machine allows at most {SCOPE_INFO[facts!.policyMaxScope].title}.</p>}
      {info.needsRawio && !facts?.capSysRawio && <p className="warn">fwbench does not hold CAP_SYS_RAWIO, which this scope needs.</p>}
      {info.typedConfirmation && (
        <label>
          Type the device name <code>{session.deviceLabel}</code> to confirm
          <input value={typed} onChange={(e) => setTyped(e.target.value)} aria-label="Device name confirmation" />
        </label>
      )}
      <label>
        Expires after (minutes)
        <input type="number" min={1} max={240} value={minutes} onChange={(e) => setMinutes(Number(e.target.value))} />
      </label>
      <div className="row">
        <button onClick={close}>Cancel</button>
        <button className="primary" disabled={blocked} onClick={() => void grant(session.id, scope, info.typedConfirmation ? typed : undefined, Math.max(1, minutes) * 60)} data-testid="confirm-grant">
          Grant {info.title}
        </button>
      </div>
    </dialog>
  );
}
