import { ThresholdAlarm, checkThreshold } from '../../../renderer/components/telemetry/threshold-alarm';
import { goLive, liveView, pan, pause, rangeOf, setWindow, zoomAround, zoomTo, checkWindow, describeWindow, WINDOW_CHOICES_MS } from '../../../renderer/components/telemetry/view-state';
import { planAxes } from '../../../renderer/components/telemetry/axis-layout';
import { FrameScheduler } from '../../../renderer/components/telemetry/frame-scheduler';
import { ColumnCache, plotColumns } from '../../../renderer/components/telemetry/plot-data';
import { TelemetryBuffer } from '../../../renderer/store/telemetry-buffer';

describe('ThresholdAlarm', () => {
  it('fires once per crossing above, re-arming only past the hysteresis', () => {
    const a = new ThresholdAlarm({ channel: 'vin', level: 5, direction: 'above', hysteresis: 1 });
    const fired = [4, 6, 5.5, 4.5, 6, 7, 3.9, 4.2, 5.01, NaN, 4.01].map((v) => a.feed(v));
    expect(fired).toEqual([false, true, false, false, false, false, false, false, true, false, false]);
    expect(a.active).toBe(true);
    a.feed(4);
    expect(a.active).toBe(false);
  });

  it('fires below a level, and with zero hysteresis re-arms at the level', () => {
    const a = new ThresholdAlarm({ channel: 'v', level: 3, direction: 'below' });
    expect([3, 2.9, 2.5, 3, 2.99].map((v) => a.feed(v))).toEqual([false, true, false, false, true]);
  });

  it.each([
    [{ channel: '', level: 1, direction: 'above' }, /needs a channel name/],
    [{ channel: 'a', level: NaN, direction: 'above' }, /finite level/],
    [{ channel: 'a', level: Infinity, direction: 'below' }, /finite level/],
    [{ channel: 'a', level: 1, direction: 'sideways' }, /"above" or "below"/],
    [{ channel: 'a', level: 1, direction: 'above', hysteresis: -1 }, /zero or a positive number/],
    [{ channel: 'a', level: 1, direction: 'above', hysteresis: NaN }, /zero or a positive number/],
  ])('refuses %j', (spec, message) => {
    expect(() => checkThreshold(spec as never)).toThrow(message);
    expect(() => new ThresholdAlarm(spec as never)).toThrow(message);
  });
});

describe('view rules', () => {
  it('follows the newest sample live, freezes on pause, and returns on Live', () => {
    let v = liveView(10_000);
    expect(rangeOf(v, null)).toBeNull();
    expect(rangeOf(v, 50_000)).toEqual([40_000, 50_000]);
    v = pause(v, 50_000);
    expect(v.mode).toBe('paused');
    expect(rangeOf(v, 90_000)).toEqual([40_000, 50_000]);
    expect(pause(v, 99_000)).toBe(v);
    v = goLive(v);
    expect(rangeOf(v, 90_000)).toEqual([80_000, 90_000]);
  });

  it('zooms and pans into history and changes the window', () => {
    let v = zoomTo(liveView(5_000), 300, 100);
    expect(v.mode).toBe('history');
    expect(rangeOf(v, 1e6)).toEqual([100, 300]);
    v = pan(v, 1e6, -0.5);
    expect(rangeOf(v, 1e6)).toEqual([0, 200]);
    v = zoomAround(v, 1e6, 50, 2);
    expect(rangeOf(v, 1e6)).toEqual([-50, 350]);
    v = setWindow(v, 60_000);
    expect(rangeOf(v, 1e6)).toEqual([350 - 60_000, 350]);
    expect(rangeOf(setWindow(liveView(5_000), 600_000), 1e6)).toEqual([400_000, 1e6]);
    expect(rangeOf(zoomTo(v, 10, 10), 0)).toEqual([9.5, 10.5]); // never narrower than 1 ms
  });

  it('offers 5 s … 10 min and refuses windows outside it', () => {
    expect(WINDOW_CHOICES_MS[0]).toBe(5_000);
    expect(WINDOW_CHOICES_MS.at(-1)).toBe(600_000);
    expect(describeWindow(5_000)).toBe('5 s');
    expect(describeWindow(600_000)).toBe('10 min');
    expect(() => checkWindow(1_000)).toThrow(/between 5 s and 10 min/);
    expect(() => liveView(700_000)).toThrow(/between 5 s and 10 min/);
    expect(() => setWindow(liveView(5_000), NaN)).toThrow(/between 5 s and 10 min/);
  });
});

describe('axis plan', () => {
  it('groups channels by unit, at most three axes shown', () => {
    const p = planAxes([
      { name: 'vin', unit: 'V' },
      { name: 't', unit: '°C' },
      { name: 'v3', unit: 'V' },
      { name: 'i', unit: 'A' },
      { name: 'rpm', unit: 'rpm' },
    ]);
    expect(p.scaleOf).toEqual(['unit:V', 'unit:°C', 'unit:V', 'unit:A', 'unit:rpm']);
    expect(p.axes.map((a) => [a.unit, a.side, a.shown, a.channels])).toEqual([
      ['V', 'left', true, ['vin', 'v3']],
      ['°C', 'right', true, ['t']],
      ['A', 'right', true, ['i']],
      ['rpm', 'right', false, ['rpm']],
    ]);
  });
});

describe('FrameScheduler', () => {
  it('draws once per frame however often it is invalidated, and not after dispose', () => {
    const frames: ((now: number) => void)[] = [];
    let draws = 0;
    const s = new FrameScheduler(
      () => draws++,
      (cb) => frames.push(cb),
      () => frames.pop(),
    );
    s.invalidate();
    s.invalidate();
    s.invalidate();
    expect(frames.length).toBe(1);
    frames.shift()!(0);
    expect(draws).toBe(1);
    frames.length = 0;
    s.invalidate();
    expect(s.scheduled).toBe(true);
    s.dispose();
    expect(frames.length).toBe(0);
    s.invalidate();
    expect(frames.length).toBe(0);
  });
});

describe('plot columns', () => {
  const buf = new TelemetryBuffer(10_000);
  const t = Float64Array.from({ length: 1000 }, (_, i) => i);
  buf.append({ type: 'telemetry', sessionId: 's', channels: [{ name: 'a', unit: 'V' }], t, values: [Float32Array.from(t, (x) => (x % 10 === 0 ? 100 : x % 7))] });

  it('passes raw samples through when they fit in two points per column', () => {
    const { data, decimated } = plotColumns(buf, 0, 99, 60);
    expect(decimated).toBe(false);
    expect(data[0].length).toBe(100);
    expect(data[0][1]).toBe(0.001);
  });

  it('gives a min and a max point per pixel column otherwise, keeping every spike', () => {
    const { data, decimated } = plotColumns(buf, 0, 999, 50);
    expect(decimated).toBe(true);
    expect(data[0].length).toBe(100);
    const ys = data[1] as number[];
    for (let k = 0; k < 50; k++) {
      expect(ys[2 * k]).toBe(0);
      expect(ys[2 * k + 1]).toBe(100);
    }
  });

  it('breaks the line over a hole in the data', () => {
    const b = new TelemetryBuffer(10_000);
    const tt = Float64Array.from({ length: 2000 }, (_, i) => (i < 1000 ? i : i + 5000));
    b.append({ type: 'telemetry', sessionId: 's', channels: [{ name: 'a', unit: 'V' }], t: tt, values: [Float32Array.from(tt, () => 1)] });
    const { data } = plotColumns(b, 0, 6999, 70);
    expect((data[1] as (number | null)[]).filter((y) => y === null).length).toBe(1);
  });

  it('reuses finished columns while the live window slides, and matches a fresh computation', () => {
    const b = new TelemetryBuffer(5_000); // wraps during the test, so aged-out columns must be recomputed
    const cache = new ColumnCache();
    let t = 0;
    let v = 0;
    const push = (n: number) => {
      const tt = Float64Array.from({ length: n }, () => (t += 1));
      b.append({ type: 'telemetry', sessionId: 's', channels: [{ name: 'a', unit: 'V' }, { name: 'b', unit: 'A' }], t: tt, values: [Float32Array.from(tt, () => Math.sin(v++ / 50)), Float32Array.from(tt, (x) => x % 97)] });
    };
    push(5_100);
    expect(b.capacity).toBe(5_120);
    const window = 6_000; // wider than the ring holds: the oldest columns lose samples as it wraps
    const cols = 300;
    for (let step = 0; step < 40; step++) {
      const latest = b.latestTime()!;
      const cached = plotColumns(b, latest - window, latest, cols, cache);
      const fresh = plotColumns(b, latest - window, latest, cols);
      expect(cached.decimated).toBe(true);
      expect(cached.data).toEqual(fresh.data);
      if (step > 0) expect(cache.computed).toBeLessThanOrEqual(4); // the newest column or two, and the oldest one
      push(7);
    }
    expect(b.firstIndex).toBeGreaterThan(200);
    // A clock reset or new channel set drops the cache instead of serving stale columns.
    b.clear();
    push(4_000);
    const latest = b.latestTime()!;
    expect(plotColumns(b, latest - window, latest, cols, cache).data).toEqual(plotColumns(b, latest - window, latest, cols).data);
    expect(cache.computed).toBeGreaterThanOrEqual(200); // every column holding data, none served from before the reset
  });
});
