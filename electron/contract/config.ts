// A device's configuration as the Config panel shows it, whatever the device
// (demo board settings, U-Boot environment, SMP settings, CXL features).
export type ConfigValue = string | number | boolean;

export interface ConfigEntry {
  key: string;
  value: ConfigValue;
  type: 'string' | 'int' | 'float' | 'bool' | 'enum';
  options?: string[];
  min?: number;
  max?: number;
  unit?: string;
  description?: string;
  readOnly?: boolean;
}

export interface ConfigChange {
  key: string;
  before: ConfigValue | undefined;
  after: ConfigValue | undefined;
}

/** Differences between what the device holds and what the operator wants; deletions have after === undefined. */
export function diffConfig(device: Record<string, ConfigValue>, wanted: Record<string, ConfigValue | undefined>): ConfigChange[] {
  const out: ConfigChange[] = [];
  for (const [key, after] of Object.entries(wanted)) {
    const before = device[key];
    if (before !== after) out.push({ key, before, after });
  }
  return out;
}
