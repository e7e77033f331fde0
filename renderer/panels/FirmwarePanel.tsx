import { useEffect, useMemo, useState } from 'react';
import type { SessionInfo } from '../../electron/contract/devices';
import type { JobInfo } from '../../electron/contract/jobs';
import { useApp } from '../store/app-store';
import { PreflightProblems } from '../components/PreflightProblems';

async function sha256Hex(data: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', data as BufferSource);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

function JobView({ job }: { job: JobInfo }) {
  const client = useApp((s) => s.client);
  const pct = job.total > 0 ? Math.round((job.done / job.total) * 100) : job.state === 'done' ? 100 : 0;
  return (
    <div className="job" data-testid="job" data-state={job.state}>
      <div className="row">
        <strong>{job.title}</strong>
        <span className={`state ${job.state}`} data-testid="job-state">
          {job.state}
        </span>
        {job.state === 'running' && <button onClick={() => void client!.request('job.cancel', { jobId: job.id })}>Cancel</button>}
      </div>
      <progress max={100} value={pct} aria-label="Progress" data-testid="job-progress" />
      <span className="muted">
        {pct}%{job.bytesPerSecond ? ` · ${(job.bytesPerSecond / 1024).toFixed(1)} KiB/s` : ''}
        {job.etaSeconds !== undefined && job.state === 'running' ? ` · ${Math.ceil(job.etaSeconds)} s left` : ''}
      </span>
      <ol className="steps">
        {job.steps.map((s) => (
          <li key={s.name} className={s.state}>
            {s.name} — {s.state}
            {s.message ? `: ${s.message}` : ''}
          </li>
        ))}
      </ol>
      {job.error && (
        <p className="error" role="alert">
          {job.error.message}
        </p>
      )}
    </div>
  );
}

/** Every update this device has had (all sessions, from the host's jobs.jsonl), newest first. */
function JobHistory({ session, refreshKey }: { session: SessionInfo; refreshKey: string }) {
  const client = useApp((s) => s.client);
  const [history, setHistory] = useState<JobInfo[] | null>(null);
  useEffect(() => {
    let live = true;
    void client
      ?.request('jobs.list', {})
      .then((all) => live && setHistory(all.filter((j) => j.deviceId === session.deviceId && j.state !== 'running')))
      .catch(() => live && setHistory([]));
    return () => {
      live = false;
    };
  }, [client, session.deviceId, refreshKey]);
  if (!history) return null;
  return (
    <section className="fw-history" data-testid="firmware-history">
      <h3>Update history of {session.deviceLabel}</h3>
      {history.length === 0 ? (
        <p className="muted">No updates yet.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th>When</th>
              <th>Command</th>
              <th>Outcome</th>
              <th>Detail</th>
            </tr>
          </thead>
          <tbody>
            {history.map((j) => {
              const r = j.result as { previous?: string; active?: string } | undefined;
              return (
                <tr key={j.id} data-testid="firmware-history-row" data-state={j.state}>
                  <td>{new Date(j.startedAt).toLocaleString()}</td>
                  <td>{j.commandId}</td>
                  <td className={`state ${j.state}`}>{j.state}</td>
                  <td>{j.error ? j.error.message : r?.active ? `${r.previous ?? '?'} → ${r.active}` : ''}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}

type BatchRow = { deviceId: string; label: string; sessionId?: string; jobId?: string; status: string };

/** "Update several boards": one session, one Configuration grant and one update job per board. */
function BatchUpdate({ session, file }: { session: SessionInfo; file: { name: string; data: Uint8Array } | null }) {
  const devices = useApp((s) => s.devices);
  const sessionFor = useApp((s) => s.sessionFor);
  const openSession = useApp((s) => s.openSession);
  const grant = useApp((s) => s.grant);
  const runCommand = useApp((s) => s.runCommand);
  const jobs = useApp((s) => s.jobs);
  const [open, setOpen] = useState(false);
  const [picked, setPicked] = useState<Set<string>>(new Set());
  const [agreed, setAgreed] = useState(false);
  const [rows, setRows] = useState<BatchRow[]>([]);
  const candidates = devices.filter((d) => d.present && d.id !== session.deviceId && (d.protocol === 'demo-board' || d.protocol === 'smp'));
  const setRow = (deviceId: string, patch: Partial<BatchRow>) => setRows((rs) => rs.map((r) => (r.deviceId === deviceId ? { ...r, ...patch } : r)));

  const start = async () => {
    if (!file) return;
    const targets = [session.deviceId, ...picked].map((id) => ({ deviceId: id, label: devices.find((d) => d.id === id)?.label ?? id, status: 'waiting' }));
    setRows(targets);
    // Boards update in parallel: each has its own session, grant and job.
    await Promise.all(
      targets.map(async (t) => {
        const s = sessionFor(t.deviceId) ?? (await openSession(t.deviceId));
        if (!s) return setRow(t.deviceId, { status: 'failed: could not open a session' });
        setRow(t.deviceId, { sessionId: s.id, status: 'granting' });
        if (s.grant !== 'configuration' && s.grant !== 'debug-write' && s.grant !== 'debug-write-full') {
          if (!(await grant(s.id, 'configuration'))) return setRow(t.deviceId, { status: 'failed: the Configuration grant was refused' });
        }
        const r = await runCommand<{ jobId: string }>(s.id, 'firmware.upload', 'configuration', { name: file.name, data: file.data, activate: true });
        if (!r) return setRow(t.deviceId, { status: 'failed: the update did not start' });
        setRow(t.deviceId, { jobId: r.jobId, status: 'running' });
      }),
    );
  };

  const statusOf = (r: BatchRow) => (r.jobId && jobs[r.jobId] ? jobs[r.jobId].state + (jobs[r.jobId].error ? `: ${jobs[r.jobId].error!.message}` : '') : r.status);
  const finished = rows.filter((r) => r.jobId && jobs[r.jobId] && jobs[r.jobId].state !== 'running');
  const ok = finished.filter((r) => jobs[r.jobId!].state === 'done').length;
  const failed = rows.filter((r) => r.status.startsWith('failed')).length + finished.length - ok;

  return (
    <section className="fw-batch">
      <button data-testid="batch-toggle" onClick={() => setOpen(!open)}>
        {open ? 'Hide' : 'Update several boards…'}
      </button>
      {open && (
        <div>
          <p className="muted">The image above goes to this board and the ones picked here. Each board gets its own session and Configuration grant.</p>
          {candidates.length === 0 && <p className="muted">No other demo or SMP boards are connected.</p>}
          {candidates.map((d) => (
            <label key={d.id} className="row">
              <input
                type="checkbox"
                data-testid={`batch-pick-${d.id}`}
                checked={picked.has(d.id)}
                onChange={(e) => {
                  const next = new Set(picked);
                  if (e.target.checked) next.add(d.id);
                  else next.delete(d.id);
                  setPicked(next);
                }}
              />
              {d.label}
            </label>
          ))}
          <label className="row">
            <input type="checkbox" checked={agreed} onChange={(e) => setAgreed(e.target.checked)} data-testid="batch-grant-confirm" /> Grant Configuration (write flash, reset) on {picked.size + 1} board(s)
          </label>
          <button className="primary" disabled={!file || !agreed} onClick={() => void start()} data-testid="batch-start">
            Update {picked.size + 1} board(s)
          </button>
          {rows.length > 0 && (
            <>
              <table data-testid="batch-status">
                <tbody>
                  {rows.map((r) => (
                    <tr key={r.deviceId}>
                      <td>{r.label}</td>
                      <td>{statusOf(r)}</td>
                      <td>{r.jobId && jobs[r.jobId]?.total ? `${Math.round((jobs[r.jobId].done / jobs[r.jobId].total) * 100)}%` : ''}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              <p data-testid="batch-summary">
                {ok} of {rows.length} updated{failed ? `, ${failed} failed` : ''}
                {ok + failed < rows.length ? ` (${rows.length - ok - failed} in progress)` : ''}
              </p>
            </>
          )}
        </div>
      )}
    </section>
  );
}

export function FirmwarePanel({ session }: { session: SessionInfo }) {
  const runCommand = useApp((s) => s.runCommand);
  const allJobs = useApp((s) => s.jobs);
  const jobs = useMemo(() => Object.values(allJobs).filter((j) => j.sessionId === session.id).sort((a, b) => b.startedAt - a.startedAt), [allJobs, session.id]);
  const [file, setFile] = useState<{ name: string; data: Uint8Array; sha256: string } | null>(null);
  // Stable per file: the preflight check sends the image, so it must not rerun on every progress render.
  const preflightParams = useMemo(() => (file ? { name: file.name, data: file.data } : undefined), [file]);
  const [activate, setActivate] = useState(true);

  return (
    <div>
      <p>
        Running firmware: <strong data-testid="running-version">{session.identity.firmware ?? 'unknown'}</strong>
      </p>
      <label>
        Firmware image
        <input
          type="file"
          aria-label="Firmware image file"
          data-testid="firmware-file"
          onChange={async (e) => {
            const f = e.target.files?.[0];
            if (!f) return setFile(null);
            const data = new Uint8Array(await f.arrayBuffer());
            setFile({ name: f.name, data, sha256: await sha256Hex(data) });
          }}
        />
      </label>
      {file && (
        <dl className="facts">
          <div>
            <dt>File</dt>
            <dd>{file.name}</dd>
          </div>
          <div>
            <dt>Size</dt>
            <dd>{file.data.length} bytes</dd>
          </div>
          <div>
            <dt>SHA-256</dt>
            <dd>
              <code>{file.sha256}</code>
            </dd>
          </div>
        </dl>
      )}
      {preflightParams && <PreflightProblems sessionId={session.id} commandId="firmware.upload" params={preflightParams} refreshKey={file?.sha256} />}
      <div className="row">
        <label>
          <input type="checkbox" checked={activate} onChange={(e) => setActivate(e.target.checked)} /> Reset and run the new image when done
        </label>
        <button className="primary" disabled={!file} data-testid="firmware-upload" onClick={() => file && void runCommand(session.id, 'firmware.upload', 'configuration', { name: file.name, data: file.data, activate })}>
          Update firmware
        </button>
      </div>
      {jobs.map((j) => (
        <JobView key={j.id} job={j} />
      ))}
      <BatchUpdate session={session} file={file} />
      <JobHistory session={session} refreshKey={jobs.map((j) => j.id + j.state).join()} />
    </div>
  );
}
