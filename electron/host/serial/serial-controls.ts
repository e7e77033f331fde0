// The serial.* commands, added to whatever adapter speaks on the port (plain
// console, U-Boot, SMP) so every serial session has them.
import { serialBreak, serialSequence, serialSettings } from '../../contract/catalog/serial';
import type { Effect } from '../../contract/effects';
import { bind, type BoundCommand, type DeviceAdapter } from '../adapters/device-adapter';
import type { SerialPortStream } from '../transports/serial-port';
import type { ConsoleCapture } from '../console/console-capture';
import { completeLine, describeLine, needsReopen, rememberLineSettings } from './line-settings';
import { findSequence, runModemSequence } from './modem-sequences';
import { sendBreak } from './serial-break';

/** The part of a SerialPortStream the controls use (a model port in tests). */
export type SerialControlPort = Pick<SerialPortStream, 'path' | 'line' | 'modemLines' | 'setSignals' | 'reconfigure'>;

export function serialControlCommands(port: SerialControlPort, capture?: ConsoleCapture): BoundCommand[] {
  return [
    bind(
      serialSettings,
      async (p) => {
        const before = port.line;
        if (!p.line || Object.keys(p.line).length === 0) return { line: before, text: describeLine(before), changed: false, reopened: false };
        const next = completeLine(p.line, before);
        const { reopened } = await port.reconfigure(next);
        const now = port.line;
        // Remembered per path so a reconnect after unplug reopens with these settings.
        rememberLineSettings(port.path, now);
        capture?.note(`line settings ${describeLine(before)} -> ${describeLine(now)}${reopened ? ' (port reopened)' : ''}`);
        return { line: now, text: describeLine(now), changed: true, reopened };
      },
      {
        effectsFor: (p): readonly Effect[] => (p.line && needsReopen(port.line, completeLine(p.line, port.line)) ? ['resets-device'] : ['reads-device']),
      },
    ),
    bind(serialSequence, async (p, ctx) => {
      const seq = findSequence(p.name);
      const run = await runModemSequence(port, seq, { signal: ctx.signal });
      capture?.note(`${seq.title} (${seq.name}): ${run.applied.length} line changes`);
      return { ...run, wiring: seq.wiring };
    }),
    bind(serialBreak, async (p) => {
      const r = await sendBreak(port, p.ms);
      capture?.note(`break ${p.ms} ms`);
      return r;
    }),
  ];
}

/** The adapter with the serial.* commands added (the adapter's own win when it declares one of the same id). */
export function withSerialControls<A extends DeviceAdapter>(adapter: A, port: SerialControlPort, capture?: ConsoleCapture): A {
  const own = adapter.commands.bind(adapter);
  const extra = serialControlCommands(port, capture);
  return Object.assign(adapter, {
    commands: () => {
      const mine = own();
      const ids = new Set(mine.map((c) => c.decl.id));
      return [...mine, ...extra.filter((c) => !ids.has(c.decl.id))];
    },
  });
}
