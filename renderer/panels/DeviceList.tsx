import { useApp } from '../store/app-store';

export function DeviceList() {
  const devices = useApp((s) => s.devices);
  const selected = useApp((s) => s.selectedDeviceId);
  const sessions = useApp((s) => s.sessions);
  const select = useApp((s) => s.select);
  return (
    <>
      <h2>Devices</h2>
      {devices.length === 0 && <p className="muted">No devices. Plug a board in, or start fwbench with the demo board.</p>}
      <ul className="device-list" role="listbox" aria-label="Devices">
        {devices.map((d) => {
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
    </>
  );
}
