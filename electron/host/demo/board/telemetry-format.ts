// The demo board's telemetry line: RS 'T' ',' device-ms ',' v1 ... '\n'. The
// record-separator byte keeps it apart from console text even mid-line, the way
// SMP's 0x06 0x09 marker shares a UART with a shell.
import type { TelemetryChannel } from '../../../contract/events';

export const TELEMETRY_MARK = '\x1eT,';

export const TELEMETRY_CHANNELS: readonly TelemetryChannel[] = [
  { name: 'temp_cpu', unit: '°C' },
  { name: 'temp_board', unit: '°C' },
  { name: 'vin', unit: 'V' },
  { name: 'v3v3', unit: 'V' },
  { name: 'vcore', unit: 'V' },
  { name: 'iin', unit: 'A' },
];

export function formatTelemetryLine(deviceMs: number, values: number[]): string {
  return `${TELEMETRY_MARK}${deviceMs}${values.map((v) => ',' + v.toFixed(4)).join('')}\n`;
}
