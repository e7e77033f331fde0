import { useApp, type PanelId } from '../store/app-store';
import { ScopeBadge } from '../components/ScopeBadge';
import { ConsolePanel } from './ConsolePanel';
import { TelemetryPanel } from './TelemetryPanel';
import { ConfigPanel } from './ConfigPanel';
import { FirmwarePanel } from './FirmwarePanel';
import { AuditPanel } from './AuditPanel';
import { FwctlPanel } from './FwctlPanel';
import { RecipesPanel } from './RecipesPanel';
import { ProfilesPanel } from './ProfilesPanel';

const SERIAL_PANELS: { id: PanelId; title: string }[] = [
  { id: 'telemetry', title: 'Telemetry' },
  { id: 'console', title: 'Console' },
  { id: 'config', title: 'Config' },
  { id: 'firmware', title: 'Firmware' },
  { id: 'recipes', title: 'Recipes' },
  { id: 'profiles', title: 'Profiles' },
  { id: 'audit', title: 'Audit' },
];
const FWCTL_PANELS: { id: PanelId; title: string }[] = [
  { id: 'fwctl', title: 'fwctl' },
  { id: 'audit', title: 'Audit' },
];

export function SessionView() {
  const deviceId = useApp((s) => s.selectedDeviceId);
  const device = useApp((s) => s.devices.find((d) => d.id === deviceId));
  const session = useApp((s) => Object.values(s.sessions).find((x) => x.deviceId === deviceId) ?? null);
  const panel = useApp((s) => s.panel);
  const setPanel = useApp((s) => s.setPanel);
  const openSession = useApp((s) => s.openSession);
  const closeSession = useApp((s) => s.closeSession);

  if (!device) return <p className="muted">Select a device.</p>;
  const panels = device.kind === 'fwctl' ? FWCTL_PANELS : SERIAL_PANELS;
  const shown = panels.some((p) => p.id === panel) ? panel : panels[0].id;
  return (
    <section aria-label={`Device ${device.label}`}>
      <div className="device-head">
        <div>
          <h1>
            {device.label} {device.simulated && <span className="tag sim">simulated</span>}
          </h1>
          <dl className="facts">
            {Object.entries({ ...device.details, ...(session?.identity ?? {}) }).map(([k, v]) => (
              <div key={k}>
                <dt>{k}</dt>
                <dd data-testid={`fact-${k}`}>{v}</dd>
              </div>
            ))}
          </dl>
        </div>
        <div className="session-controls">
          {session ? (
            <>
              <ScopeBadge session={session} />
              <span className={`state ${session.state}`} data-testid="session-state">
                {session.state}
              </span>
              <button onClick={() => closeSession(session.id)}>Close session</button>
            </>
          ) : (
            <button className="primary" onClick={() => openSession(device.id)} data-testid="open-session">
              Open session
            </button>
          )}
        </div>
      </div>
      {session && (
        <>
          <div role="tablist" aria-label="Panels" className="tabs">
            {panels.map((p) => (
              <button key={p.id} role="tab" id={`tab-${p.id}`} aria-selected={shown === p.id} aria-controls={`panel-${p.id}`} onClick={() => setPanel(p.id)}>
                {p.title}
              </button>
            ))}
          </div>
          <div role="tabpanel" id={`panel-${shown}`} aria-labelledby={`tab-${shown}`} className="panel">
            {shown === 'console' && <ConsolePanel session={session} />}
            {shown === 'telemetry' && <TelemetryPanel session={session} />}
            {shown === 'config' && <ConfigPanel session={session} />}
            {shown === 'firmware' && <FirmwarePanel session={session} />}
            {shown === 'fwctl' && <FwctlPanel session={session} />}
            {shown === 'audit' && <AuditPanel session={session} />}
            {shown === 'recipes' && <RecipesPanel session={session} />}
            {shown === 'profiles' && <ProfilesPanel session={session} />}
          </div>
        </>
      )}
    </section>
  );
}
