import { useMemo, useState } from 'react';
import type { SessionInfo } from '../../electron/contract/devices';
import type { JobInfo } from '../../electron/contract/jobs';
import { useApp } from '../store/app-store';

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

export function FirmwarePanel({ session }: { session: SessionInfo }) {
  const runCommand = useApp((s) => s.runCommand);
  const allJobs = useApp((s) => s.jobs);
  const jobs = useMemo(() => Object.values(allJobs).filter((j) => j.sessionId === session.id).sort((a, b) => b.startedAt - a.startedAt), [allJobs, session.id]);
  const [file, setFile] = useState<{ name: string; data: Uint8Array; sha256: string } | null>(null);
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
    </div>
  );
}
