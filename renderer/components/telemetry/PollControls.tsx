import { useState } from 'react';
import { useApp } from '../../store/app-store';

type Source = 'smp-stats' | 'cxl-features';

/** Counters the host reads on an interval (SMP stats, CXL feature fields), plotted and recorded like a stream. */
export function PollControls({ sessionId, sources }: { sessionId: string; sources: Source[] }) {
  const runCommand = useApp((s) => s.runCommand);
  const [source, setSource] = useState<Source>(sources[0]);
  const [intervalMs, setIntervalMs] = useState(1000);
  const [status, setStatus] = useState<{ running?: boolean; reads?: number; failures?: number; lastError?: string } | null>(null);
  const toggle = async (on: boolean) => {
    const r = await runCommand<{ on: boolean; running?: boolean; reads?: number; failures?: number; lastError?: string }>(sessionId, 'telemetry.poll', 'debug-read-only', on ? { on, source, intervalMs } : { on });
    if (r) setStatus(r);
  };
  return (
    <div className="row" aria-label="Polling">
      <label>
        Poll
        <select value={source} onChange={(e) => setSource(e.target.value as Source)} aria-label="What to poll">
          {sources.map((s) => (
            <option key={s} value={s}>
              {s === 'smp-stats' ? 'SMP stats counters' : 'CXL feature fields'}
            </option>
          ))}
        </select>
      </label>
      <label>
        every
        <input type="number" min={100} max={3600000} step={100} value={intervalMs} onChange={(e) => setIntervalMs(Number(e.target.value))} aria-label="Poll interval in milliseconds" />
        ms
      </label>
      <button onClick={() => void toggle(!status?.running)} data-testid="poll-toggle" aria-pressed={!!status?.running}>
        {status?.running ? 'Stop polling' : 'Start polling'}
      </button>
      {status?.lastError && <span className="error">{status.lastError}</span>}
    </div>
  );
}
