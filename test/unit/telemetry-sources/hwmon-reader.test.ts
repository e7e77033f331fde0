import { rmSync, writeFileSync } from 'node:fs';
import { discoverHwmon } from '../../../electron/host/telemetry';
import { hwmonReader, nameSensors, parseSysfsInteger } from '../../../electron/host/telemetry-sources/hwmon-reader';
import { hwmonDiscovery } from '../../../electron/host/telemetry-sources/hwmon-discovery';
import { buildFakeSysfs } from './fake-hwmon-sysfs';

const read = async (root: string) => {
  const problems: string[] = [];
  const readings = await hwmonReader(await discoverHwmon(root)).read(new AbortController().signal, (p) => problems.push(p));
  return { byName: Object.fromEntries(readings.map((r) => [r.channel, r])), problems, readings };
};

describe('hwmon reader', () => {
  it('scales m°C, mV, mA, µW to °C, V, A, W and names channels by chip, PCI parent and label', async () => {
    const fs = buildFakeSysfs();
    const { byName, problems } = await read(fs.root);
    expect(problems).toEqual([]);
    expect(byName['k10temp@0000:00:18.3.Tctl']).toEqual({ channel: 'k10temp@0000:00:18.3.Tctl', unit: '°C', value: 45.25 });
    expect(byName['k10temp@0000:00:18.3.Tccd1'].value).toBe(-5);
    expect(byName['nvme@0000:01:00.0.Composite']).toMatchObject({ unit: '°C', value: 38.85 });
    expect(byName['mlx5@0000:3b:00.0.asic']).toMatchObject({ unit: '°C', value: 61 });
    expect(byName['nct6798.Vcore']).toMatchObject({ unit: 'V' });
    expect(byName['nct6798.Vcore'].value).toBeCloseTo(1.032, 9);
    expect(byName['nct6798.+12V'].value).toBeCloseTo(12.096, 9);
    expect(byName['nct6798.curr1']).toMatchObject({ unit: 'A', value: 1.5 });
    expect(byName['nct6798.CPU']).toMatchObject({ unit: 'W', value: 65 });
    expect(byName['nct6798.fan1']).toMatchObject({ unit: 'RPM', value: 1200 });
    rmSync(fs.root, { recursive: true });
  });

  it('reads new values each time', async () => {
    const fs = buildFakeSysfs();
    writeFileSync(fs.file(0, 'temp1_input'), '70500\n');
    expect((await read(fs.root)).byName['k10temp@0000:00:18.3.Tctl'].value).toBe(70.5);
    rmSync(fs.root, { recursive: true });
  });

  it('leaves out a sensor whose file is garbage or unreadable, and says which', async () => {
    const fs = buildFakeSysfs();
    const reader = hwmonReader(await discoverHwmon(fs.root));
    // Listed while it read, then the driver went away (or answered garbage).
    writeFileSync(fs.file(1, 'temp1_input'), 'N/A\n');
    rmSync(fs.file(2, 'temp1_input'));
    const problems: string[] = [];
    const byName = Object.fromEntries((await reader.read(new AbortController().signal, (p) => problems.push(p))).map((r) => [r.channel, r]));
    expect(byName['nvme@0000:01:00.0.Composite']).toBeUndefined();
    expect(byName['mlx5@0000:3b:00.0.asic']).toBeUndefined();
    expect(byName['k10temp@0000:00:18.3.Tctl'].value).toBe(45.25);
    expect(problems).toHaveLength(2);
    expect(problems.find((p) => p.startsWith('nvme@0000:01:00.0.Composite'))).toMatch(/whole number.*N\/A/);
    expect(problems.find((p) => p.startsWith('mlx5@0000:3b:00.0.asic'))).toMatch(/ENOENT/);
    rmSync(fs.root, { recursive: true });
  });

  it('throws when no sensor at all can be read', async () => {
    const fs = buildFakeSysfs([{ parent: 'platform/coretemp.0', name: 'coretemp', files: { temp1_input: '40000' } }], null);
    const chips = await discoverHwmon(fs.root);
    writeFileSync(fs.file(0, 'temp1_input'), '');
    await expect(hwmonReader(chips).read(new AbortController().signal, () => {})).rejects.toMatchObject({ code: 'io-error' });
    rmSync(fs.root, { recursive: true });
  });

  it('keeps names unique: identical chips keep their hwmonN, repeated labels fall back to sensor ids', async () => {
    const fs = buildFakeSysfs(
      [
        { parent: 'platform/acpitz', name: 'acpitz', files: { temp1_input: '1000', temp1_label: 'Zone', temp2_input: '2000', temp2_label: 'Zone' } },
        { parent: 'platform/acpitz2', name: 'acpitz', files: { temp1_input: '3000', temp2_input: '4000', temp2_label: 'temp1' } },
      ],
      null,
    );
    const names = nameSensors(await discoverHwmon(fs.root)).map((s) => s.channel);
    expect(names).toEqual(['acpitz#hwmon0.temp1', 'acpitz#hwmon0.temp2', 'acpitz#hwmon1.temp1', 'acpitz#hwmon1.temp2']);
    rmSync(fs.root, { recursive: true });
  });

  it('parses sysfs integers strictly', () => {
    expect(parseSysfsInteger('-1250\n')).toBe(-1250);
    for (const bad of ['', '12.5', '0x10', 'abc', '1 2']) expect(() => parseSysfsInteger(bad)).toThrow(expect.objectContaining({ code: 'protocol-error' }));
  });
});

describe('hwmon discovery', () => {
  it('lists one workstation device with its chips and the fwctl node whose parent carries sensors', async () => {
    const fs = buildFakeSysfs();
    const [entry, ...rest] = await hwmonDiscovery(fs.root).scan();
    expect(rest).toEqual([]);
    expect(entry.device).toMatchObject({ id: 'host:hwmon', kind: 'host', label: 'Workstation sensors (hwmon)', protocol: 'hwmon', simulated: false });
    expect(entry.device.details.sensors).toBe('9');
    expect(entry.device.details.chips).toContain('nvme (hwmon1, PCI 0000:01:00.0)');
    expect(entry.device.details.fwctlSensors).toBe('fwctl0 → mlx5 @ 0000:3b:00.0');
    rmSync(fs.root, { recursive: true });
  });

  it('lists nothing without /sys/class/hwmon or without sensors', async () => {
    expect(await hwmonDiscovery('/nonexistent-sysfs').scan()).toEqual([]);
    const fs = buildFakeSysfs([{ parent: 'platform/x', name: 'empty', files: {} }], null);
    expect(await hwmonDiscovery(fs.root).scan()).toEqual([]);
    rmSync(fs.root, { recursive: true });
  });
});
