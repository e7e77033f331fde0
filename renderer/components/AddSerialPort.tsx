import { useState } from 'react';
import { useApp } from '../store/app-store';

const PROTOCOLS = [
  { id: 'console', title: 'Console' },
  { id: 'uboot', title: 'U-Boot' },
  { id: 'smp', title: 'MCUmgr SMP' },
  { id: 'telemetry-csv', title: 'Telemetry: CSV / columns' },
  { id: 'telemetry-plotter', title: 'Telemetry: name:value (plotter)' },
  { id: 'telemetry-jsonl', title: 'Telemetry: JSON lines' },
] as const;

/** Ports the OS does not list (ptys, odd adapters) are added by path. */
export function AddSerialPort() {
  const client = useApp((s) => s.client);
  const reportError = useApp((s) => s.reportError);
  const select = useApp((s) => s.select);
  const [path, setPath] = useState('/dev/tty');
  const [protocol, setProtocol] = useState<(typeof PROTOCOLS)[number]['id']>('console');
  return (
    <form
      className="add-port"
      aria-label="Add a serial port"
      onSubmit={async (e) => {
        e.preventDefault();
        try {
          const d = await client!.request('devices.add-serial', { path, protocol });
          select(d.id);
        } catch (err) {
          reportError(err);
        }
      }}
    >
      <h3>Add a serial port</h3>
      <label>
        Path
        <input value={path} onChange={(e) => setPath(e.target.value)} aria-label="Serial port path" />
      </label>
      <label>
        Speaks
        <select value={protocol} onChange={(e) => setProtocol(e.target.value as typeof protocol)} aria-label="Protocol on the port">
          {PROTOCOLS.map((p) => (
            <option key={p.id} value={p.id}>
              {p.title}
            </option>
          ))}
        </select>
      </label>
      <button type="submit">Add</button>
    </form>
  );
}
