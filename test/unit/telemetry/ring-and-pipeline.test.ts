import { ChannelRing } from '../../../electron/host/telemetry/ring-buffer';
import { TelemetryPipeline, type SampleRecorder, type DisplayBatch } from '../../../electron/host/telemetry/pipeline';
import { batchFromSamples } from '../../../electron/host/telemetry/sample-batch';
import type { AlarmEvent } from '../../../electron/host/telemetry/alarms';
import { HostError } from '../../../electron/host/errors/host-error';

describe('ChannelRing', () => {
  it('overwrites the oldest samples on wraparound and keeps time order', () => {
    const r = new ChannelRing(5);
    for (let i = 0; i < 13; i++) r.push(i * 10, i);
    expect(r.length).toBe(5);
    expect(r.overwritten).toBe(8);
    expect([0, 1, 2, 3, 4].map((i) => r.valueAt(i))).toEqual([8, 9, 10, 11, 12]);
    expect(r.span()).toEqual({ from: 80, to: 120 });
    const got = r.readRange(85, 110);
    expect([...got.t]).toEqual([90, 100, 110]);
    expect([...got.value]).toEqual([9, 10, 11]);
    expect(r.readRange(0, 70).t.length).toBe(0);
  });

  it('decimates to the same min/max/count per bucket as a brute-force pass, across wraparound', () => {
    let seed = 7;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
    const cap = 1000;
    const r = new ChannelRing(cap);
    const all: [number, number][] = [];
    let t = 0;
    for (let i = 0; i < 2600; i++) {
      t += rnd() < 0.1 ? 0 : rnd() * 3; // repeated timestamps happen
      const v = rnd() < 0.01 ? NaN : Math.sin(i / 20) * 100 + rnd() * 10;
      r.push(t, v);
      all.push([t, v]);
    }
    const kept = all.slice(-cap);
    for (const [t0, t1, n] of [[kept[0][0], kept[cap - 1][0], 37], [kept[100][0] + 0.5, kept[700][0], 200], [kept[5][0], kept[5][0], 3], [-1, 1e9, 1]] as const) {
      const d = r.decimate(t0, t1, n);
      const min = new Array(n).fill(NaN);
      const max = new Array(n).fill(NaN);
      const count = new Array(n).fill(0);
      for (const [ts, v] of kept) {
        if (ts < t0 || ts > t1 || Number.isNaN(v)) continue;
        const k = t1 === t0 ? 0 : Math.min(n - 1, Math.floor(((ts - t0) / (t1 - t0)) * n));
        min[k] = count[k] === 0 ? v : Math.min(min[k], v);
        max[k] = count[k] === 0 ? v : Math.max(max[k], v);
        count[k]++;
      }
      expect([...d.count]).toEqual(count);
      expect([...d.min]).toEqual(min);
      expect([...d.max]).toEqual(max);
      expect(d.bucketT[0]).toBe(t0);
    }
  });

  it('counts samples that go back in time', () => {
    const r = new ChannelRing(10);
    [1, 2, 3, 1, 2].forEach((t) => r.push(t, 0));
    expect(r.outOfOrder).toBe(1);
  });
});

describe('TelemetryPipeline', () => {
  const s = (channel: string, t: number, value: number) => ({ channel, t, hostT: t + 0.5, value });

  it('never drops recorded samples while it drops display batches the consumer has not acknowledged', () => {
    const p = new TelemetryPipeline({ ringCapacity: 100 });
    const recorded: number[] = [];
    const rec: SampleRecorder = { defineChannel: () => {}, append: (b) => b.columns.forEach((c) => recorded.push(...c.value)) };
    p.attachRecorder(rec);
    const batches: DisplayBatch[] = [];
    p.onBatch((b) => batches.push(b));
    for (let round = 0; round < 6; round++) {
      p.samples(batchFromSamples([s('a', round * 2, round * 2), s('a', round * 2 + 1, round * 2 + 1), s('b', round, -round)]));
      p.flushDisplay();
      if (round === 3) p.ack(batches[batches.length - 1].seq);
    }
    expect(recorded).toEqual([0, 1, -0, 2, 3, -1, 4, 5, -2, 6, 7, -3, 8, 9, -4, 10, 11, -5]);
    expect(batches.map((b) => b.seq)).toEqual([1, 2]);
    expect(batches[0].columns.map((c) => [c.channel, [...c.t], [...c.value]])).toEqual([['a', [0, 1], [0, 1]], ['b', [0], [-0]]]);
    expect(batches[1].columns[0].value).toEqual(new Float64Array([8, 9]));
    expect(batches[1].droppedBatches).toBe(3);
    expect(p.stats()).toMatchObject({ samplesIn: 18, batchesSent: 2, batchesDropped: 4, samplesNotDisplayed: 12 });
    // The rings still have everything a dropped batch carried.
    expect([...p.ring('a')!.readRange(0, 100).value]).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    p.flushDisplay();
    expect(batches).toHaveLength(2); // nothing pending, nothing sent
  });

  it('sends batches on its timer', async () => {
    const p = new TelemetryPipeline({ batchIntervalMs: 20 });
    const got: DisplayBatch[] = [];
    p.onBatch((b) => {
      got.push(b);
      p.ack(b.seq);
    });
    p.start();
    p.samples(batchFromSamples([s('x', 1, 1)]));
    await new Promise((r) => setTimeout(r, 80));
    p.samples(batchFromSamples([s('x', 2, 2)]));
    await new Promise((r) => setTimeout(r, 80));
    await p.stop();
    expect(got.map((b) => [...b.columns[0].value])).toEqual([[1], [2]]);
  });

  it('applies channel scale/offset before the ring, the recorder and alarms', () => {
    const p = new TelemetryPipeline();
    const recorded: number[] = [];
    p.defineChannel({ name: 'adc', unit: 'V', scale: 0.5, offset: 1 });
    p.attachRecorder({ defineChannel: () => {}, append: (b) => b.columns.forEach((c) => recorded.push(...c.value)) });
    p.samples(batchFromSamples([s('adc', 0, 4)]));
    expect(recorded).toEqual([3]);
    expect(p.ring('adc')!.valueAt(0)).toBe(3);
    expect(p.channels()).toEqual([{ name: 'adc', unit: 'V', scale: 0.5, offset: 1 }]);
  });

  it('raises and clears threshold alarms with hysteresis and timestamps', () => {
    const p = new TelemetryPipeline();
    const events: AlarmEvent[] = [];
    p.onAlarm((e) => events.push(e));
    p.setAlarm('temp', { above: 80, below: 10, hysteresis: 2 });
    const values = [50, 81, 79, 81, 77.5, 90, 9, 11, 12.5, 5];
    p.samples(batchFromSamples(values.map((v, i) => s('temp', i * 100, v))));
    expect(events.map((e) => [e.kind, e.state, e.t, e.value])).toEqual([
      ['above', 'raised', 100, 81],
      ['above', 'cleared', 400, 77.5],
      ['above', 'raised', 500, 90],
      ['above', 'cleared', 600, 9],
      ['below', 'raised', 600, 9],
      ['below', 'cleared', 800, 12.5],
      ['below', 'raised', 900, 5],
    ]);
    expect(events[0].hostT).toBe(100.5);
    expect(() => p.setAlarm('temp', {})).toThrow(HostError);
    expect(() => p.setAlarm('temp', { above: 1, below: 2 })).toThrow(/not under/);
    expect(() => p.query('nope', 0, 1, 10)).toThrow(/no telemetry channel "nope"/);
  });
});
