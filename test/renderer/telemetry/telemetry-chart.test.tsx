import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { TelemetryChart, type FrameStats } from '../../../renderer/components/telemetry/TelemetryChart';
import { TelemetryBuffer } from '../../../renderer/store/telemetry-buffer';
import type { TelemetryChannel } from '../../../electron/contract/events';

// happy-dom has no 2D canvas: a context that accepts every call and records the ones the tests look at.
const strokes: { style: string; dash: number[] }[] = [];
function stubContext(): CanvasRenderingContext2D {
  const state = { strokeStyle: '', dash: [] as number[] };
  return new Proxy({} as Record<string | symbol, unknown>, {
    get(target, key) {
      if (key === 'measureText') return (s: string) => ({ width: s.length * 6, actualBoundingBoxAscent: 8, actualBoundingBoxDescent: 2 });
      if (key === 'setLineDash') return (d: number[]) => (state.dash = d);
      if (key === 'stroke') return () => strokes.push({ style: state.strokeStyle, dash: state.dash });
      if (key === 'strokeStyle') return state.strokeStyle;
      if (key in target) return target[key];
      return () => undefined;
    },
    set(target, key, value) {
      if (key === 'strokeStyle') state.strokeStyle = value;
      target[key] = value;
      return true;
    },
  }) as unknown as CanvasRenderingContext2D;
}

beforeAll(() => {
  // uPlot builds its paths as Path2D objects; the stub only has to accept the calls.
  (globalThis as Record<string, unknown>).Path2D ??= class {
    constructor() {
      return new Proxy(this, { get: (t, k) => (k in t ? (t as Record<string | symbol, unknown>)[k] : () => undefined) });
    }
  };
  HTMLCanvasElement.prototype.getContext = function () {
    return stubContext();
  } as never;
});

const CHANNELS: TelemetryChannel[] = [
  { name: 'vin', unit: 'V' },
  { name: 'v3v3', unit: 'V' },
  { name: 'temp', unit: '°C' },
];

/** One sample every 100 ms from t, with the given vin values (others fixed). */
function feed(buf: TelemetryBuffer, t: number, vin: number[]) {
  buf.append({
    type: 'telemetry',
    sessionId: 's',
    channels: CHANNELS,
    t: Float64Array.from(vin, (_, i) => t + i * 100),
    values: [Float32Array.from(vin), Float32Array.from(vin, () => 3.3), Float32Array.from(vin, () => 41.5)],
  });
}

const nextFrame = () => act(() => new Promise<void>((r) => requestAnimationFrame(() => setTimeout(r, 0))));

describe('TelemetryChart', () => {
  it('renders channels, an accessible plot and the latest values table', async () => {
    const buf = new TelemetryBuffer(10_000);
    feed(buf, 1_000_000, [11.9, 12.0, 12.1]);
    render(<TelemetryChart buffer={buf} label="Board telemetry" />);
    const plot = await screen.findByRole('img', { name: /Board telemetry: vin \(V\), v3v3 \(V\), temp \(°C\)/ });
    await waitFor(() => expect(plot.querySelector('canvas')).not.toBeNull());
    expect(screen.getByTestId('telemetry-vin').textContent).toBe('12.100');
    expect(screen.getByTestId('telemetry-temp').textContent).toBe('41.500');
    expect(screen.getByRole('table', { name: 'Latest telemetry values' })).toBeTruthy();
    for (const name of ['Pause', 'Live', 'Earlier', 'Later', 'Zoom out']) expect(screen.getByRole('button', { name })).toBeTruthy();
    expect(screen.getByRole('combobox', { name: 'Time window' })).toBeTruthy();
    // Two units, two y axes (uPlot puts one div per axis in the plot).
    expect(plot.querySelectorAll('.u-axis').length).toBe(3);
  });

  it('redraws once per frame when data arrives, follows the window, and stops while paused', async () => {
    const buf = new TelemetryBuffer(10_000);
    const frames: FrameStats[] = [];
    feed(buf, 0, Array.from({ length: 600 }, (_, i) => i)); // 60 s at 10 Hz
    render(<TelemetryChart buffer={buf} initialWindowMs={5_000} onFrame={(f) => frames.push(f)} />);
    await waitFor(() => expect(frames.length).toBeGreaterThan(0));
    await nextFrame();
    expect(frames.at(-1)!.points).toBe(51); // 5 s window, both ends included
    const before = frames.length;
    act(() => {
      for (let k = 0; k < 10; k++) feed(buf, 60_000 + k * 100, [1]);
    });
    await nextFrame();
    expect(frames.length).toBe(before + 1);

    fireEvent.change(screen.getByRole('combobox', { name: 'Time window' }), { target: { value: '60000' } });
    await nextFrame();
    expect(frames.at(-1)!.points).toBe(601);

    fireEvent.click(screen.getByRole('button', { name: 'Pause' }));
    expect(screen.getByRole('button', { name: 'Pause' }).getAttribute('aria-pressed')).toBe('true');
    expect(screen.getByTestId('telemetry-mode').textContent).toBe('Paused');
    await nextFrame();
    const paused = frames.length;
    act(() => feed(buf, 70_000, [42, 43]));
    await nextFrame();
    await nextFrame();
    expect(frames.length).toBe(paused);
    // The latest-values table keeps going while the plot is frozen.
    await waitFor(() => expect(screen.getByTestId('telemetry-vin').textContent).toBe('43.000'));

    fireEvent.click(screen.getByRole('button', { name: 'Live' }));
    expect(screen.getByTestId('telemetry-mode').textContent).toBe('Live');
    await nextFrame();
    expect(frames.length).toBe(paused + 1);
    expect((screen.getByRole('button', { name: 'Live' }) as HTMLButtonElement).disabled).toBe(true);
  });

  it('moves into history with Earlier and back with Live', async () => {
    const buf = new TelemetryBuffer(10_000);
    feed(buf, 0, Array.from({ length: 300 }, (_, i) => i));
    const frames: FrameStats[] = [];
    render(<TelemetryChart buffer={buf} initialWindowMs={10_000} onFrame={(f) => frames.push(f)} />);
    await waitFor(() => expect(frames.length).toBeGreaterThan(0));
    fireEvent.click(screen.getByRole('button', { name: 'Earlier' }));
    expect(screen.getByTestId('telemetry-mode').textContent).toBe('History');
    expect((screen.getByRole('button', { name: 'Later' }) as HTMLButtonElement).disabled).toBe(false);
    await nextFrame();
    // Half a window back: [14.9 s, 24.9 s] holds 101 samples.
    expect(frames.at(-1)!.points).toBe(101);
    fireEvent.click(screen.getByRole('button', { name: 'Live' }));
    expect(screen.getByTestId('telemetry-mode').textContent).toBe('Live');
  });

  it('toggles a channel from its legend button', async () => {
    const buf = new TelemetryBuffer(1_000);
    feed(buf, 0, [1, 2]);
    render(<TelemetryChart buffer={buf} />);
    const toggle = await screen.findByRole('button', { name: 'Show v3v3' });
    expect(toggle.getAttribute('aria-pressed')).toBe('true');
    fireEvent.click(toggle);
    expect(toggle.getAttribute('aria-pressed')).toBe('false');
    fireEvent.click(toggle);
    expect(toggle.getAttribute('aria-pressed')).toBe('true');
  });

  it('flags a channel and calls onAlarm once per crossing, with hysteresis', async () => {
    const buf = new TelemetryBuffer(10_000);
    feed(buf, 0, [11, 11.5]);
    const alarms: [string, number, number][] = [];
    render(
      <TelemetryChart buffer={buf} thresholds={[{ channel: 'vin', level: 12, direction: 'above', hysteresis: 0.5 }]} onAlarm={(c, v, t) => alarms.push([c, v, t])} />,
    );
    await screen.findByTestId('telemetry-vin');
    expect(screen.getByTestId('telemetry-alarm-vin').textContent).toMatch(/^ok/);
    // 12.5 crosses; 11.8 and 12.4 stay inside the hysteresis band; 11.4 re-arms; 12.2 crosses again.
    act(() => feed(buf, 1_000, [12.5, 11.8, 12.4, 11.4, 12.25]));
    expect(alarms).toEqual([
      ['vin', 12.5, 1_000],
      ['vin', 12.25, 1_400],
    ]);
    await waitFor(() => expect(screen.getByTestId('telemetry-alarm-vin').textContent).toMatch(/ALARM/));
    expect(screen.getByTestId('telemetry-vin').getAttribute('data-alarm')).toBe('true');
    expect(screen.getByRole('status').textContent).toBe('Alarm: vin');
    await nextFrame();
    expect(strokes.some((s) => s.style === '#c92a2a' && s.dash.join() === '6,4')).toBe(true);
    act(() => feed(buf, 2_000, [11]));
    await waitFor(() => expect(screen.getByTestId('telemetry-alarm-vin').textContent).toMatch(/^ok/));
    expect(alarms.length).toBe(2);
  });

  it('alarms at once on a new threshold the latest value is already past, and keeps checking while paused', async () => {
    const buf = new TelemetryBuffer(10_000);
    feed(buf, 0, [13]);
    const alarms: number[] = [];
    const { rerender } = render(<TelemetryChart buffer={buf} onAlarm={(_c, v) => alarms.push(v)} />);
    await screen.findByTestId('telemetry-vin');
    rerender(<TelemetryChart buffer={buf} thresholds={[{ channel: 'vin', level: 10, direction: 'below', hysteresis: 0 }]} onAlarm={(_c, v) => alarms.push(v)} />);
    expect(alarms).toEqual([]);
    fireEvent.click(screen.getByRole('button', { name: 'Pause' }));
    act(() => feed(buf, 100, [9.5, 10, 9]));
    expect(alarms).toEqual([9.5, 9]);
    rerender(<TelemetryChart buffer={buf} thresholds={[{ channel: 'vin', level: 10, direction: 'above', hysteresis: 0 }, { channel: 'vin', level: 8, direction: 'above' }]} onAlarm={(_c, v) => alarms.push(v)} />);
    // The latest value (9) is already above 8 but not above 10.
    expect(alarms).toEqual([9.5, 9, 9]);
  });

  it('shows an empty plot until the first batch arrives', async () => {
    render(<TelemetryChart buffer={null} />);
    expect(screen.getByRole('img', { name: /no data yet/ })).toBeTruthy();
  });
});
