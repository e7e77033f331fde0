import { useEffect, useRef, useState } from 'react';
import uPlot from 'uplot';
import type { SessionInfo } from '../../electron/contract/devices';
import { useApp } from '../store/app-store';

const COLORS = ['#e6194b', '#3cb44b', '#4363d8', '#f58231', '#911eb4', '#42d4f4', '#f032e6', '#9a6324'];

export function TelemetryPanel({ session }: { session: SessionInfo }) {
  const runCommand = useApp((s) => s.runCommand);
  const telemetry = useApp((s) => s.telemetry);
  const [streaming, setStreaming] = useState(false);
  const [windowS, setWindowS] = useState(10);
  const [paused, setPaused] = useState(false);
  const [latest, setLatest] = useState<{ name: string; unit: string; value: number }[]>([]);
  const plotEl = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);

  useEffect(() => {
    void runCommand(session.id, 'telemetry.stream', 'debug-read-only', { on: true }).then((r) => setStreaming(r !== null));
    return () => void runCommand(session.id, 'telemetry.stream', 'debug-read-only', { on: false });
  }, [session.id, runCommand]);

  useEffect(() => {
    let seen = -1;
    let channelsKey = '';
    const timer = setInterval(() => {
      const buf = telemetry.get(session.id);
      if (!buf || buf.version === seen || paused) return;
      seen = buf.version;
      const last = buf.latest();
      if (last) setLatest(buf.channels.map((c, i) => ({ name: c.name, unit: c.unit, value: last[i] })));
      const data = buf.window(Date.now() - windowS * 1000);
      const key = buf.channels.map((c) => c.name).join(',');
      if (!plot.current || key !== channelsKey) {
        plot.current?.destroy();
        channelsKey = key;
        plot.current = new uPlot(
          {
            width: plotEl.current!.clientWidth || 800,
            height: 320,
            scales: { x: { time: true } },
            series: [{}, ...buf.channels.map((c, i) => ({ label: `${c.name} (${c.unit})`, stroke: COLORS[i % COLORS.length], width: 1 }))],
            axes: [{}, {}],
          },
          data as uPlot.AlignedData,
          plotEl.current!,
        );
      } else plot.current.setData(data as uPlot.AlignedData);
    }, 100);
    return () => {
      clearInterval(timer);
      plot.current?.destroy();
      plot.current = null;
    };
  }, [session.id, telemetry, windowS, paused]);

  return (
    <div>
      <div className="row">
        <span className="muted">{streaming ? 'Streaming' : 'Not streaming'}</span>
        <button onClick={() => setPaused((p) => !p)} aria-pressed={paused}>
          {paused ? 'Resume' : 'Pause'}
        </button>
        <label>
          Window
          <select value={windowS} onChange={(e) => setWindowS(Number(e.target.value))} aria-label="Time window">
            {[5, 10, 30, 60, 300].map((s) => (
              <option key={s} value={s}>
                {s} s
              </option>
            ))}
          </select>
        </label>
      </div>
      <table className="latest" aria-label="Latest telemetry values">
        <tbody>
          {latest.map((c) => (
            <tr key={c.name}>
              <th scope="row">{c.name}</th>
              <td data-testid={`telemetry-${c.name}`}>{c.value.toFixed(3)}</td>
              <td>{c.unit}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <div ref={plotEl} className="plot" aria-label="Telemetry plot" role="img" />
    </div>
  );
}
