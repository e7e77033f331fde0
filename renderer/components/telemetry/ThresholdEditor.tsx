// Add and remove alarm thresholds: channel, direction, level and the
// hysteresis that re-arms the alarm. Bad input is refused with the reason.
import { useState } from 'react';
import { checkThreshold, type ThresholdDirection, type ThresholdSpec } from './threshold-alarm';

export function ThresholdEditor({ channels, thresholds, onChange }: { channels: { name: string; unit: string }[]; thresholds: ThresholdSpec[]; onChange(next: ThresholdSpec[]): void }) {
  const [channel, setChannel] = useState('');
  const [direction, setDirection] = useState<ThresholdDirection>('above');
  const [level, setLevel] = useState('');
  const [hysteresis, setHysteresis] = useState('0');
  const [error, setError] = useState<string | null>(null);
  const chosen = channel || channels[0]?.name || '';
  const unit = channels.find((c) => c.name === chosen)?.unit ?? '';

  const add = () => {
    try {
      if (level.trim() === '') throw new RangeError('Enter a level for the threshold.');
      if (!Number.isFinite(Number(level))) throw new RangeError(`The level "${level}" is not a number.`);
      if (hysteresis.trim() !== '' && !Number.isFinite(Number(hysteresis))) throw new RangeError(`The hysteresis "${hysteresis}" is not a number.`);
      const spec = checkThreshold({ channel: chosen, direction, level: Number(level), hysteresis: hysteresis.trim() === '' ? 0 : Number(hysteresis) });
      onChange([...thresholds.filter((t) => !(t.channel === spec.channel && t.direction === spec.direction)), spec]);
      setError(null);
      setLevel('');
    } catch (e) {
      setError((e as Error).message);
    }
  };

  return (
    <fieldset className="threshold-editor">
      <legend>Alarm thresholds</legend>
      <div className="row">
        <select aria-label="Threshold channel" value={chosen} onChange={(e) => setChannel(e.target.value)} disabled={channels.length === 0}>
          {channels.map((c) => (
            <option key={c.name} value={c.name}>
              {c.name}
            </option>
          ))}
        </select>
        <select aria-label="Threshold direction" value={direction} onChange={(e) => setDirection(e.target.value as ThresholdDirection)}>
          <option value="above">above</option>
          <option value="below">below</option>
        </select>
        <label>
          Level <input aria-label="Threshold level" inputMode="decimal" size={8} value={level} onChange={(e) => setLevel(e.target.value)} /> {unit}
        </label>
        <label>
          Hysteresis <input aria-label="Threshold hysteresis" inputMode="decimal" size={6} value={hysteresis} onChange={(e) => setHysteresis(e.target.value)} /> {unit}
        </label>
        <button type="button" onClick={add} disabled={channels.length === 0}>
          Add threshold
        </button>
      </div>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {thresholds.length > 0 && (
        <ul className="threshold-list">
          {thresholds.map((t) => (
            <li key={`${t.channel}:${t.direction}`}>
              {t.channel} {t.direction} {t.level} (hysteresis {t.hysteresis ?? 0}){' '}
              <button type="button" aria-label={`Remove threshold ${t.channel} ${t.direction} ${t.level}`} onClick={() => onChange(thresholds.filter((x) => x !== t))}>
                Remove
              </button>
            </li>
          ))}
        </ul>
      )}
    </fieldset>
  );
}
