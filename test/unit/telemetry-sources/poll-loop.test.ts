import type { TelemetryBatch } from '../../../electron/contract/events';
import { HostError } from '../../../electron/host/errors/host-error';
import { PollLoop } from '../../../electron/host/telemetry-sources/poll-loop';
import type { PollReader, Reading } from '../../../electron/host/telemetry-sources/reading';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function counterReader(): PollReader & { calls: number } {
  const r = {
    calls: 0,
    async read(): Promise<Reading[]> {
      r.calls++;
      return [
        { channel: 'sys.count', unit: '', value: r.calls },
        { channel: 'sys.temp', unit: '°C', value: 20 + r.calls / 2 },
      ];
    },
  };
  return r;
}

describe('PollLoop', () => {
  it('emits one batch per read with one sample per channel, in order, for the session', async () => {
    const batches: TelemetryBatch[] = [];
    const reader = counterReader();
    const loop = new PollLoop({ sessionId: 's1', source: 'test', intervalMs: 20, reader, emit: (b) => batches.push(b) });
    loop.start();
    await sleep(130);
    const st = await loop.stop();
    expect(batches.length).toBeGreaterThanOrEqual(4);
    expect(st.reads).toBe(batches.length);
    expect(st.samples).toBe(batches.length * 2);
    for (const [i, b] of batches.entries()) {
      expect(b.sessionId).toBe('s1');
      expect(b.channels).toEqual([{ name: 'sys.count', unit: '' }, { name: 'sys.temp', unit: '°C' }]);
      expect(b.t.length).toBe(1);
      expect(b.values[0][0]).toBe(i + 1);
      expect(b.values[1][0]).toBeCloseTo(20 + (i + 1) / 2);
      if (i > 0) expect(b.t[0]).toBeGreaterThan(batches[i - 1].t[0]);
    }
    const n = batches.length;
    await sleep(60);
    expect(batches.length).toBe(n); // stopped means stopped
    expect(st.running).toBe(false);
  });

  it('skips ticks while a slow read runs instead of queueing reads', async () => {
    let concurrent = 0;
    let maxConcurrent = 0;
    const reader: PollReader = {
      async read() {
        concurrent++;
        maxConcurrent = Math.max(maxConcurrent, concurrent);
        await sleep(75);
        concurrent--;
        return [{ channel: 'x', unit: '', value: 1 }];
      },
    };
    const loop = new PollLoop({ sessionId: 's', source: 'slow', intervalMs: 20, reader, emit: () => {} });
    loop.start();
    await sleep(260);
    const st = await loop.stop();
    expect(maxConcurrent).toBe(1);
    expect(st.skippedTicks).toBeGreaterThanOrEqual(4);
    expect(st.reads).toBeGreaterThanOrEqual(2);
    expect(st.reads).toBeLessThanOrEqual(4);
  });

  it('counts a failed read, reports the outage once and the recovery once, and keeps polling', async () => {
    let call = 0;
    const reader: PollReader = {
      async read() {
        call++;
        if (call >= 2 && call <= 4) throw new HostError('timeout', 'The device did not answer.');
        return [{ channel: 'x', unit: '', value: call }];
      },
    };
    const reports: string[] = [];
    const values: number[] = [];
    const loop = new PollLoop({ sessionId: 's', source: 'flaky', intervalMs: 15, reader, emit: (b) => values.push(b.values[0][0]), report: (t) => reports.push(t) });
    loop.start();
    await sleep(150);
    const st = await loop.stop();
    expect(st.failures).toBe(3);
    expect(st.lastError).toBe('The device did not answer.');
    expect(values[0]).toBe(1);
    expect(values[1]).toBe(5);
    expect(reports).toEqual(['Polling flaky failed: The device did not answer.', 'Polling flaky reads again.']);
  });

  it('counts partial problems and still emits what was read', async () => {
    const reader: PollReader = {
      async read(_s, problem) {
        problem('sensor b: EIO');
        return [{ channel: 'a', unit: 'V', value: 3.3 }];
      },
    };
    const batches: TelemetryBatch[] = [];
    const loop = new PollLoop({ sessionId: 's', source: 'p', intervalMs: 1000, reader, emit: (b) => batches.push(b) });
    loop.start();
    await sleep(30);
    const st = await loop.stop();
    expect(batches).toHaveLength(1);
    expect(batches[0].channels.map((c) => c.name)).toEqual(['a']);
    expect(st.partialProblems).toBe(1);
    expect(st.lastError).toBe('sensor b: EIO');
  });

  it('stops on a fatal error and tells the owner', async () => {
    let calls = 0;
    const reader: PollReader = {
      async read() {
        calls++;
        throw new HostError('device-gone', 'The device is gone.');
      },
    };
    const fatal: HostError[] = [];
    const loop = new PollLoop({ sessionId: 's', source: 'g', intervalMs: 10, reader, emit: () => {}, isFatal: (e) => e.code === 'device-gone', onFatal: (e) => fatal.push(e) });
    loop.start();
    await sleep(80);
    expect(calls).toBe(1);
    expect(fatal.map((e) => e.code)).toEqual(['device-gone']);
    expect(loop.running).toBe(false);
    expect(loop.status().failures).toBe(1);
  });

  it('aborts the read in flight on stop and emits nothing after', async () => {
    let aborted = false;
    const batches: TelemetryBatch[] = [];
    const reader: PollReader = {
      read: (signal) =>
        new Promise((resolve) => {
          signal.addEventListener('abort', () => {
            aborted = true;
            resolve([{ channel: 'late', unit: '', value: 1 }]);
          });
        }),
    };
    const loop = new PollLoop({ sessionId: 's', source: 'hang', intervalMs: 100, reader, emit: (b) => batches.push(b) });
    loop.start();
    await sleep(10);
    await loop.stop();
    expect(aborted).toBe(true);
    expect(batches).toHaveLength(0);
  });

  it('refuses a non-integer or non-positive interval and a second start', () => {
    const reader = counterReader();
    expect(() => new PollLoop({ sessionId: 's', source: 'x', intervalMs: 0, reader, emit: () => {} })).toThrow(expect.objectContaining({ code: 'invalid-params' }));
    expect(() => new PollLoop({ sessionId: 's', source: 'x', intervalMs: 1.5, reader, emit: () => {} })).toThrow(expect.objectContaining({ code: 'invalid-params' }));
    const loop = new PollLoop({ sessionId: 's', source: 'x', intervalMs: 1000, reader, emit: () => {} });
    loop.start();
    expect(() => loop.start()).toThrow(expect.objectContaining({ code: 'device-busy' }));
    return loop.stop();
  });
});
