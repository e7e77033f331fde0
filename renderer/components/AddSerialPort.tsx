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
  const [baudRate, setBaudRate] = useState(115200);
  const [frame, setFrame] = useState('8N1');
  const [flowControl, setFlow] = useState<'none' | 'rtscts' | 'xonxoff'>('none');
  return (
    <form
      className="add-port"
      aria-label="Add a serial port"
      onSubmit={async (e) => {
        e.preventDefault();
        try {
          const parity = ({ N: 'none', E: 'even', O: 'odd' } as const)[frame[1] as 'N' | 'E' | 'O'];
          const line = { baudRate, dataBits: Number(frame[0]) as 7 | 8, parity, stopBits: Number(frame[2]) as 1 | 2, flowControl };
          const d = await client!.request('devices.add-serial', { path, protocol, line });
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
      <label>
        Baud
        <select value={baudRate} onChange={(e) => setBaudRate(Number(e.target.value))} aria-label="Baud rate">
          {[9600, 19200, 38400, 57600, 115200, 230400, 460800, 921600, 1000000, 1500000, 2000000, 3000000].map((b) => (
            <option key={b} value={b}>
              {b}
            </option>
          ))}
        </select>
      </label>
      <label>
        Frame
        <select value={frame} onChange={(e) => setFrame(e.target.value)} aria-label="Data bits, parity and stop bits">
          {['8N1', '8E1', '8O1', '8N2', '7E1', '7O1'].map((f) => (
            <option key={f}>{f}</option>
          ))}
        </select>
      </label>
      <label>
        Flow control
        <select value={flowControl} onChange={(e) => setFlow(e.target.value as typeof flowControl)} aria-label="Flow control">
          <option value="none">none</option>
          <option value="rtscts">RTS/CTS</option>
          <option value="xonxoff">XON/XOFF</option>
        </select>
      </label>
      <button type="submit">Add</button>
    </form>
  );
}
