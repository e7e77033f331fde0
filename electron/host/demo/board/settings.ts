import type { ConfigEntry, ConfigValue } from '../../../contract/config';

/** The demo board's settings: what the Config panel edits. */
export const DEMO_SETTINGS: readonly Omit<ConfigEntry, 'value'>[] = [
  { key: 'sample_rate_hz', type: 'int', min: 10, max: 2000, unit: 'Hz', description: 'Telemetry rate per channel' },
  { key: 'fan_mode', type: 'enum', options: ['auto', 'quiet', 'full'], description: 'Cooling fan policy' },
  { key: 'vcore_mv', type: 'int', min: 700, max: 1000, unit: 'mV', description: 'Core rail set point' },
  { key: 'alarm_temp_c', type: 'float', min: 40, max: 110, unit: '°C', description: 'Over-temperature alarm threshold' },
  { key: 'led', type: 'bool', description: 'Status LED on' },
  { key: 'hostname', type: 'string', description: 'Name the board announces' },
  { key: 'serial_number', type: 'string', readOnly: true, description: 'Factory serial number' },
];

export const DEMO_DEFAULTS: Record<string, ConfigValue> = {
  sample_rate_hz: 200,
  fan_mode: 'auto',
  vcore_mv: 850,
  alarm_temp_c: 85,
  led: true,
  hostname: 'demo-board',
};

/** Parses and range-checks a value typed at the board's console. */
export function parseSetting(key: string, text: string): { value: ConfigValue } | { error: string } {
  const spec = DEMO_SETTINGS.find((s) => s.key === key);
  if (!spec) return { error: `unknown setting '${key}'` };
  if (spec.readOnly) return { error: `'${key}' is read-only` };
  switch (spec.type) {
    case 'int':
    case 'float': {
      const n = spec.type === 'int' ? (/^-?\d+$/.test(text) ? Number(text) : NaN) : /^-?\d+(\.\d+)?$/.test(text) ? Number(text) : NaN;
      if (!Number.isFinite(n)) return { error: `'${key}' takes ${spec.type === 'int' ? 'a whole number' : 'a number'}` };
      if ((spec.min !== undefined && n < spec.min) || (spec.max !== undefined && n > spec.max)) return { error: `'${key}' must be between ${spec.min} and ${spec.max}` };
      return { value: n };
    }
    case 'bool':
      if (text === 'true' || text === '1' || text === 'on') return { value: true };
      if (text === 'false' || text === '0' || text === 'off') return { value: false };
      return { error: `'${key}' takes true or false` };
    case 'enum':
      return spec.options!.includes(text) ? { value: text } : { error: `'${key}' takes one of ${spec.options!.join(', ')}` };
    default:
      return text.length <= 63 && /^[\x20-\x7e]*$/.test(text) ? { value: text } : { error: `'${key}' takes up to 63 printable characters` };
  }
}
