// Polled telemetry through the host router: SMP stats on the demo board, CXL
// feature fields on the simulated CXL device, each batch recorded by the session.
import type { TelemetryBatch } from '../../../electron/contract/events';
import type { Host } from '../../../electron/host/host';
import type { ClientInfo } from '../../../electron/host/router';
import { testHost } from '../../support/test-host';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let host: Host;
let c: ClientInfo;
const run = async (sessionId: string, commandId: string, params: unknown, scope = 'debug-read-only') =>
  (await host.request('command.run', { sessionId, commandId, scope: scope as never, params }, c)).result as Record<string, unknown>;

function collect(sessionId: string, pick: (b: TelemetryBatch) => boolean) {
  const batches: TelemetryBatch[] = [];
  const off = host.onEvent((e) => {
    if (e.type === 'telemetry' && e.sessionId === sessionId && pick(e)) batches.push(e);
  });
  return { batches, off };
}

const valuesOf = (batches: TelemetryBatch[], channel: string) =>
  batches.flatMap((b) => {
    const i = b.channels.findIndex((ch) => ch.name === channel);
    return i < 0 ? [] : [...b.values[i]];
  });

beforeAll(async () => {
  host = await testHost({ demoBoards: 1 });
  c = host.newClient('test');
});
afterAll(async () => host?.close());

describe('SMP stats polled on the demo board', () => {
  let sessionId: string;
  beforeAll(async () => {
    sessionId = (await host.request('session.open', { deviceId: 'demo:DEMO-1001' }, c)).id;
  });
  afterAll(async () => host.request('session.close', { sessionId }, c));

  it('streams every counter of the chosen groups as group.counter, uptime rising, recorded in full, without blocking other commands', async () => {
    const groups = ((await run(sessionId, 'smp.stats.list', {})).groups as string[]).slice();
    expect(groups).toContain('system');
    const { batches, off } = collect(sessionId, (b) => b.channels.some((ch) => ch.name.startsWith('system.')));
    const started = await run(sessionId, 'telemetry.poll', { on: true, source: 'smp-stats', intervalMs: 100, groups: ['system'] });
    expect(started).toMatchObject({ on: true, running: true, source: 'smp-stats', intervalMs: 100 });

    await sleep(400);
    const rec = await run(sessionId, 'telemetry.record', { on: true });
    expect(rec.recording).toBe(true);
    const fromRecording = batches.length;

    // Other commands still answer promptly while the poll runs on the same UART.
    for (let i = 0; i < 3; i++) {
      const t0 = Date.now();
      const info = await run(sessionId, 'device.info', {}, 'configuration');
      expect(info.board).toBeTruthy();
      expect(Date.now() - t0).toBeLessThan(1500);
    }
    const fields = (await run(sessionId, 'smp.stats.read', { group: 'system' })).fields as Record<string, number>;
    await sleep(2200);
    const summary = await run(sessionId, 'telemetry.record', { on: false });
    const recorded = batches.slice(fromRecording, batches.length);
    const stopped = await run(sessionId, 'telemetry.poll', { on: false });
    const afterStop = batches.length;
    await sleep(350);
    off();

    // Every counter the device reports in the group is a channel.
    expect(new Set(batches[0].channels.map((ch) => ch.name))).toEqual(new Set(Object.keys(fields).map((k) => `system.${k}`)));
    const uptime = valuesOf(batches, 'system.uptime_s');
    expect(uptime.length).toBeGreaterThanOrEqual(15); // ~3 s at 100 ms, minus skipped ticks
    for (let i = 1; i < uptime.length; i++) expect(uptime[i]).toBeGreaterThanOrEqual(uptime[i - 1]);
    expect(uptime[uptime.length - 1]).toBeGreaterThanOrEqual(uptime[0] + 2);
    // The recording holds every sample the session emitted while it ran.
    expect(summary.samples).toBe(recorded.reduce((n, b) => n + b.t.length * b.channels.length, 0));
    expect(stopped).toMatchObject({ on: false, running: false, failures: 0 });
    expect(stopped.reads).toBe(batches.length);
    expect(batches.length).toBe(afterStop);

    const view = await host.request('recording.read', { name: (await host.request('recordings.list', {}, c))[0].name, buckets: 50 }, c);
    expect(view.channels.map((ch) => ch.name).sort()).toEqual(Object.keys(fields).map((k) => `system.${k}`).sort());
    expect(view.channels.reduce((n, ch) => n + ch.samples, 0)).toBe(summary.samples);
  });

  it('polls every listed group by default and shows its status', async () => {
    const groups = (await run(sessionId, 'smp.stats.list', {})).groups as string[];
    const { batches, off } = collect(sessionId, () => true);
    await run(sessionId, 'telemetry.poll', { on: true, intervalMs: 200 });
    await sleep(700);
    const status = await run(sessionId, 'telemetry.poll-status', {}, 'configuration');
    await run(sessionId, 'telemetry.poll', { on: false });
    off();
    expect(status).toMatchObject({ running: true, source: 'smp-stats', intervalMs: 200 });
    expect(batches.length).toBeGreaterThanOrEqual(2);
    expect(new Set(batches[0].channels.map((ch) => ch.name.split('.')[0]))).toEqual(new Set(groups));
  });

  it('refuses unknown groups, CXL parameters and too-short intervals with clear errors', async () => {
    await expect(run(sessionId, 'telemetry.poll', { on: true, groups: ['nope'] })).rejects.toMatchObject({ code: 'invalid-params', message: expect.stringMatching(/no stats group "nope".*It lists: .*system/) });
    await expect(run(sessionId, 'telemetry.poll', { on: true, source: 'cxl-features' })).rejects.toMatchObject({ code: 'not-supported' });
    await expect(run(sessionId, 'telemetry.poll', { on: true, features: ['patrolScrub'] })).rejects.toMatchObject({ code: 'invalid-params' });
    await expect(run(sessionId, 'telemetry.poll', { on: true, intervalMs: 50 })).rejects.toMatchObject({ code: 'invalid-params' });
    expect(await run(sessionId, 'telemetry.poll-status', {}, 'configuration')).toMatchObject({ running: false });
  });

  it('stops when the session closes', async () => {
    const s2 = (await host.request('session.open', { deviceId: 'fwctl:sim-cxl0' }, c)).id;
    const { batches, off } = collect(s2, () => true);
    await run(s2, 'telemetry.poll', { on: true, intervalMs: 100 });
    await sleep(350);
    await host.request('session.close', { sessionId: s2 }, c);
    const n = batches.length;
    await sleep(400);
    off();
    expect(n).toBeGreaterThan(0);
    expect(batches.length).toBe(n);
  });
});

describe('CXL features polled on the simulated device', () => {
  let sessionId: string;
  beforeAll(async () => {
    sessionId = (await host.request('session.open', { deviceId: 'fwctl:sim-cxl0' }, c)).id;
  });
  afterAll(async () => host.request('session.close', { sessionId }, c));

  it('turns each decoded number into a channel whose value matches Get Feature', async () => {
    const { batches, off } = collect(sessionId, () => true);
    const started = await run(sessionId, 'telemetry.poll', { on: true, source: 'cxl-features', intervalMs: 100 });
    expect(started).toMatchObject({ on: true, source: 'cxl-features' });
    await sleep(600);
    const stopped = await run(sessionId, 'telemetry.poll', { on: false });
    off();
    expect(batches.length).toBeGreaterThanOrEqual(3);
    expect(stopped).toMatchObject({ failures: 0, partialProblems: 0 });
    const names = batches[0].channels.map((ch) => ch.name);
    expect(names).toContain('patrolScrub.cycleHours');
    expect(names).toContain('patrolScrub.enabled');
    expect(names.some((n) => /^ddr5Ecs\.frus\.0\./.test(n))).toBe(true);
    expect(batches[0].channels.find((ch) => ch.name === 'patrolScrub.cycleHours')!.unit).toBe('h');

    const got = (await run(sessionId, 'cxl.feature.get', { uuid: '96dad7d6-fde8-482b-a733-75774e06db8a' })).decoded as { value: { cycleHours: number; enabled: boolean } };
    expect(valuesOf(batches, 'patrolScrub.cycleHours').at(-1)).toBe(got.value.cycleHours);
    expect(valuesOf(batches, 'patrolScrub.enabled').at(-1)).toBe(got.value.enabled ? 1 : 0);
  });

  it('polls only the features asked for, by key or UUID', async () => {
    const { batches, off } = collect(sessionId, () => true);
    await run(sessionId, 'telemetry.poll', { on: true, intervalMs: 100, features: ['patrolScrub', 'e5b13f22-2328-4a14-b8ba-b9691e893386'] });
    await sleep(300);
    await run(sessionId, 'telemetry.poll', { on: false });
    off();
    expect(new Set(batches.flatMap((b) => b.channels.map((ch) => ch.name.split('.')[0])))).toEqual(new Set(['patrolScrub', 'ddr5Ecs']));
  });

  it('refuses unknown feature names and SMP parameters with clear errors', async () => {
    await expect(run(sessionId, 'telemetry.poll', { on: true, features: ['warpDrive'] })).rejects.toMatchObject({ code: 'invalid-params', message: expect.stringMatching(/neither a CXL feature name/) });
    await expect(run(sessionId, 'telemetry.poll', { on: true, features: ['00000000-0000-0000-0000-000000000001'] })).rejects.toMatchObject({ code: 'not-supported' });
    await expect(run(sessionId, 'telemetry.poll', { on: true, source: 'smp-stats' })).rejects.toMatchObject({ code: 'not-supported' });
    await expect(run(sessionId, 'telemetry.poll', { on: true, groups: ['system'] })).rejects.toMatchObject({ code: 'invalid-params' });
  });
});
