import { useState } from 'react';
import { useApp } from '../../store/app-store';

/** Start/stop a recording of the session's telemetry and drop markers into it. */
export function RecordingControls({ sessionId, onChange }: { sessionId: string; onChange?: (recording: boolean) => void }) {
  const runCommand = useApp((s) => s.runCommand);
  const notify = useApp((s) => s.notify);
  const [recording, setRecording] = useState<string | null>(null);
  const [marker, setMarker] = useState('');
  const [csv, setCsv] = useState(false);

  const toggle = async () => {
    if (recording) {
      const r = await runCommand<{ samples: number; paths: Record<string, string> }>(sessionId, 'telemetry.record', 'debug-read-only', { on: false });
      setRecording(null);
      onChange?.(false);
      if (r) notify({ kind: 'info', text: `Recorded ${r.samples} samples to ${Object.values(r.paths).join(', ')}.` });
    } else {
      const r = await runCommand<{ paths: Record<string, string> }>(sessionId, 'telemetry.record', 'debug-read-only', { on: true, formats: csv ? ['fwtl', 'csv'] : ['fwtl'] });
      if (r) {
        setRecording(Object.values(r.paths)[0] ?? 'recording');
        onChange?.(true);
      }
    }
  };

  return (
    <div className="row" aria-label="Recording">
      <button onClick={() => void toggle()} aria-pressed={recording !== null} data-testid="record-toggle">
        {recording ? '■ Stop recording' : '● Record'}
      </button>
      {!recording && (
        <label>
          <input type="checkbox" checked={csv} onChange={(e) => setCsv(e.target.checked)} /> also CSV
        </label>
      )}
      {recording && (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            if (!marker) return;
            void runCommand(sessionId, 'telemetry.mark', 'debug-read-only', { text: marker }).then(() => setMarker(''));
          }}
        >
          <input value={marker} onChange={(e) => setMarker(e.target.value)} aria-label="Marker text" placeholder="marker text" />
          <button type="submit">Add marker</button>
        </form>
      )}
      {recording && <span className="muted">recording to {recording}</span>}
    </div>
  );
}
