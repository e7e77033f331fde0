import { useEffect, useState } from 'react';
import type { PreflightReport } from '../../electron/contract/channels';
import { useApp } from '../store/app-store';

/** What would block a write on this session now, each with its fix; overridable ones can be armed once, with a reason. */
export function PreflightProblems(props: { sessionId: string; commandId?: string; params?: unknown; refreshKey?: unknown }) {
  const client = useApp((s) => s.client);
  const [report, setReport] = useState<PreflightReport | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [reason, setReason] = useState('');
  const [tick, setTick] = useState(0);

  useEffect(() => {
    let live = true;
    client
      ?.request('preflight.check', { sessionId: props.sessionId, commandId: props.commandId, params: props.params })
      .then((r) => live && (setReport(r), setError(null)))
      .catch((e: Error) => live && setError(e.message));
    return () => {
      live = false;
    };
  }, [client, props.sessionId, props.commandId, props.params, props.refreshKey, tick]);

  if (error) return <p className="muted">Preflight check unavailable: {error}</p>;
  if (!report || report.problems.length === 0) return null;
  const overridable = report.problems.filter((p) => p.overridable).map((p) => p.id);
  const override = async () => {
    try {
      await client!.request('preflight.override', { sessionId: props.sessionId, problemIds: overridable, reason });
      setReason('');
      setTick((t) => t + 1);
    } catch (e) {
      setError((e as Error).message);
    }
  };
  return (
    <section className="preflight-problems" role="alert" aria-label="Preflight problems">
      <h3>Writes are blocked</h3>
      <ul>
        {report.problems.map((p, i) => (
          <li key={`${p.id}-${i}`} data-testid={`problem-${p.id}`}>
            <strong>{p.reason}</strong>
            <div>Fix: {p.fix}</div>
            {report.armedOverride.includes(p.id) ? <span className="tag">overridden for the next write</span> : p.overridable ? <span className="tag">may be overridden</span> : null}
          </li>
        ))}
      </ul>
      {overridable.length > 0 && overridable.some((id) => !report.armedOverride.includes(id)) && (
        <div className="preflight-override">
          <input aria-label="Reason for the override" placeholder="Reason (recorded in the audit journal)" value={reason} onChange={(e) => setReason(e.target.value)} />
          <button disabled={reason.trim().length < 3} onClick={() => void override()}>
            Override for the next write
          </button>
        </div>
      )}
    </section>
  );
}
