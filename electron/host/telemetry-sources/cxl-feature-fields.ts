// Pure: the numbers in a decoded CXL feature, as telemetry readings.
// Booleans become 0/1, arrays (ECS media FRUs) get an index; text fields and
// raw register words the decoder already split into named bits are left out.
import type { DecodedFeatureData } from '../protocols/cxl';
import type { Reading } from './reading';

/** Register words whose bits appear as named fields too (charting both is noise). */
const RAW_WORDS = new Set(['capabilities', 'flags', 'config', 'logCapabilities', 'opCapabilities', 'opMode', 'pprFlags', 'restrictionFlags', 'pprOpMode']);
const UNITS: Readonly<Record<string, string>> = { cycleHours: 'h', minCycleHours: 'h' };

export function featureReadings(decoded: DecodedFeatureData): Reading[] {
  if (decoded.kind === 'unknown') return [];
  const out: Reading[] = [];
  flatten(decoded.kind, '', decoded.value, out);
  return out;
}

function flatten(prefix: string, field: string, v: unknown, out: Reading[]): void {
  if (typeof v === 'number') {
    if (Number.isFinite(v)) out.push({ channel: prefix, unit: UNITS[field] ?? '', value: v });
  } else if (typeof v === 'boolean') {
    out.push({ channel: prefix, unit: '', value: v ? 1 : 0 });
  } else if (Array.isArray(v)) {
    v.forEach((item, i) => flatten(`${prefix}.${i}`, field, item, out));
  } else if (v !== null && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) if (!RAW_WORDS.has(k)) flatten(`${prefix}.${k}`, k, x, out);
  }
}
