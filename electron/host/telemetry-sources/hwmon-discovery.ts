// "Workstation sensors (hwmon)": one device for all of this machine's hwmon
// chips, listed only when there is at least one sensor (a VM or container
// without /sys/class/hwmon shows nothing). Chips that sit on the PCI function
// of an fwctl device are named in the details, so a lab engineer sees which
// card's temperature belongs to which fwctl node.
import type { DeviceEntry, DiscoverySource } from '../devices/registry';
import { listFwctlDevices } from '../devices/fwctl-discovery';
import { discoverHwmon } from '../telemetry';
import { HwmonAdapter, HWMON_INTERVAL_MS } from '../adapters/hwmon-adapter';

export const HWMON_DEVICE_ID = 'host:hwmon';

export function hwmonDiscovery(sysRoot = '/sys', intervalMs = HWMON_INTERVAL_MS): DiscoverySource {
  return {
    name: 'hwmon',
    scan: async (): Promise<DeviceEntry[]> => {
      const chips = (await discoverHwmon(sysRoot)).filter((c) => c.sensors.length > 0);
      if (chips.length === 0) return [];
      const details: Record<string, string> = {
        chips: chips.map((c) => (c.pciAddress ? `${c.name} (${c.id}, PCI ${c.pciAddress})` : `${c.name} (${c.id})`)).join(', '),
        sensors: String(chips.reduce((n, c) => n + c.sensors.length, 0)),
      };
      const fwctlParents = listFwctlDevices(sysRoot)
        .filter((f) => f.pciAddress && chips.some((c) => c.pciAddress === f.pciAddress))
        .map((f) => `${f.name} → ${chips.filter((c) => c.pciAddress === f.pciAddress).map((c) => c.name).join(' ')} @ ${f.pciAddress}`);
      if (fwctlParents.length > 0) details.fwctlSensors = fwctlParents.join(', ');
      return [
        {
          device: { id: HWMON_DEVICE_ID, kind: 'host', label: 'Workstation sensors (hwmon)', simulated: false, protocol: 'hwmon', present: true, details },
          reconnectable: false,
          factory: { open: (sink, sessionId) => HwmonAdapter.open(sysRoot, sink, sessionId, intervalMs) },
        },
      ];
    },
  };
}
