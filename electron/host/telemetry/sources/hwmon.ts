// Linux hwmon sensors from sysfs: /sys/class/hwmon/hwmon*/{name, <kind><n>_input,
// <kind><n>_label}. Values come in m°C, mV, mA, µW and RPM and leave here in
// °C, V, A, W and RPM. The resolved `device` link names the parent (often a
// PCI function), so a board card can put an fwctl device and its sensors
// together by PCI address.
import { readdir, readFile, realpath } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import type { TelemetrySink, TelemetrySource } from './source';
import type { ParseError } from '../parsers/parser';
import { PolledSource } from './polled-source';

export type HwmonKind = 'temp' | 'in' | 'curr' | 'power' | 'fan';

export interface HwmonSensor {
  /** e.g. temp1, in0, power1 */
  id: string;
  kind: HwmonKind;
  /** From <id>_label when the driver provides one. */
  label?: string;
  /** Absolute path of the value file. */
  file: string;
  unit: '°C' | 'V' | 'A' | 'W' | 'RPM';
  /** Raw sysfs integer × scale = value in unit. */
  scale: number;
  /** Pipeline channel name: <hwmon id>.<sensor id>, stable across label changes. */
  channel: string;
}

export interface HwmonDevice {
  /** hwmon0, hwmon1, ... (numbering may change across boots; match on name and devicePath). */
  id: string;
  /** The driver's chip name (k10temp, nvme, amdgpu, ...). */
  name: string;
  path: string;
  /** Resolved parent device path inside sysfs (e.g. /devices/pci0000:00/0000:00:01.1/0000:01:00.0), root-relative, or undefined. */
  devicePath?: string;
  /** Nearest PCI function (domain:bus:dev.fn) on the device path, for matching an fwctl device's parent. */
  pciAddress?: string;
  sensors: HwmonSensor[];
}

const UNITS: Record<HwmonKind, { unit: HwmonSensor['unit']; scale: number }> = {
  temp: { unit: '°C', scale: 1e-3 },
  in: { unit: 'V', scale: 1e-3 },
  curr: { unit: 'A', scale: 1e-3 },
  power: { unit: 'W', scale: 1e-6 },
  fan: { unit: 'RPM', scale: 1 },
};

const SENSOR_FILE = /^(temp|in|curr|power|fan)(\d+)_(input|average)$/;
const PCI_BDF = /^[0-9a-f]{4}:[0-9a-f]{2}:[0-9a-f]{2}\.[0-7]$/;

/** Lists hwmon devices under sysRoot (default /sys); an absent class directory gives an empty list. */
export async function discoverHwmon(sysRoot = '/sys'): Promise<HwmonDevice[]> {
  const classDir = join(sysRoot, 'class', 'hwmon');
  let entries: string[];
  try {
    entries = (await readdir(classDir)).filter((e) => /^hwmon\d+$/.test(e));
  } catch {
    return [];
  }
  entries.sort((a, b) => Number(a.slice(5)) - Number(b.slice(5)));
  const devices: HwmonDevice[] = [];
  for (const id of entries) {
    const path = join(classDir, id);
    const name = (await readText(join(path, 'name'))) ?? id;
    let devicePath: string | undefined;
    let pciAddress: string | undefined;
    try {
      const real = await realpath(join(path, 'device'));
      const rootReal = await realpath(sysRoot);
      devicePath = '/' + relative(rootReal, real).split(sep).join('/');
      pciAddress = devicePath.split('/').filter((c) => PCI_BDF.test(c)).pop();
    } catch {
      // Virtual sensors (e.g. acpitz on some boards) have no parent device.
    }
    let sensors = await sensorsIn(path, id);
    // Old drivers keep the attributes on the parent device instead.
    if (sensors.length === 0 && devicePath) sensors = await sensorsIn(join(path, 'device'), id);
    devices.push({ id, name, path, devicePath, pciAddress, sensors });
  }
  return devices;
}

async function sensorsIn(dir: string, hwmonId: string): Promise<HwmonSensor[]> {
  let files: string[];
  try {
    files = await readdir(dir);
  } catch {
    return [];
  }
  const byId = new Map<string, HwmonSensor>();
  for (const f of files.sort()) {
    const m = SENSOR_FILE.exec(f);
    if (!m) continue;
    const kind = m[1] as HwmonKind;
    const id = `${kind}${m[2]}`;
    if (byId.has(id) && m[3] === 'average') continue; // prefer _input over _average
    const label = await readText(join(dir, `${id}_label`));
    byId.set(id, { id, kind, label, file: join(dir, f), ...UNITS[kind], channel: `${hwmonId}.${id}` });
  }
  return [...byId.values()].sort((a, b) => (a.kind === b.kind ? Number(a.id.slice(a.kind.length)) - Number(b.id.slice(b.kind.length)) : a.kind < b.kind ? -1 : 1));
}

async function readText(file: string): Promise<string | undefined> {
  try {
    return (await readFile(file, 'utf8')).trim();
  } catch {
    return undefined;
  }
}

/**
 * Polls the sensors of the given hwmon devices. A sensor whose read fails
 * (drivers return EIO/ENODATA while a device sleeps) is reported once and
 * skipped until it reads again.
 */
export class HwmonSource implements TelemetrySource {
  private readonly poller: PolledSource;
  private sink: TelemetrySink | null = null;
  private readonly failing = new Set<string>();

  constructor(readonly id: string, devices: HwmonDevice[], intervalMs = 1000, now: () => number = Date.now) {
    const sensors = devices.flatMap((d) => d.sensors);
    this.poller = new PolledSource(
      id,
      async () => {
        const out: Record<string, number> = {};
        const errors: ParseError[] = [];
        await Promise.all(
          sensors.map(async (s) => {
            try {
              const raw = Number((await readFile(s.file, 'utf8')).trim());
              if (!Number.isFinite(raw)) throw new Error('not a number');
              out[s.channel] = raw * s.scale;
              this.failing.delete(s.channel);
            } catch (err) {
              if (!this.failing.has(s.channel)) errors.push({ offset: 0, message: `Reading ${s.file} failed (${(err as Error).message}); skipping it until it reads again.` });
              this.failing.add(s.channel);
            }
          }),
        );
        if (errors.length > 0) this.sink?.errors(errors, id);
        return out;
      },
      { intervalMs, now },
    );
  }

  get running(): boolean {
    return this.poller.running;
  }

  async start(sink: TelemetrySink): Promise<void> {
    this.sink = sink;
    await this.poller.start(sink);
  }

  async stop(): Promise<void> {
    await this.poller.stop();
    this.sink = null;
  }
}
