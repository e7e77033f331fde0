// The workstation's hwmon sensors as telemetry. sysfs gives m°C, mV, mA, µW
// and RPM; channels carry °C, V, A, W and RPM. Channel names say which chip
// (and, for a sensor on a PCI function such as an fwctl device's parent,
// which PCI address) and which sensor: "k10temp.Tctl", "nvme@0000:01:00.0.Composite".
import { readFile } from 'node:fs/promises';
import { HostError } from '../errors/host-error';
import type { HwmonDevice, HwmonSensor } from '../telemetry';
import type { PollReader, Reading } from './reading';

export interface NamedSensor {
  sensor: HwmonSensor;
  channel: string;
}

/** Channel names, unique across chips: chip[@pci], then the sensor's label (or id when labels repeat). */
export function nameSensors(devices: readonly HwmonDevice[]): NamedSensor[] {
  const tagOf = (d: HwmonDevice) => (d.pciAddress ? `${d.name}@${d.pciAddress}` : d.name);
  const tagCount = new Map<string, number>();
  for (const d of devices) tagCount.set(tagOf(d), (tagCount.get(tagOf(d)) ?? 0) + 1);
  const out: NamedSensor[] = [];
  for (const d of devices) {
    // Two identical chips without a parent to tell them apart keep their hwmonN.
    const tag = tagCount.get(tagOf(d))! > 1 ? `${tagOf(d)}#${d.id}` : tagOf(d);
    const labelCount = new Map<string, number>();
    for (const s of d.sensors) if (s.label) labelCount.set(s.label, (labelCount.get(s.label) ?? 0) + 1);
    for (const s of d.sensors) {
      const name = s.label && labelCount.get(s.label) === 1 && !sensorIdTaken(d, s.label, s) ? s.label : s.id;
      out.push({ sensor: s, channel: `${tag}.${name}` });
    }
  }
  return out;
}

/** A label equal to another sensor's id ("temp2" labelled on temp1) would collide. */
function sensorIdTaken(d: HwmonDevice, label: string, self: HwmonSensor): boolean {
  return d.sensors.some((o) => o !== self && o.id === label);
}

/** Parses one sysfs value file's text: a decimal integer, possibly negative (temperatures below zero). */
export function parseSysfsInteger(text: string): number {
  const t = text.trim();
  if (!/^-?\d+$/.test(t)) throw new HostError('protocol-error', 'The sensor file does not hold a whole number.', JSON.stringify(t.slice(0, 40)));
  return Number(t);
}

export function hwmonReader(devices: readonly HwmonDevice[]): PollReader {
  const sensors = nameSensors(devices);
  return {
    async read(_signal, problem) {
      const results = await Promise.all(
        sensors.map(async ({ sensor, channel }): Promise<Reading | null> => {
          try {
            return { channel, unit: sensor.unit, value: parseSysfsInteger(await readFile(sensor.file, 'utf8')) * sensor.scale };
          } catch (e) {
            // Drivers answer EIO/ENODATA while their device sleeps; the others still count.
            const why = e instanceof HostError ? `${e.message} ${e.detail ?? ''}`.trim() : (e as NodeJS.ErrnoException).code ?? (e as Error).message;
            problem(`${channel} (${sensor.file}): ${why}`);
            return null;
          }
        }),
      );
      const out = results.filter((r): r is Reading => r !== null);
      if (out.length === 0 && sensors.length > 0) throw new HostError('io-error', 'No hwmon sensor could be read.', `${sensors.length} sensors`);
      return out;
    },
  };
}
