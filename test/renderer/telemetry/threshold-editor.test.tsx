import { fireEvent, render, screen } from '@testing-library/react';
import { useState } from 'react';
import { ThresholdEditor } from '../../../renderer/components/telemetry/ThresholdEditor';
import type { ThresholdSpec } from '../../../renderer/components/telemetry/threshold-alarm';

const CHANNELS = [
  { name: 'vin', unit: 'V' },
  { name: 'temp', unit: '°C' },
];

function Harness({ seen }: { seen: ThresholdSpec[][] }) {
  const [t, setT] = useState<ThresholdSpec[]>([]);
  return (
    <ThresholdEditor
      channels={CHANNELS}
      thresholds={t}
      onChange={(next) => {
        seen.push(next);
        setT(next);
      }}
    />
  );
}

describe('ThresholdEditor', () => {
  it('adds, replaces and removes thresholds', () => {
    const seen: ThresholdSpec[][] = [];
    render(<Harness seen={seen} />);
    fireEvent.change(screen.getByLabelText('Threshold channel'), { target: { value: 'temp' } });
    fireEvent.change(screen.getByLabelText('Threshold level'), { target: { value: '85' } });
    fireEvent.change(screen.getByLabelText('Threshold hysteresis'), { target: { value: '2' } });
    fireEvent.click(screen.getByRole('button', { name: 'Add threshold' }));
    expect(seen.at(-1)).toEqual([{ channel: 'temp', direction: 'above', level: 85, hysteresis: 2 }]);
    // Same channel and direction replaces the level.
    fireEvent.change(screen.getByLabelText('Threshold level'), { target: { value: '90' } });
    fireEvent.click(screen.getByRole('button', { name: 'Add threshold' }));
    expect(seen.at(-1)).toEqual([{ channel: 'temp', direction: 'above', level: 90, hysteresis: 2 }]);
    fireEvent.click(screen.getByRole('button', { name: 'Remove threshold temp above 90' }));
    expect(seen.at(-1)).toEqual([]);
  });

  it.each([
    ['', '0', /Enter a level/],
    ['abc', '0', /The level "abc" is not a number/],
    ['5', 'x', /The hysteresis "x" is not a number/],
    ['5', '-1', /hysteresis for vin must be zero or a positive number/],
  ])('refuses level %j with hysteresis %j', (level, hyst, message) => {
    const seen: ThresholdSpec[][] = [];
    render(<Harness seen={seen} />);
    fireEvent.change(screen.getByLabelText('Threshold level'), { target: { value: level } });
    fireEvent.change(screen.getByLabelText('Threshold hysteresis'), { target: { value: hyst } });
    fireEvent.click(screen.getByRole('button', { name: 'Add threshold' }));
    expect(screen.getByRole('alert').textContent).toMatch(message);
    expect(seen).toEqual([]);
  });
});
