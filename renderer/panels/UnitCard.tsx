import type { DeviceInfo } from '../../electron/contract/devices';
import { useApp } from '../store/app-store';

/** One physical unit: its devices (ports, fwctl node, DFU) as one card. */
export function UnitCard(props: { unitId: string; devices: DeviceInfo[] }) {
  const selected = useApp((s) => s.selectedDeviceId);
  const sessions = useApp((s) => s.sessions);
  const select = useApp((s) => s.select);
  const grouped = props.devices.length > 1;
  return (
    <li className={grouped ? 'unit-card grouped' : 'unit-card'} data-testid={`unit-${props.unitId}`} aria-label={grouped ? `Unit ${props.unitId}` : undefined}>
      {grouped && <div className="unit-title muted">{props.unitId.replace(/^usb:sn:/, 'USB serial ').replace(/^pci:/, 'PCI ')}</div>}
      <ul role="group">
        {props.devices.map((d) => {
          const open = Object.values(sessions).some((s) => s.deviceId === d.id);
          return (
            <li key={d.id} role="option" aria-selected={selected === d.id}>
              <button className={selected === d.id ? 'device selected' : 'device'} onClick={() => select(d.id)} data-testid={`device-${d.id}`}>
                <span className="device-label">{d.label}</span>
                <span className="muted">
                  {d.kind} · {d.protocol}
                  {open ? ' · open' : ''}
                </span>
                {d.simulated && <span className="tag sim">simulated</span>}
              </button>
            </li>
          );
        })}
      </ul>
    </li>
  );
}
