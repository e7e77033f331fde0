import { mkdtempSync, mkdirSync, writeFileSync, symlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPipePair } from '../../../electron/host/transports/pipe-pair';
import { StreamSource } from '../../../electron/host/telemetry/sources/stream-source';
import { PolledSource } from '../../../electron/host/telemetry/sources/polled-source';
import { discoverHwmon, HwmonSource } from '../../../electron/host/telemetry/sources/hwmon';
import { CsvParser } from '../../../electron/host/telemetry/parsers/csv-parser';
import { TelemetryPipeline, type SourceError } from '../../../electron/host/telemetry/pipeline';

const until = async (cond: () => boolean, ms = 3000) => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
};

describe('StreamSource', () => {
  it('feeds any ByteStream through any parser into the pipeline, errors included, and reports the end', async () => {
    const [dev, host] = createPipePair();
    const p = new TelemetryPipeline();
    const errs: SourceError[] = [];
    const ended: string[] = [];
    p.onErrors((e) => errs.push(...e));
    p.onSourceEnded((id) => ended.push(id));
    await p.addSource(new StreamSource('uart0', host, new CsvParser({ timeColumn: 't' }), () => 5));
    await dev.write(new TextEncoder().encode('t,v\n1,10\n2,x\n3,'));
    await dev.write(new TextEncoder().encode('30\n'));
    await until(() => (p.ring('v')?.length ?? 0) === 2);
    expect([...p.ring('v')!.readRange(0, 10).value]).toEqual([10, 30]);
    expect(errs).toHaveLength(1);
    expect(errs[0]).toMatchObject({ sourceId: 'uart0', line: 3 });
    await dev.close();
    expect(ended).toEqual(['uart0']);
  });
});

describe('PolledSource', () => {
  it('polls at its interval, keeps going after a failed read, and stops cleanly', async () => {
    let n = 0;
    const p = new TelemetryPipeline();
    const errs: SourceError[] = [];
    p.onErrors((e) => errs.push(...e));
    await p.addSource(
      new PolledSource(
        'smp-stats',
        async () => {
          n++;
          if (n === 2) throw new Error('SMP timeout');
          return n === 3 ? [{ channel: 'rx', value: 30, t: 123 }] : { rx: n * 10 };
        },
        { intervalMs: 10 },
      ),
    );
    await until(() => n >= 5);
    await p.stop();
    const seen = n;
    await new Promise((r) => setTimeout(r, 40));
    expect(n).toBe(seen);
    const ring = p.ring('rx')!;
    expect(ring.valueAt(0)).toBe(10);
    expect(ring.valueAt(1)).toBe(30);
    expect(ring.timeAt(1)).toBe(123);
    expect(errs[0].message).toMatch(/Polling smp-stats failed: SMP timeout/);
    expect(() => new PolledSource('x', async () => ({}), { intervalMs: 0 })).toThrow(/positive/);
  });
});

describe('hwmon', () => {
  let root: string;
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'fwbench-sysfs-'));
    // A NIC's PCI function with a hwmon child, laid out like real sysfs.
    const pci = join(root, 'devices/pci0000:00/0000:00:01.1/0000:03:00.0');
    const hw = join(pci, 'hwmon/hwmon4');
    mkdirSync(hw, { recursive: true });
    writeFileSync(join(hw, 'name'), 'mlx5\n');
    writeFileSync(join(hw, 'temp1_input'), '54500\n');
    writeFileSync(join(hw, 'temp1_label'), 'asic\n');
    writeFileSync(join(hw, 'in0_input'), '12050\n');
    writeFileSync(join(hw, 'curr1_input'), '1500\n');
    writeFileSync(join(hw, 'power1_average'), '18250000\n');
    writeFileSync(join(hw, 'fan2_input'), '3100\n');
    writeFileSync(join(hw, 'temp2_input'), 'garbage\n');
    writeFileSync(join(hw, 'uevent'), '');
    symlinkSync('../../../0000:03:00.0', join(hw, 'device'));
    // A virtual sensor with no parent device.
    const virt = join(root, 'devices/virtual/thermal/thermal_zone0/hwmon0');
    mkdirSync(virt, { recursive: true });
    writeFileSync(join(virt, 'name'), 'acpitz\n');
    writeFileSync(join(virt, 'temp1_input'), '-5000\n');
    mkdirSync(join(root, 'class/hwmon'), { recursive: true });
    symlinkSync(hw, join(root, 'class/hwmon/hwmon4'));
    symlinkSync(virt, join(root, 'class/hwmon/hwmon0'));
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('discovers devices, sensors, labels, units and the PCI parent from a fake sysfs root', async () => {
    const devs = await discoverHwmon(root);
    expect(devs.map((d) => [d.id, d.name, d.pciAddress, d.devicePath])).toEqual([
      ['hwmon0', 'acpitz', undefined, undefined],
      ['hwmon4', 'mlx5', '0000:03:00.0', '/devices/pci0000:00/0000:00:01.1/0000:03:00.0'],
    ]);
    expect(devs[1].sensors.map((s) => [s.channel, s.label, s.unit])).toEqual([
      ['hwmon4.curr1', undefined, 'A'],
      ['hwmon4.fan2', undefined, 'RPM'],
      ['hwmon4.in0', undefined, 'V'],
      ['hwmon4.power1', undefined, 'W'],
      ['hwmon4.temp1', 'asic', '°C'],
      ['hwmon4.temp2', undefined, '°C'],
    ]);
  });

  it('polls values converted to °C, V, A, W and RPM and reports an unreadable sensor once', async () => {
    const p = new TelemetryPipeline();
    const errs: SourceError[] = [];
    p.onErrors((e) => errs.push(...e));
    await p.addSource(new HwmonSource('hwmon', await discoverHwmon(root), 10));
    await until(() => (p.ring('hwmon4.temp1')?.length ?? 0) >= 3);
    await p.stop();
    const last = (ch: string) => p.ring(ch)!.valueAt(p.ring(ch)!.length - 1);
    expect(last('hwmon4.temp1')).toBeCloseTo(54.5, 9);
    expect(last('hwmon4.in0')).toBeCloseTo(12.05, 9);
    expect(last('hwmon4.curr1')).toBeCloseTo(1.5, 9);
    expect(last('hwmon4.power1')).toBeCloseTo(18.25, 9);
    expect(last('hwmon4.fan2')).toBe(3100);
    expect(last('hwmon0.temp1')).toBeCloseTo(-5, 9);
    expect(p.ring('hwmon4.temp2')).toBeUndefined();
    expect(errs).toHaveLength(1);
    expect(errs[0].message).toMatch(/temp2_input failed/);
  });

  it('returns an empty list when there is no hwmon class (as on this machine)', async () => {
    expect(await discoverHwmon(join(root, 'nowhere'))).toEqual([]);
    expect(Array.isArray(await discoverHwmon())).toBe(true);
  });
});
