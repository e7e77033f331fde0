import { useApp } from '../store/app-store';
import type { DeviceInfo } from '../../electron/contract/devices';
import { UnitCard } from './UnitCard';

/** One card per physical unit (DeviceInfo.unit from the device graph), in list order. */
function groupByUnit(devices: DeviceInfo[]): [string, DeviceInfo[]][] {
  const groups = new Map<string, DeviceInfo[]>();
  for (const d of devices) {
    const key = d.unit ?? `device:${d.id}`;
    groups.set(key, [...(groups.get(key) ?? []), d]);
  }
  return [...groups];
}

export function DeviceList() {
  const devices = useApp((s) => s.devices);
  return (
    <>
      <h2>Devices</h2>
      {devices.length === 0 && <p className="muted">No devices. Plug a board in, or start fwbench with the demo board.</p>}
      <ul className="device-list" role="listbox" aria-label="Devices">
        {groupByUnit(devices).map(([unit, members]) => (
          <UnitCard key={unit} unitId={unit} devices={members} />
        ))}
      </ul>
    </>
  );
}
