import { useEffect, useState } from 'react';
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

/** A panel shows when the session's catalog has the command it is built on (null: always). */
const PANELS: { id: PanelId; title: string; needs: string[] | null }[] = [
  { id: 'fwctl', title: 'fwctl', needs: ['fwctl.info'] },
  { id: 'telemetry', title: 'Telemetry', needs: ['telemetry.stream', 'telemetry.poll'] },
  { id: 'console', title: 'Console', needs: ['console.history'] },
  { id: 'config', title: 'Config', needs: ['config.read'] },
  { id: 'firmware', title: 'Firmware', needs: ['firmware.upload'] },
  { id: 'recipes', title: 'Recipes', needs: null },
  { id: 'profiles', title: 'Profiles', needs: ['config.read'] },
  { id: 'audit', title: 'Audit', needs: null },
];

/** The command ids the session offers, asked of the host (the catalog is the one source of truth). */
function useCatalog(sessionId: string | null, state: string | undefined): Set<string> | null {
  const client = useApp((s) => s.client);
  const [ids, setIds] = useState<Set<string> | null>(null);
  useEffect(() => {
    if (!sessionId || state !== 'open') return;
    let live = true;
    client!.request('catalog.list', { sessionId }).then(
      (cmds) => live && setIds(new Set(cmds.map((c) => c.id))),
      () => live && setIds(null),
    );
    return () => {
      live = false;
    };
  }, [client, sessionId, state]);
  return sessionId ? ids : null;
}

export function SessionView() {
  const deviceId = useApp((s) => s.selectedDeviceId);
  const device = useApp((s) => s.devices.find((d) => d.id === deviceId));
  const session = useApp((s) => Object.values(s.sessions).find((x) => x.deviceId === deviceId) ?? null);
  const panel = useApp((s) => s.panel);
  const setPanel = useApp((s) => s.setPanel);
  const openSession = useApp((s) => s.openSession);
  const closeSession = useApp((s) => s.closeSession);

  const catalog = useCatalog(session?.id ?? null, session?.state);
  // A newly opened device starts on its own first panel (fwctl for a CXL device, Telemetry for a board).
  const [startedFor, setStartedFor] = useState<string | null>(null);
  useEffect(() => {
    if (!catalog || !session || startedFor === session.id) return;
    const first = PANELS.find((p) => p.needs?.some((id) => catalog.has(id)));
    if (first) setPanel(first.id);
    setStartedFor(session.id);
  }, [catalog, session, startedFor, setPanel]);

  if (!device) return <p className="muted">Select a device.</p>;
  const panels = PANELS.filter((p) => p.needs === null || p.needs.some((id) => catalog?.has(id)));
  // Until the catalog is known no panel is shown, so none starts with commands the device lacks.
  const shown = catalog ? (panels.some((p) => p.id === panel) ? panel : panels[0].id) : null;
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
            {shown === 'telemetry' && catalog && <TelemetryPanel session={session} commands={catalog} protocol={device.protocol} />}
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
