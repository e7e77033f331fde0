import { useEffect, useRef, useState } from 'react';
import uPlot from 'uplot';
import type { RecordingView } from '../../electron/contract/channels';
import { useApp } from '../store/app-store';

/** Recordings reopened with no device: min/max per pixel column over the whole run, markers listed. */
export function RecordingsView() {
  const client = useApp((s) => s.client);
  const reportError = useApp((s) => s.reportError);
  const [list, setList] = useState<{ name: string; bytes: number; modified: string }[]>([]);
  const [view, setView] = useState<RecordingView | null>(null);
  const plotEl = useRef<HTMLDivElement>(null);

  useEffect(() => {
    client!.request('recordings.list', {}).then(setList, reportError);
  }, [client, reportError]);

  useEffect(() => {
    if (!view || !plotEl.current) return;
    const xs = [...view.channels[0]?.t ?? []].map((t) => t / 1000);
    const series: uPlot.Series[] = [{}];
    const data: (number | null)[][] = [xs];
    view.channels.forEach((ch, i) => {
      const color = `hsl(${(i * 67) % 360} 70% 45%)`;
      series.push({ label: `${ch.name} max`, stroke: color, width: 1, spanGaps: true }, { label: `${ch.name} min`, stroke: color, width: 1, dash: [4, 3], spanGaps: true });
      data.push([...ch.max].map((v) => (Number.isNaN(v) ? null : v)), [...ch.min].map((v) => (Number.isNaN(v) ? null : v)));
    });
    const plot = new uPlot({ width: plotEl.current.clientWidth || 900, height: 320, scales: { x: { time: true } }, series }, data as uPlot.AlignedData, plotEl.current);
    return () => plot.destroy();
  }, [view]);

  return (
    <section aria-label="Recordings">
      <h1>Recordings</h1>
      {list.length === 0 ? (
        <p className="muted">No recordings yet. Start one from a device's Telemetry panel.</p>
      ) : (
        <ul className="recordings">
          {list.map((r) => (
            <li key={r.name}>
              <button onClick={() => client!.request('recording.read', { name: r.name, buckets: 1200 }).then(setView, reportError)}>{r.name}</button>
              <span className="muted">
                {' '}
                {(r.bytes / 1024).toFixed(0)} KiB · {r.modified}
              </span>
            </li>
          ))}
        </ul>
      )}
      {view && (
        <div data-testid="recording-view">
          <h2>{view.name}</h2>
          <p className="muted">
            {new Date(view.startedAtMs).toLocaleString()} – {view.stoppedAtMs ? new Date(view.stoppedAtMs).toLocaleString() : 'not stopped cleanly (crash?)'}
            {view.tornBytes > 0 && ` · ${view.tornBytes} bytes after the last whole block were lost`}
            {view.damagedBlocks > 0 && ` · ${view.damagedBlocks} damaged blocks skipped`}
          </p>
          <table aria-label="Recorded channels">
            <tbody>
              {view.channels.map((c) => (
                <tr key={c.name}>
                  <th scope="row">{c.name}</th>
                  <td>{c.samples} samples</td>
                  <td>{c.unit}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <div ref={plotEl} role="img" aria-label={`Plot of ${view.name}`} />
          {view.markers.length > 0 && (
            <ul aria-label="Markers">
              {view.markers.map((m) => (
                <li key={m.t}>
                  {new Date(m.t).toLocaleTimeString()}: {m.text}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </section>
  );
}
