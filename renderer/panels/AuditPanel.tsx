import { useState } from 'react';
import type { SessionInfo } from '../../electron/contract/devices';
import type { AuditVerifyResult } from '../../electron/contract/audit';
import { useApp } from '../store/app-store';

export function AuditPanel({ session }: { session: SessionInfo }) {
  const records = useApp((s) => s.auditTail);
  const client = useApp((s) => s.client);
  const [onlyThis, setOnlyThis] = useState(true);
  const [outcome, setOutcome] = useState('');
  const [text, setText] = useState('');
  const [verify, setVerify] = useState<AuditVerifyResult | null>(null);
  const shown = records.filter(
    (r) => (!onlyThis || r.device?.id === session.deviceId) && (!outcome || r.outcome === outcome) && (!text || JSON.stringify(r).toLowerCase().includes(text.toLowerCase())),
  );
  return (
    <div>
      <div className="row">
        <label>
          <input type="checkbox" checked={onlyThis} onChange={(e) => setOnlyThis(e.target.checked)} /> This device only
        </label>
        <label>
          Outcome
          <select value={outcome} onChange={(e) => setOutcome(e.target.value)} aria-label="Filter by outcome">
            <option value="">any</option>
            <option value="ok">ok</option>
            <option value="denied">denied</option>
            <option value="error">error</option>
            <option value="started">started</option>
          </select>
        </label>
        <label>
          Search
          <input value={text} onChange={(e) => setText(e.target.value)} aria-label="Search audit records" />
        </label>
        <button onClick={async () => setVerify(await client!.request('audit.verify', {}))}>Verify journal</button>
        {verify && (
          <span role="status" className={verify.ok ? 'ok' : 'error'}>
            {verify.ok ? `Intact: ${verify.records} records` : `Tampered: ${verify.problems.map((p) => `line ${p.line}: ${p.problem}`).join('; ')}`}
          </span>
        )}
      </div>
      <table className="audit" aria-label="Audit records" data-testid="audit-table">
        <thead>
          <tr>
            <th scope="col">#</th>
            <th scope="col">Time</th>
            <th scope="col">What</th>
            <th scope="col">Command</th>
            <th scope="col">Scope</th>
            <th scope="col">Outcome</th>
            <th scope="col">Message</th>
          </tr>
        </thead>
        <tbody>
          {shown.slice(0, 300).map((r) => (
            <tr key={r.seq} className={r.outcome}>
              <td>{r.seq}</td>
              <td>{r.time.slice(11, 23)}</td>
              <td>{r.kind}</td>
              <td>{r.commandId ?? (r.detail?.step as string | undefined) ?? ''}</td>
              <td>{r.scope ?? ''}</td>
              <td>{r.outcome}</td>
              <td>{r.message ?? (r.detail?.step ? `${r.detail.step}: ${r.detail.state}` : '')}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
