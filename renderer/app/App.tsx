import { useEffect, useState } from 'react';
import { useApp } from '../store/app-store';
import { RecordingsView } from '../panels/RecordingsView';
import { OnboardingChecks } from '../components/OnboardingChecks';
import { DiagnosticsView } from '../panels/DiagnosticsView';
import { DeviceList } from '../panels/DeviceList';
import { SessionView } from '../panels/SessionView';
import { Notices } from '../components/Notices';
import { ElevationDialog } from '../panels/ElevationDialog';
import { AddSerialPort } from '../components/AddSerialPort';

export function App() {
  const facts = useApp((s) => s.facts);
  const selected = useApp((s) => s.selectedDeviceId);
  const [view, setView] = useState<'device' | 'recordings' | 'diagnostics'>('device');
  useEffect(() => setView('device'), [selected]);
  return (
    <div className="app">
      <header className="topbar">
        <strong>fwbench</strong>
        <span className="muted">
          {facts?.version} · {facts?.operator} · {facts?.kernel}
          {facts?.servedMode ? ' · served on loopback' : ''}
        </span>
        <span className="muted" title="Kernel facts that decide what fwctl scopes can do">
          lockdown: {facts?.lockdown} · CAP_SYS_RAWIO: {facts?.capSysRawio ? 'yes' : 'no'} · kernel fwctl taint: {facts?.kernelFwctlTaint ? 'yes' : 'no'}
        </span>
      </header>
      <nav className="sidebar" aria-label="Devices">
        <DeviceList />
        <AddSerialPort />
        <button className="recordings-button" onClick={() => setView('recordings')} aria-pressed={view === 'recordings'}>
          Recordings (offline)
        </button>
        <button className="recordings-button" onClick={() => setView('diagnostics')} aria-pressed={view === 'diagnostics'}>
          Diagnostics
        </button>
      </nav>
      <main className="main">
        <OnboardingChecks />
        {view === 'recordings' ? <RecordingsView /> : view === 'diagnostics' ? <DiagnosticsView /> : <SessionView />}
      </main>
      <Notices />
      <ElevationDialog />
    </div>
  );
}
