// A transcript registered as a device: simulated, labelled as a replay, and
// read-only — its adapter offers only commands that do nothing but read, so
// the scope policy never even sees a write for it.
import type { DeviceEntry } from '../devices/registry';
import type { AdapterSink, DeviceAdapter } from '../adapters/device-adapter';
import type { HostEvent } from '../../contract/events';
import { onlyReads } from '../../contract/effects';
import { HostError } from '../errors/host-error';
import { ConsoleCapture } from '../console/console-capture';
import { DemoBoardAdapter } from '../adapters/demo-board-adapter';
import { UBootDeviceAdapter } from '../adapters/uboot-device-adapter';
import { SerialConsoleAdapter } from '../adapters/serial-console-adapter';
import { FwctlAdapter } from '../adapters/fwctl-adapter';
import type { Transcript } from './transcript-format';
import { replayStream } from './replay-stream';
import { replayFwctl } from './replay-fwctl';

/** Only the commands whose declared effects are all reads. */
export function readOnlyAdapter(inner: DeviceAdapter): DeviceAdapter {
  const commands = inner.commands().filter((b) => onlyReads(b.decl.effects));
  return {
    protocol: inner.protocol,
    commands: () => commands,
    identity: () => ({ ...inner.identity(), replay: 'yes' }),
    close: () => inner.close(),
  };
}

async function openReplayAdapter(t: Transcript, name: string, sink: AdapterSink, sessionId: string, emit: (e: HostEvent) => void, scratchDir: string): Promise<DeviceAdapter> {
  if (t.header.kind === 'fwctl') return FwctlAdapter.open(replayFwctl(t, name), sink, `Replay of ${t.header.device.label}`);
  const link = replayStream(t, name);
  const capture = new ConsoleCapture(sessionId, emit);
  switch (t.header.device.protocol) {
    case 'demo-board':
      return DemoBoardAdapter.open(link, capture, sink, sessionId);
    case 'uboot':
      return UBootDeviceAdapter.open(link, capture, sink, scratchDir);
    case 'console':
      return new SerialConsoleAdapter(link, capture, sink, { ...t.header.device.details });
    default:
      await link.close();
      throw new HostError('not-supported', `fwbench cannot replay a ${t.header.device.protocol} transcript yet.`);
  }
}

export function replayEntry(t: Transcript, name: string, opts: { emit: (e: HostEvent) => void; scratchDir: string }): DeviceEntry {
  const d = t.header.device;
  return {
    device: {
      id: `replay:${name}`,
      kind: t.header.kind,
      label: `Replay of ${d.label} (read-only)`,
      simulated: true,
      protocol: d.protocol,
      present: true,
      details: { transport: 'transcript replay', transcript: name, recordedAt: t.header.startedAt, ...(d.details.serial ? { serial: d.details.serial } : {}) },
    },
    reconnectable: false,
    factory: {
      open: async (sink, sessionId) => readOnlyAdapter(await openReplayAdapter(t, name, sink, sessionId, opts.emit, opts.scratchDir)),
    },
  };
}
