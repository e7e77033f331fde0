import { TelemetryBuffer, MAX_CHANNELS } from '../../../renderer/store/telemetry-buffer';
import type { TelemetryBatch, TelemetryChannel } from '../../../electron/contract/events';

function batch(channels: (string | TelemetryChannel)[], t: number[], values: number[][]): TelemetryBatch {
  return {
    type: 'telemetry',
    sessionId: 's1',
    channels: channels.map((c) => (typeof c === 'string' ? { name: c, unit: 'V' } : c)),
    t: Float64Array.from(t),
    values: values.map((v) => Float32Array.from(v)),
  };
}

/** Deterministic noise so failures reproduce. */
function lcg(seed: number) {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

/** Brute force over every sample held, with the same column edges as decimate(). */
function bruteDecimate(ts: number[], vs: number[], t0: number, t1: number, columns: number) {
  const edges = Array.from({ length: columns + 1 }, (_, k) => t0 + ((t1 - t0) * k) / columns);
  const min = new Array(columns).fill(NaN);
  const max = new Array(columns).fill(NaN);
  const count = new Array(columns).fill(0);
  ts.forEach((t, i) => {
    if (t < t0 || t > t1) return;
    let k = 0;
    while (k < columns - 1 && t >= edges[k + 1]) k++;
    count[k]++;
    const v = vs[i];
    if (v !== v) return;
    if (!(min[k] <= v)) min[k] = v;
    if (!(max[k] >= v)) max[k] = v;
  });
  return { min, max, count };
}

function expectSame(actual: ArrayLike<number>, expected: number[]) {
  expect(Array.from(actual)).toEqual(expected.map((v) => (v !== v ? NaN : Math.fround(v))));
}

describe('TelemetryBuffer', () => {
  it('appends columnar batches and answers latest(), span() and readRange()', () => {
    const b = new TelemetryBuffer(1000);
    b.append(batch(['a', 'b'], [10, 20, 30], [[1, 2, 3], [4, 5, 6]]));
    b.append(batch(['a', 'b'], [40], [[7], [8]]));
    expect(b.length).toBe(4);
    expect(b.latest()).toEqual([7, 8]);
    expect(b.latestTime()).toBe(40);
    expect(b.span()).toEqual({ from: 10, to: 40 });
    const r = b.readRange(20, 30);
    expect(Array.from(r.t)).toEqual([20, 30]);
    expect(r.values.map((v) => Array.from(v))).toEqual([[2, 3], [5, 6]]);
    expect(b.window(25)).toEqual([[0.03, 0.04], [3, 7], [6, 8]]);
    expect(b.version).toBe(2);
  });

  it('decimation matches brute force over random windows and column counts, with NaN gaps', () => {
    const rnd = lcg(7);
    const b = new TelemetryBuffer(300_000);
    const ts: number[] = [];
    const vs: number[][] = [[], []];
    let t = 1_000_000;
    for (let k = 0; k < 40; k++) {
      const n = 1 + Math.floor(rnd() * 5000);
      const bt: number[] = [];
      const bv: number[][] = [[], []];
      for (let i = 0; i < n; i++) {
        t += rnd() < 0.01 ? 500 : rnd() * 2; // some repeated times (0 step) and some holes
        bt.push(t);
        bv[0].push(Math.sin(t / 100) * 10 + rnd());
        bv[1].push(rnd() < 0.02 ? NaN : Math.fround(rnd() * 1000 - 500));
      }
      b.append(batch(['a', 'b'], bt, bv));
      ts.push(...bt);
      vs[0].push(...bv[0]);
      vs[1].push(...bv[1]);
    }
    const span = b.span()!;
    for (let trial = 0; trial < 25; trial++) {
      const t0 = span.from - 100 + rnd() * (span.to - span.from);
      const t1 = t0 + rnd() * (span.to - t0 + 200);
      const cols = 1 + Math.floor(rnd() * 900);
      const d = b.decimate(t0, t1, cols);
      for (let c = 0; c < 2; c++) {
        const want = bruteDecimate(ts, vs[c], t0, t1, cols);
        expectSame(d.min[c], want.min);
        expectSame(d.max[c], want.max);
        expect(Array.from(d.count)).toEqual(want.count);
      }
    }
  });

  it('keeps the newest samples when the ring wraps, and decimation stays exact across the wrap', () => {
    const b = new TelemetryBuffer(100); // rounded up to whole 16-sample blocks
    expect(b.capacity).toBe(112);
    const ts: number[] = [];
    const vs: number[] = [];
    for (let i = 0; i < 1000; i += 7) {
      const bt = Array.from({ length: 7 }, (_, k) => i + k);
      const bv = bt.map((x) => ((x * 37) % 101) - 50);
      b.append(batch(['a'], bt, [bv]));
      ts.push(...bt);
      vs.push(...bv);
    }
    expect(b.length).toBe(112);
    const keptT = ts.slice(-112);
    const keptV = vs.slice(-112);
    expect(b.span()).toEqual({ from: keptT[0], to: keptT[111] });
    expect(Array.from(b.readRange(-Infinity, Infinity).values[0])).toEqual(keptV);
    expect(b.firstIndex).toBe(ts.length - 112);
    for (const cols of [1, 3, 10, 50, 112]) {
      const d = b.decimate(keptT[0] - 5, keptT[111], cols);
      const want = bruteDecimate(keptT, keptV, keptT[0] - 5, keptT[111], cols);
      expectSame(d.min[0], want.min);
      expectSame(d.max[0], want.max);
    }
  });

  it.each([[40, 40], [2000, 2048], [20_000, 20_480]])('stays exact across wraps with capacity %i (%i held)', (capacity, held) => {
    const b = new TelemetryBuffer(capacity);
    expect(b.capacity).toBe(held);
    const rnd = lcg(capacity);
    const ts: number[] = [];
    const vs: number[] = [];
    let t = 0;
    for (let k = 0; k < 30; k++) {
      const n = 1 + Math.floor(rnd() * held * 0.3);
      const bt = Array.from({ length: n }, () => (t += 1 + Math.floor(rnd() * 3)));
      const bv = bt.map(() => Math.fround(rnd() * 200 - 100));
      b.append(batch(['a'], bt, [bv]));
      ts.push(...bt);
      vs.push(...bv);
    }
    const keptT = ts.slice(-held);
    const keptV = vs.slice(-held);
    for (let trial = 0; trial < 20; trial++) {
      const t0 = keptT[0] - 3 + rnd() * (keptT[held - 1] - keptT[0]);
      const t1 = t0 + rnd() * (keptT[held - 1] - t0 + 3);
      const cols = trial < 5 ? 1 + trial : 1 + Math.floor(rnd() * 200); // a few wide columns use the top levels
      const d = b.decimate(t0, t1, cols);
      const want = bruteDecimate(keptT, keptV, t0, t1, cols);
      expectSame(d.min[0], want.min);
      expectSame(d.max[0], want.max);
    }
  });

  it('wraps a large ring with all summary levels and still matches brute force', () => {
    const b = new TelemetryBuffer(70_000);
    expect(b.capacity).toBe(73_728); // 18 blocks of 4096
    const total = 250_000;
    const vs = new Float32Array(total);
    const rnd = lcg(3);
    for (let o = 0; o < total; o += 10_000) {
      const bt = Array.from({ length: 10_000 }, (_, k) => o + k);
      const bv = bt.map(() => rnd() * 100);
      vs.set(bv, o);
      b.append(batch(['x'], bt, [bv]));
    }
    const from = total - b.capacity;
    const keptT = Array.from({ length: b.capacity }, (_, i) => from + i);
    const keptV = Array.from(vs.subarray(from));
    for (const [t0, t1, cols] of [[from, total - 1, 700], [from + 5000.5, from + 60_000, 333], [0, total, 1]] as const) {
      const d = b.decimate(t0, t1, cols);
      const want = bruteDecimate(keptT, keptV, t0, t1, cols);
      expectSame(d.min[0], want.min);
      expectSame(d.max[0], want.max);
    }
  });

  it('adds new channels without losing history, and fills NaN for absent ones', () => {
    const b = new TelemetryBuffer(1000);
    b.append(batch(['a', 'b'], [1, 2], [[1, 2], [10, 20]]));
    b.append(batch([{ name: 'c', unit: 'A' }, 'a'], [3], [[0.5], [3]]));
    expect(b.channels.map((c) => c.name)).toEqual(['a', 'b', 'c']);
    expect(b.channels[2].unit).toBe('A');
    const r = b.readRange(0, 10);
    expect(Array.from(r.values[0])).toEqual([1, 2, 3]);
    expect(Array.from(r.values[1])).toEqual([10, 20, NaN]);
    expect(Array.from(r.values[2])).toEqual([NaN, NaN, 0.5]);
    expect(b.latest()).toEqual([3, NaN, 0.5]);
    const d = b.decimate(0, 4, 2);
    expect(Array.from(d.max[2])).toEqual([NaN, 0.5]);
    // A unit change is taken from the newest batch.
    b.append(batch([{ name: 'a', unit: 'mV' }, 'b', { name: 'c', unit: 'A' }], [4], [[4], [40], [1]]));
    expect(b.channels.find((c) => c.name === 'a')!.unit).toBe('mV');
  });

  it('grows its allocation lazily without disturbing what it holds', () => {
    const b = new TelemetryBuffer(1_000_000);
    const n = 200_000;
    const bt = Array.from({ length: n }, (_, i) => i);
    const bv = bt.map((i) => i % 1000);
    b.append(batch(['a'], bt, [bv]));
    expect(b.length).toBe(n);
    const d = b.decimate(0, n - 1, 200);
    expect(Array.from(d.min[0]).every((v) => v === 0)).toBe(true);
    expect(Array.from(d.max[0]).every((v) => v === 999)).toBe(true);
  });

  it('clamps small backward time steps and restarts the history on a clock jump back', () => {
    const b = new TelemetryBuffer(1000);
    b.append(batch(['a'], [100, 200, 150, 300], [[1, 2, 3, 4]]));
    expect(b.outOfOrder).toBe(1);
    expect(Array.from(b.readRange(0, 1000).t)).toEqual([100, 200, 200, 300]);
    b.append(batch(['a'], [50_000, 10], [[5, 6]]));
    expect(b.clockResets).toBe(1);
    expect(b.length).toBe(1);
    expect(b.latest()).toEqual([6]);
  });

  it('finds the sample nearest the cursor time', () => {
    const b = new TelemetryBuffer(1000);
    b.append(batch(['a'], [10, 20, 30], [[1, 2, 3]]));
    expect(b.sampleNear(14)).toEqual({ t: 10, values: [1] });
    expect(b.sampleNear(16)).toEqual({ t: 20, values: [2] });
    expect(b.sampleNear(-5)).toEqual({ t: 10, values: [1] });
    expect(b.sampleNear(99)).toEqual({ t: 30, values: [3] });
    expect(new TelemetryBuffer(10).sampleNear(0)).toBeNull();
  });

  it('tells listeners about appends until they unsubscribe', () => {
    const b = new TelemetryBuffer(100);
    let calls = 0;
    const off = b.onAppend(() => calls++);
    b.append(batch(['a'], [1], [[1]]));
    off();
    b.append(batch(['a'], [2], [[1]]));
    expect(calls).toBe(1);
  });

  describe('refuses malformed input with a clear error', () => {
    const b = new TelemetryBuffer(100);
    it.each([
      ['value columns do not match channels', batch(['a', 'b'], [1], [[1]]), /2 channels but 1 value columns/],
      ['a column is shorter than the times', batch(['a'], [1, 2], [[1]]), /column "a" has 1 values for 2 times/],
      ['a channel has no name', batch([''], [1], [[1]]), /channel 0 has no name/],
      ['a channel name repeats', batch(['a', 'a'], [1], [[1], [2]]), /names channel "a" twice/],
      ['a time is not finite', batch(['a'], [1, NaN], [[1, 2]]), /time 1 is not a finite number/],
    ])('%s', (_why, bad, message) => {
      expect(() => b.append(bad)).toThrow(message);
      expect(b.length).toBe(0);
    });
    it('too many channels', () => {
      const names = Array.from({ length: MAX_CHANNELS + 1 }, (_, i) => `c${i}`);
      expect(() => new TelemetryBuffer(100).append(batch(names, [1], names.map(() => [0])))).toThrow(/more than 32 channels/);
    });
    it('bad capacity and bad decimation requests', () => {
      expect(() => new TelemetryBuffer(0)).toThrow(/positive whole number/);
      expect(() => b.decimate(0, 10, 0)).toThrow(/positive whole number of columns/);
      expect(() => b.decimate(10, 0, 5)).toThrow(/before its start/);
      expect(() => b.decimateEdges(new Float64Array([1]))).toThrow(/at least two column edges/);
      expect(() => b.decimateEdges(new Float64Array([0, 5, 3]))).toThrow(/must ascend/);
    });
  });
});
