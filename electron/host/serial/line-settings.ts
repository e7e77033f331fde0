// The host's side of a serial line: what it is opened with, how it reads
// ("115200 8N1"), which changes serialport can make in place, and the settings
// each port path was last given, so a reconnect reopens it the same way.
import { lineSettingsSchema } from '../../contract/catalog/serial';
import { HostError } from '../errors/host-error';
import type { LineSettings } from '../transports/serial-port';

export type FullLineSettings = Required<LineSettings>;

export const DEFAULT_LINE: FullLineSettings = { baudRate: 115200, dataBits: 8, parity: 'none', stopBits: 1, flowControl: 'none' };

/** Fills the unset fields from `base` (defaults: 115200 8N1, no flow control). */
export function completeLine(line: Partial<LineSettings> = {}, base: FullLineSettings = DEFAULT_LINE): FullLineSettings {
  return {
    baudRate: line.baudRate ?? base.baudRate,
    dataBits: line.dataBits ?? base.dataBits,
    parity: line.parity ?? base.parity,
    stopBits: line.stopBits ?? base.stopBits,
    flowControl: line.flowControl ?? base.flowControl,
  };
}

/** Validates settings from an untrusted source (CLI flags, tests) with the contract's schema. */
export function checkLine(line: unknown): FullLineSettings {
  const r = lineSettingsSchema.partial().safeParse(line);
  if (!r.success) throw new HostError('invalid-params', 'Those serial line settings are not valid.', r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
  return completeLine(r.data);
}

/** "115200 8N1", "9600 7E2 rtscts": the way lab notes and terminal programs write it. */
export function describeLine(line: FullLineSettings): string {
  const parity = { none: 'N', even: 'E', odd: 'O', mark: 'M', space: 'S' }[line.parity];
  return `${line.baudRate} ${line.dataBits}${parity}${line.stopBits}${line.flowControl === 'none' ? '' : ` ${line.flowControl}`}`;
}

/** serialport changes only the baud rate on an open port; anything else means closing and reopening it. */
export function needsReopen(from: FullLineSettings, to: FullLineSettings): boolean {
  return from.dataBits !== to.dataBits || from.parity !== to.parity || from.stopBits !== to.stopBits || from.flowControl !== to.flowControl;
}

export function sameLine(a: FullLineSettings, b: FullLineSettings): boolean {
  return a.baudRate === b.baudRate && !needsReopen(a, b);
}

// Per path, not per session: a board that is unplugged and comes back is
// reopened with what the operator chose, not with the defaults.
const remembered = new Map<string, FullLineSettings>();

export function rememberLineSettings(path: string, line: Partial<LineSettings> | undefined): FullLineSettings {
  const full = completeLine(line, remembered.get(path));
  remembered.set(path, full);
  return full;
}

export function lineSettingsFor(path: string): FullLineSettings {
  return remembered.get(path) ?? DEFAULT_LINE;
}
