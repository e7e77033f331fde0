import { useEffect, useRef, useState } from 'react';
import type { DiagBundleFile, DiagBundleReview, DiagCollectResult } from '../../electron/contract/channels';
import { useApp } from '../store/app-store';

/** Offline diagnostics: export a bundle (redacted as asked) and review one from any machine. No device is involved. */
export function DiagnosticsView() {
  return (
    <section aria-label="Diagnostics">
      <h1>Diagnostics</h1>
      <ExportBundle />
      <OpenBundle />
    </section>
  );
}

type RedactKey = 'serials' | 'macs' | 'hostnames';
const REDACT_LABELS: [RedactKey, string][] = [
  ['serials', 'Serial numbers'],
  ['macs', 'MAC addresses'],
  ['hostnames', 'Host names'],
];

function ExportBundle() {
  const client = useApp((s) => s.client);
  const reportError = useApp((s) => s.reportError);
  const [redact, setRedact] = useState<Record<RedactKey, boolean>>({ serials: true, macs: true, hostnames: true });
  const [jobId, setJobId] = useState<string | null>(null);
  const job = useApp((s) => (jobId ? s.jobs[jobId] : undefined));
  const [download, setDownload] = useState<{ url: string | null; name: string; path: string; bytes: number; note?: string } | null>(null);

  // Revoke the previous Blob URL when a new export replaces it or the view goes away.
  useEffect(() => () => void (download?.url && URL.revokeObjectURL(download.url)), [download]);

  useEffect(() => {
    if (job?.state !== 'done' || download) return;
    const r = job.result as DiagCollectResult;
    client!.request('diag.bundle', { name: r.name }).then((b) => {
      const url = b.data ? URL.createObjectURL(new Blob([b.data as Uint8Array<ArrayBuffer>], { type: 'application/gzip' })) : null;
      setDownload({ url, name: b.name, path: b.path, bytes: b.bytes, note: b.note });
    }, reportError);
  }, [job, download, client, reportError]);

  const running = job?.state === 'running';
  const pct = job ? (job.state === 'done' ? 100 : job.total ? Math.floor((100 * job.done) / job.total) : 0) : 0;
  const step = job?.steps.find((s) => s.state === 'running')?.name ?? (job?.state === 'done' ? 'done' : job?.state);

  const start = () => {
    setDownload(null);
    client!.request('diag.collect', { redact }).then((r) => setJobId(r.jobId), reportError);
  };

  return (
    <div className="panel" aria-label="Export a bundle" role="region">
      <h2>Export a bundle</h2>
      <p className="muted">One .tar.gz with the host facts, device inventory, console transcripts, recordings, job history and the audit journal, each file hashed in its manifest.</p>
      <fieldset>
        <legend>Redact</legend>
        {REDACT_LABELS.map(([k, label]) => (
          <label key={k} style={{ marginRight: 12 }}>
            <input type="checkbox" checked={redact[k]} disabled={running} onChange={(e) => setRedact({ ...redact, [k]: e.target.checked })} /> {label}
          </label>
        ))}
      </fieldset>
      <div className="row">
        <button className="primary" onClick={start} disabled={running}>
          Export
        </button>
        {job && (
          <>
            <progress max={100} value={pct} aria-label="Export progress" data-testid="diag-progress" />
            <span data-testid="diag-progress-text">
              {pct}% — {step}
            </span>
          </>
        )}
      </div>
      {job?.state === 'failed' && <p className="error">Export failed: {job.error?.message}</p>}
      {download && (
        <p data-testid="diag-download">
          {download.url ? (
            <a href={download.url} download={download.name}>
              Download {download.name}
            </a>
          ) : (
            <span className="error">{download.note}</span>
          )}{' '}
          <span className="muted">
            ({download.bytes} bytes) · on the host: <code>{download.path}</code>
          </span>
        </p>
      )}
    </div>
  );
}

function OpenBundle() {
  const client = useApp((s) => s.client);
  const reportError = useApp((s) => s.reportError);
  const [review, setReview] = useState<DiagBundleReview | null>(null);
  const [busy, setBusy] = useState(false);
  const openId = useRef<string | null>(null);

  const closeOpen = () => {
    if (openId.current) void client!.request('diag.close', { bundleId: openId.current }).catch(() => undefined);
    openId.current = null;
  };
  useEffect(() => closeOpen, []); // eslint-disable-line react-hooks/exhaustive-deps

  const pick = async (file: File | undefined) => {
    if (!file) return;
    closeOpen();
    setReview(null);
    setBusy(true);
    try {
      const data = new Uint8Array(await file.arrayBuffer());
      const { bundleId } = await client!.request('diag.open', { name: file.name, data });
      openId.current = bundleId;
      setReview(await client!.request('diag.view', { bundleId }));
    } catch (e) {
      reportError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="panel" aria-label="Open a bundle" role="region">
      <h2>Open a bundle</h2>
      <p className="muted">Review a bundle from any machine. It is unpacked read-only and checked against its manifest; nothing in it can reach a device.</p>
      <label>
        Bundle file <input type="file" accept=".tar.gz,.tgz,application/gzip" disabled={busy} onChange={(e) => void pick(e.target.files?.[0])} data-testid="diag-file-input" />
      </label>
      {busy && <p className="muted">Opening…</p>}
      {review && <BundleReview review={review} />}
    </div>
  );
}

function BundleReview({ review }: { review: DiagBundleReview }) {
  const { manifest: m, integrity } = review;
  const h = m.host;
  const redacted = (['serials', 'macs', 'hostnames'] as const).filter((k) => m.redaction[k]);
  const redactedLines = new Set(m.redaction.auditRedactedLines);
  const consoles = review.files.filter((f) => f.kind === 'console' && f.present);
  const recordings = review.files.filter((f) => f.kind === 'telemetry');
  return (
    <div data-testid="diag-review">
      <h3>{review.name}</h3>
      <div data-testid="diag-integrity" role="status">
        {integrity.ok ? (
          <p className="ok">
            Bundle intact: {integrity.intact} files match the manifest{integrity.audit ? `; audit chain of ${integrity.audit.records} records intact` : ''}
            {redactedLines.size > 0 ? ` (${redactedLines.size} records were redacted: their links are checked, their own hashes cannot be)` : ''}.
          </p>
        ) : (
          <>
            <p className="error">
              Bundle TAMPERED: {integrity.problems.length} problem(s); {integrity.intact} files still match the manifest.
            </p>
            <ul aria-label="Integrity problems">
              {integrity.problems.map((p, i) => (
                <li key={i} className="error">
                  <code>{p.file}</code>: {p.problem}
                </li>
              ))}
            </ul>
          </>
        )}
      </div>

      <h4>Manifest</h4>
      <dl className="facts" aria-label="Manifest">
        <Fact k="Created" v={`${m.createdAt} by ${m.operator}`} />
        <Fact k="App" v={`${m.app.name} ${m.app.version}`} />
        <Fact k="Host" v={`${h.hostname} (${h.platform})`} />
        <Fact k="Kernel" v={h.kernel} />
        <Fact k="Lockdown" v={h.lockdown} />
        <Fact
          k="Taint"
          v={h.taint.value === null ? 'unknown' : h.taint.value === 0 ? 'not tainted' : `${h.taint.letters} (${h.taint.value})${h.taint.fwctl ? ' — fwctl debug writes happened' : ''}`}
          title={h.taint.flags.map((f) => `${f.letter}: ${f.meaning}`).join('\n')}
        />
        <Fact k="CAP_SYS_RAWIO" v={h.capSysRawio ? 'held' : 'not held'} />
        <Fact k="Policy max scope" v={h.policyMaxScope} />
        <Fact k="Redaction" v={redacted.length ? redacted.join(', ') : 'none (serials, MACs and host names as they were)'} />
      </dl>
      {m.notes.length > 0 && (
        <ul className="muted" aria-label="Collection notes">
          {m.notes.map((n, i) => (
            <li key={i}>{n}</li>
          ))}
        </ul>
      )}

      <h4>Files</h4>
      <table aria-label="Bundle files">
        <thead>
          <tr>
            <th>File</th>
            <th>Kind</th>
            <th>Bytes</th>
            <th>Check</th>
          </tr>
        </thead>
        <tbody>
          {review.files.map((f) => {
            const problem = integrity.problems.find((p) => p.file === f.path);
            return (
              <tr key={f.path} className={problem ? 'error' : undefined}>
                <td>
                  <code>{f.path}</code>
                </td>
                <td>{f.kind}</td>
                <td>{f.size}</td>
                <td>{problem ? problem.problem : 'matches the manifest'}</td>
              </tr>
            );
          })}
        </tbody>
      </table>

      <h4>Devices</h4>
      {review.inventory ? (
        <table aria-label="Device inventory">
          <thead>
            <tr>
              <th>Device</th>
              <th>Kind</th>
              <th>Protocol</th>
              <th>Id</th>
              <th>Present</th>
            </tr>
          </thead>
          <tbody>
            {review.inventory.devices.map((d) => (
              <tr key={d.id}>
                <td>{d.label}</td>
                <td>{d.kind}</td>
                <td>{d.protocol}</td>
                <td>
                  <code>{d.id}</code>
                </td>
                <td>{d.present ? 'yes' : 'no'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p className="muted">The bundle holds no readable device inventory.</p>
      )}

      <h4>Audit journal</h4>
      <p className="muted">
        {review.audit.records.length} records{review.audit.truncated ? ' (the newest shown)' : ''}
        {review.audit.unreadableLines > 0 ? `; ${review.audit.unreadableLines} lines are not records` : ''}
      </p>
      <div style={{ maxHeight: 360, overflow: 'auto' }}>
        <table aria-label="Bundled audit records">
          <thead>
            <tr>
              <th>#</th>
              <th>Time</th>
              <th>Kind</th>
              <th>Device</th>
              <th>Command</th>
              <th>Scope</th>
              <th>Outcome</th>
              <th>Operator</th>
            </tr>
          </thead>
          <tbody>
            {review.audit.records.map((r, i) => (
              <tr key={`${r.seq}-${i}`} className={r.outcome === 'denied' ? 'denied' : r.outcome === 'error' ? 'error' : undefined}>
                <td>{r.seq}</td>
                <td>{r.time}</td>
                <td>{r.kind}</td>
                <td>{r.device?.label ?? ''}</td>
                <td>{r.commandId ?? ''}</td>
                <td>{r.scope ?? ''}</td>
                <td title={r.message}>{r.outcome}</td>
                <td>{r.operator}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      <h4>Console transcripts</h4>
      {consoles.length === 0 ? <p className="muted">None in this bundle.</p> : consoles.map((f) => <BundledText key={f.path} bundleId={review.bundleId} path={f.path} />)}

      <h4>Recordings</h4>
      {recordings.length === 0 ? (
        <p className="muted">None in this bundle.</p>
      ) : (
        <ul aria-label="Bundled recordings">
          {recordings.map((f) => (
            <li key={f.path}>
              <code>{f.path}</code> <span className="muted">{f.size} bytes</span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

function Fact({ k, v, title }: { k: string; v: string; title?: string }) {
  return (
    <div title={title}>
      <dt>{k}</dt>
      <dd>{v}</dd>
    </div>
  );
}

/** One bundled text file, fetched when the reader opens it. */
function BundledText({ bundleId, path }: { bundleId: string; path: string }) {
  const client = useApp((s) => s.client);
  const reportError = useApp((s) => s.reportError);
  const [file, setFile] = useState<DiagBundleFile | null>(null);
  return (
    <details onToggle={(e) => (e.currentTarget.open && !file ? client!.request('diag.file', { bundleId, name: path }).then(setFile, reportError) : undefined)}>
      <summary>
        <code>{path}</code>
      </summary>
      {file &&
        (file.text !== undefined ? (
          <pre aria-label={`Transcript ${path}`} style={{ maxHeight: 300, overflow: 'auto', background: '#f1f3f5', padding: 8 }}>
            {file.text}
            {file.truncated ? '\n… (cut: the file is longer than the review limit)' : ''}
          </pre>
        ) : (
          <p className="muted">Binary file, {file.size} bytes.</p>
        ))}
    </details>
  );
}
