// The host's view of the graph: scans sysfs (when discovery is on), groups,
// keeps ids stable across re-enumeration, and places the registry's devices.
import type { DeviceInfo } from '../../contract/devices';
import type { DeviceUnit } from '../../contract/channels';
import { listFwctlDevices } from '../devices/fwctl-discovery';
import { listSerialPorts } from '../devices/serial-discovery';
import { buildUnits, type GraphFacts } from './build-units';
import { attachDevices } from './attach-devices';
import { listUsbDevices } from './usb-sysfs';
import { UnitTracker } from './unit-tracker';

export class DeviceGraph {
  private readonly tracker = new UnitTracker();

  constructor(private readonly facts: () => GraphFacts) {}

  /** Reads /sys (or `sysRoot`); with `scan` false, only registry devices form units. */
  static forSysfs(scan: boolean, sysRoot = '/sys', devRoot = '/dev'): DeviceGraph {
    return new DeviceGraph(() =>
      scan ? { fwctl: listFwctlDevices(sysRoot, devRoot), serial: listSerialPorts(sysRoot, devRoot), usb: listUsbDevices(sysRoot) } : { fwctl: [], serial: [], usb: [] },
    );
  }

  place(devices: readonly DeviceInfo[]): { units: DeviceUnit[]; unitOf: Map<string, string> } {
    let units: DeviceUnit[];
    try {
      units = this.tracker.resolve(buildUnits(this.facts()));
    } catch {
      // An unreadable sysfs corner must not hide the device list.
      units = [];
    }
    return attachDevices(units, devices);
  }

  units(devices: readonly DeviceInfo[]): DeviceUnit[] {
    return this.place(devices).units;
  }

  /** The device list with each device's unit id filled in. */
  annotate(devices: DeviceInfo[]): DeviceInfo[] {
    const { unitOf } = this.place(devices);
    return devices.map((d) => ({ ...d, unit: unitOf.get(d.id) }));
  }

  /** Other registry devices of the same unit. */
  siblings(deviceId: string, devices: readonly DeviceInfo[]): string[] {
    const { units, unitOf } = this.place(devices);
    const u = units.find((x) => x.id === unitOf.get(deviceId));
    return u ? u.deviceIds.filter((id) => id !== deviceId) : [];
  }
}
