import { useApp } from '../store/app-store';

/** Errors in plain words, with the engineer's detail one click away. */
export function Notices() {
  const notices = useApp((s) => s.notices);
  const dismiss = useApp((s) => s.dismiss);
  return (
    <div className="notices" aria-live="assertive">
      {notices.map((n) => (
        <div key={n.id} className={`notice ${n.kind}`} role={n.kind === 'error' ? 'alert' : 'status'} data-code={n.code}>
          <span>{n.text}</span>
          {n.detail && (
            <details>
              <summary>Details</summary>
              <code>{n.detail}</code>
            </details>
          )}
          <button onClick={() => dismiss(n.id)} aria-label="Dismiss message">
            ×
          </button>
        </div>
      ))}
    </div>
  );
}
