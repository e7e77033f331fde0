import { useCallback, useEffect, useRef, useState } from 'react';
import type { SessionInfo } from '../../electron/contract/devices';
import { useApp } from '../store/app-store';
import type { TelemetryBuffer } from '../store/telemetry-buffer';
import { TelemetryChart, ThresholdEditor, type ThresholdSpec } from '../components/telemetry';
import { RecordingControls } from '../components/telemetry/RecordingControls';
import { PollControls } from '../components/telemetry/PollControls';

export function TelemetryPanel({ session, commands, protocol }: { session: SessionInfo; commands: Set<string>; protocol: string }) {
  const runCommand = useApp((s) => s.runCommand);
  const notify = useApp((s) => s.notify);
  const telemetry = useApp((s) => s.telemetry);
  const [streaming, setStreaming] = useState(false);
  const [buffer, setBuffer] = useState<TelemetryBuffer | null>(null);
  const [channels, setChannels] = useState<{ name: string; unit: string }[]>([]);
  const [thresholds, setThresholds] = useState<ThresholdSpec[]>([]);

  const streams = commands.has('telemetry.stream');
  useEffect(() => {
    if (!streams) return;
    void runCommand(session.id, 'telemetry.stream', 'debug-read-only', { on: true }).then((r) => setStreaming(r !== null));
    return () => void runCommand(session.id, 'telemetry.stream', 'debug-read-only', { on: false });
  }, [session.id, runCommand, streams]);

  // The store creates the session's buffer on its first batch (outside React state), so look for it, then for channel changes.
  useEffect(() => {
    const look = () => {
      const buf = telemetry.get(session.id) ?? null;
      setBuffer(buf);
      const chs = buf?.channels ?? [];
      setChannels((prev) => (prev.length === chs.length && prev.every((c, i) => c.name === chs[i].name && c.unit === chs[i].unit) ? prev : chs.map((c) => ({ ...c }))));
    };
    look();
    const timer = setInterval(look, 500);
    return () => clearInterval(timer);
  }, [session.id, telemetry]);

  const recording = useRef(false);
  const onAlarm = useCallback(
    (channel: string, value: number, t: number) => {
      const unit = channels.find((c) => c.name === channel)?.unit ?? '';
      notify({ kind: 'error', text: `${session.deviceLabel}: ${channel} crossed its alarm threshold (${value.toPrecision(4)} ${unit} at ${new Date(t).toLocaleTimeString()}).` });
      // The recording is the session's timeline: an alarm goes into it as a marker.
      if (recording.current) void runCommand(session.id, 'telemetry.mark', 'debug-read-only', { text: `alarm: ${channel} = ${value.toPrecision(4)} ${unit}`.trim() });
    },
    [channels, notify, session.deviceLabel, session.id, runCommand],
  );

  return (
    <div>
      <div className="row">
        {streams && <span className="muted">{streaming ? 'Streaming' : 'Not streaming'}</span>}
      </div>
      {commands.has('telemetry.poll') && <PollControls sessionId={session.id} sources={protocol === 'cxl' ? ['cxl-features'] : ['smp-stats']} />}
      <RecordingControls sessionId={session.id} onChange={(on) => (recording.current = on)} />
      <TelemetryChart buffer={buffer} label={`Telemetry of ${session.deviceLabel}`} thresholds={thresholds} onAlarm={onAlarm} />
      <ThresholdEditor channels={channels} thresholds={thresholds} onChange={setThresholds} />
    </div>
  );
}
