// Puts the registry's devices into the units the graph found: a fwctl device
// by its PCI function, a serial port by its tty, a DFU device by its USB port.
// A device the graph does not place (the demo board, a pty) is a unit of its own.
import type { DeviceInfo } from '../../contract/devices';
import type { DeviceUnit } from '../../contract/channels';
import { normalizePortPath } from './usb-sysfs';
import { ttyName } from './build-units';

function placeOf(units: readonly DeviceUnit[], d: DeviceInfo): DeviceUnit | undefined {
  const has = (u: DeviceUnit, kind: string, name: string) => u.members.some((m) => m.kind === kind && m.name === name);
  if (d.kind === 'fwctl' && d.details.pci) return units.find((u) => has(u, 'pci-function', d.details.pci));
  if (d.kind === 'fwctl' && d.path) return units.find((u) => u.members.some((m) => m.kind === 'fwctl' && m.detail === d.path));
  if (d.kind === 'serial' && d.path && !d.simulated) {
    const byTty = units.find((u) => has(u, 'tty', ttyName(d.path!)));
    if (byTty) return byTty;
  }
  if (d.details.usbSerial) {
    const bySerial = units.find((u) => u.identity.usbSerial === d.details.usbSerial);
    if (bySerial) return bySerial;
  }
  if (d.details.usbPort) return units.find((u) => u.kind === 'usb' && u.identity.usbPort === normalizePortPath(d.details.usbPort));
  return undefined;
}

/** Units holding at least one registry device, and each device's unit id. */
export function attachDevices(units: readonly DeviceUnit[], devices: readonly DeviceInfo[]): { units: DeviceUnit[]; unitOf: Map<string, string> } {
  const out = new Map<string, DeviceUnit>();
  const unitOf = new Map<string, string>();
  for (const d of devices) {
    const found = placeOf(units, d);
    let u: DeviceUnit;
    if (found) {
      u = out.get(found.id) ?? structuredClone(found);
    } else {
      const id = `device:${d.id}`;
      u = out.get(id) ?? { id, label: d.label, kind: 'standalone', simulated: d.simulated, deviceIds: [], members: [], identity: { ...d.details } };
    }
    u.deviceIds.push(d.id);
    if (d.simulated) u.simulated = true;
    out.set(u.id, u);
    unitOf.set(d.id, u.id);
  }
  return { units: [...out.values()].sort((a, b) => Number(b.simulated) - Number(a.simulated) || a.label.localeCompare(b.label)), unitOf };
}
