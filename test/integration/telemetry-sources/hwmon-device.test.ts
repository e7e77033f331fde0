// The workstation's hwmon sensors as a device, read from a fake sysfs tree
// (this machine has no /sys/class/hwmon): listed by discovery, streamed with
// telemetry.stream, scaled to °C/V/A/W, recorded by the session.
import { rmSync, writeFileSync } from 'node:fs';
import type { TelemetryBatch } from '../../../electron/contract/events';
import type { Host } from '../../../electron/host/host';
import type { ClientInfo } from '../../../electron/host/router';
import { testHost } from '../../support/test-host';
import { buildFakeSysfs, type FakeSysfs } from '../../unit/telemetry-sources/fake-hwmon-sysfs';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let host: Host;
let c: ClientInfo;
let fake: FakeSysfs;
const run = async (sessionId: string, commandId: string, params: unknown, scope = 'debug-read-only') =>
  (await host.request('command.run', { sessionId, commandId, scope: scope as never, params }, c)).result as Record<string, unknown>;

beforeAll(async () => {
  fake = buildFakeSysfs();
  host = await testHost({ demoBoards: 0, discovery: true, sysRoot: fake.root, transcripts: false });
  c = host.newClient('test');
});
afterAll(async () => {
  await host?.close();
  rmSync(fake.root, { recursive: true, force: true });
});

describe('workstation sensors (hwmon)', () => {
  it('is listed as a host device naming the fwctl node whose PCI parent has sensors', async () => {
    const dev = (await host.request('devices.list', {}, c)).find((d) => d.id === 'host:hwmon');
    expect(dev).toMatchObject({ kind: 'host', label: 'Workstation sensors (hwmon)', protocol: 'hwmon', present: true, simulated: false });
    expect(dev!.details).toMatchObject({ sensors: '9', fwctlSensors: 'fwctl0 → mlx5 @ 0000:3b:00.0', source: 'hwmon' });
  });

  it('offers a Telemetry panel and streams scaled readings that follow the files, recorded in full', async () => {
    const sessionId = (await host.request('session.open', { deviceId: 'host:hwmon' }, c)).id;
    const catalog = await host.request('catalog.list', { sessionId }, c);
    expect(catalog.map((d: { id: string }) => d.id)).toEqual(expect.arrayContaining(['telemetry.stream', 'telemetry.record', 'device.info']));
    const batches: TelemetryBatch[] = [];
    const off = host.onEvent((e) => {
      if (e.type === 'telemetry' && e.sessionId === sessionId) batches.push(e);
    });
    const on = await run(sessionId, 'telemetry.stream', { on: true });
    expect(on).toMatchObject({ on: true, running: true, source: 'hwmon' });
    await run(sessionId, 'telemetry.record', { on: true, formats: ['fwtl', 'csv'] });
    const fromRecording = batches.length; // the first read may land before the recording starts
    await sleep(300);
    writeFileSync(fake.file(0, 'temp1_input'), '80125\n');
    await sleep(1900);
    const summary = await run(sessionId, 'telemetry.record', { on: false });
    const stopped = await run(sessionId, 'telemetry.stream', { on: false });
    const n = batches.length;
    await sleep(1100);
    off();
    expect(batches.length).toBe(n);
    expect(n).toBeGreaterThanOrEqual(2);
    expect(stopped).toMatchObject({ on: false, failures: 0, reads: n });

    const first = batches[0];
    const at = (b: TelemetryBatch, name: string) => {
      const i = b.channels.findIndex((ch) => ch.name === name);
      expect(i, name).toBeGreaterThanOrEqual(0);
      return { unit: b.channels[i].unit, value: b.values[i][0] };
    };
    expect(at(first, 'k10temp@0000:00:18.3.Tctl')).toEqual({ unit: '°C', value: 45.25 });
    expect(at(first, 'k10temp@0000:00:18.3.Tccd1')).toEqual({ unit: '°C', value: -5 });
    expect(at(first, 'mlx5@0000:3b:00.0.asic')).toEqual({ unit: '°C', value: 61 });
    expect(at(first, 'nct6798.+12V').unit).toBe('V');
    expect(at(first, 'nct6798.+12V').value).toBeCloseTo(12.096, 5);
    expect(at(first, 'nct6798.curr1')).toEqual({ unit: 'A', value: 1.5 });
    expect(at(first, 'nct6798.CPU')).toEqual({ unit: 'W', value: 65 });
    expect(at(first, 'nct6798.fan1')).toEqual({ unit: 'RPM', value: 1200 });
    expect(at(batches[n - 1], 'k10temp@0000:00:18.3.Tctl').value).toBe(80.125);

    const sent = batches.slice(fromRecording).reduce((k, b) => k + b.t.length * b.channels.length, 0);
    expect(sent).toBeGreaterThanOrEqual(2 * 9);
    expect(summary.samples).toBe(sent);
    const view = await host.request('recording.read', { name: (await host.request('recordings.list', {}, c))[0].name, buckets: 20 }, c);
    expect(view.channels).toHaveLength(9);
    expect(view.channels.reduce((k, ch) => k + ch.samples, 0)).toBe(sent);
    await host.request('session.close', { sessionId }, c);
  });

  it('counts a sensor that stops reading and carries on with the rest', async () => {
    const sessionId = (await host.request('session.open', { deviceId: 'host:hwmon' }, c)).id;
    const batches: TelemetryBatch[] = [];
    const off = host.onEvent((e) => {
      if (e.type === 'telemetry' && e.sessionId === sessionId) batches.push(e);
    });
    await run(sessionId, 'telemetry.stream', { on: true });
    writeFileSync(fake.file(1, 'temp1_input'), 'garbage\n');
    await sleep(1300);
    const info = await run(sessionId, 'device.info', {}, 'configuration');
    await host.request('session.close', { sessionId }, c);
    off();
    expect(Number(info.sensorProblems)).toBeGreaterThanOrEqual(1);
    expect(info.lastError).toMatch(/nvme@0000:01:00\.0\.Composite.*whole number/);
    const last = batches.at(-1)!;
    expect(last.channels.map((ch) => ch.name)).not.toContain('nvme@0000:01:00.0.Composite');
    expect(last.channels).toHaveLength(8);
  });
});

describe('a machine without hwmon', () => {
  it('lists no sensor device', async () => {
    const h = await testHost({ demoBoards: 0, discovery: true, sysRoot: '/nonexistent-sysfs-root', transcripts: false });
    try {
      const list = await h.request('devices.list', {}, h.newClient('t'));
      expect(list.find((d) => d.kind === 'host')).toBeUndefined();
    } finally {
      await h.close();
    }
  });
});
