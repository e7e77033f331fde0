// One row per channel: a toggle that shows or hides its trace, the value
// under the cursor, the latest value (a plain-text table a screen reader can
// walk), the unit, and the alarm state spelled out, not only coloured.
import { channelColor } from './axis-layout';
import type { ThresholdSpec } from './threshold-alarm';

export interface ChannelRow {
  name: string;
  unit: string;
  latest: number | null;
  atCursor: number | null;
  hidden: boolean;
  alarm: boolean;
  thresholds: ThresholdSpec[];
}

export function formatValue(v: number | null): string {
  if (v === null || v !== v) return '—';
  const a = Math.abs(v);
  return a !== 0 && (a >= 1e6 || a < 1e-3) ? v.toExponential(3) : v.toFixed(3);
}

export function ChannelTable({ rows, cursorTime, onToggle }: { rows: ChannelRow[]; cursorTime: number | null; onToggle(name: string): void }) {
  return (
    <table className="telemetry-channels" aria-label="Latest telemetry values">
      <thead>
        <tr>
          <th scope="col">Channel</th>
          <th scope="col">{cursorTime === null ? 'At cursor' : `At ${new Date(cursorTime).toLocaleTimeString()}.${String(Math.floor(cursorTime % 1000)).padStart(3, '0')}`}</th>
          <th scope="col">Latest</th>
          <th scope="col">Unit</th>
          <th scope="col">Alarm</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r, i) => (
          <tr key={r.name} className={r.alarm ? 'alarm' : undefined} data-channel={r.name}>
            <th scope="row">
              <button
                type="button"
                className="channel-toggle"
                aria-pressed={!r.hidden}
                aria-label={`Show ${r.name}`}
                title={r.hidden ? `Show ${r.name} on the plot` : `Hide ${r.name} from the plot`}
                onClick={() => onToggle(r.name)}
              >
                <span className="swatch" style={{ background: r.hidden ? 'transparent' : channelColor(i), borderColor: channelColor(i) }} aria-hidden="true" />
                {r.name}
              </button>
            </th>
            <td className="num" data-testid={`telemetry-cursor-${r.name}`}>
              {formatValue(r.atCursor)}
            </td>
            <td className="num" data-testid={`telemetry-${r.name}`} data-alarm={r.alarm ? 'true' : undefined}>
              {formatValue(r.latest)}
            </td>
            <td>{r.unit}</td>
            <td data-testid={`telemetry-alarm-${r.name}`}>
              {r.alarm ? <strong className="alarm-text">ALARM</strong> : r.thresholds.length ? 'ok' : ''}
              {r.thresholds.map((t) => (
                <span key={`${t.direction}${t.level}`} className="muted">
                  {' '}
                  {t.direction === 'above' ? '>' : '<'} {t.level}
                </span>
              ))}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
