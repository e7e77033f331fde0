import { useEffect, useState } from 'react';
import type { SessionInfo } from '../../../electron/contract/devices';
import { MODEM_SEQUENCE_NAMES, type LineSettingsParams } from '../../../electron/contract/catalog/serial';
import { useApp } from '../../store/app-store';

const BAUDS = [300, 1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200, 230400, 460800, 921600, 1000000, 1500000, 2000000, 3000000];
type Line = Required<LineSettingsParams>;

/**
 * The host's line settings, DTR/RTS sequences and break for a serial session.
 * Shown only when the session offers the serial.* commands (not the demo board).
 */
export function SerialControls({ session }: { session: SessionInfo }) {
  const client = useApp((s) => s.client);
  const runCommand = useApp((s) => s.runCommand);
  const [offered, setOffered] = useState(false);
  const [line, setLine] = useState<Line | null>(null);
  const [draft, setDraft] = useState<Line | null>(null);
  const [sequence, setSequence] = useState<string>(MODEM_SEQUENCE_NAMES[0]);
  const [breakMs, setBreakMs] = useState(250);

  useEffect(() => {
    let live = true;
    if (!client || session.state !== 'open') return;
    void client
      .request('catalog.list', { sessionId: session.id })
      .then(async (cmds) => {
        if (!live || !cmds.some((c) => c.id === 'serial.settings')) return;
        setOffered(true);
        const r = await runCommand<{ line: Line }>(session.id, 'serial.settings', 'configuration', {});
        if (live && r) {
          setLine(r.line);
          setDraft(r.line);
        }
      })
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [client, session.id, session.state, runCommand]);

  if (!offered || !line || !draft) return null;
  const set = <K extends keyof Line>(k: K, v: Line[K]) => setDraft({ ...draft, [k]: v });
  const apply = async () => {
    const r = await runCommand<{ line: Line }>(session.id, 'serial.settings', 'configuration', { line: draft });
    if (r) {
      setLine(r.line);
      setDraft(r.line);
    }
  };

  return (
    <details className="serial-controls">
      <summary>
        Serial line: {line.baudRate} {line.dataBits}
        {line.parity[0].toUpperCase()}
        {line.stopBits}
        {line.flowControl !== 'none' ? ` ${line.flowControl}` : ''}
      </summary>
      <form
        className="row"
        aria-label="Line settings"
        onSubmit={(e) => {
          e.preventDefault();
          void apply();
        }}
      >
        <label>
          Baud
          <select value={draft.baudRate} onChange={(e) => set('baudRate', Number(e.target.value))}>
            {[...new Set([...BAUDS, line.baudRate])].sort((a, b) => a - b).map((b) => (
              <option key={b} value={b}>
                {b}
              </option>
            ))}
          </select>
        </label>
        <label>
          Data bits
          <select value={draft.dataBits} onChange={(e) => set('dataBits', Number(e.target.value) as Line['dataBits'])}>
            {[5, 6, 7, 8].map((b) => (
              <option key={b}>{b}</option>
            ))}
          </select>
        </label>
        <label>
          Parity
          <select value={draft.parity} onChange={(e) => set('parity', e.target.value as Line['parity'])}>
            {['none', 'even', 'odd', 'mark', 'space'].map((p) => (
              <option key={p}>{p}</option>
            ))}
          </select>
        </label>
        <label>
          Stop bits
          <select value={draft.stopBits} onChange={(e) => set('stopBits', Number(e.target.value) as Line['stopBits'])}>
            {[1, 1.5, 2].map((b) => (
              <option key={b}>{b}</option>
            ))}
          </select>
        </label>
        <label>
          Flow control
          <select value={draft.flowControl} onChange={(e) => set('flowControl', e.target.value as Line['flowControl'])}>
            <option value="none">none</option>
            <option value="rtscts">RTS/CTS</option>
            <option value="xonxoff">XON/XOFF</option>
          </select>
        </label>
        <button type="submit">Apply line settings</button>
        <span className="muted">The baud rate changes in place; other changes reopen the port (may reset boards with auto-reset), so they need a Configuration grant.</span>
      </form>
      <div className="row">
        <label>
          Reset sequence
          <select value={sequence} onChange={(e) => setSequence(e.target.value)}>
            {MODEM_SEQUENCE_NAMES.map((n) => (
              <option key={n}>{n}</option>
            ))}
          </select>
        </label>
        <button type="button" onClick={() => void runCommand(session.id, 'serial.sequence', 'configuration', { name: sequence })}>
          Run sequence
        </button>
        <label>
          Break (ms)
          <input type="number" min={1} max={5000} value={breakMs} onChange={(e) => setBreakMs(Number(e.target.value))} />
        </label>
        <button type="button" onClick={() => void runCommand(session.id, 'serial.break', 'debug-write', { ms: breakMs })}>
          Send break
        </button>
      </div>
    </details>
  );
}
