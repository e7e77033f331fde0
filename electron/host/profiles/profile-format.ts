// The config profile file (version 1): a device's settings as JSON, to keep in
// version control and apply to other boards of the same kind.
import { z } from 'zod';
import type { ConfigProfile } from '../../contract/recipes';
import type { ConfigEntry, ConfigValue } from '../../contract/config';
import { HostError } from '../errors/host-error';

const PROFILE_VERSION = 1;
const value = z.union([z.string().max(4096), z.number().finite(), z.boolean()]);

const ProfileSchema = z
  .object({
    'fwbench-profile': z.literal(PROFILE_VERSION),
    name: z.string().min(1).max(200),
    device: z.object({ kind: z.string().min(1).max(40), protocol: z.string().min(1).max(40) }).strict(),
    values: z.record(z.string().min(1).max(128), value).refine((v) => Object.keys(v).length <= 512, 'at most 512 values'),
    created: z.string().max(64),
    source: z.object({ deviceId: z.string().max(200), label: z.string().max(200), identity: z.record(z.string(), z.string().max(500)) }).strict().optional(),
  })
  .strict();

/** Validates a profile (already parsed JSON or its text). */
export function parseProfile(input: unknown): ConfigProfile {
  let raw = input;
  if (typeof input === 'string') {
    try {
      raw = JSON.parse(input);
    } catch (e) {
      throw new HostError('bad-request', 'The profile is not valid JSON.', (e as Error).message);
    }
  }
  const version = (raw as Record<string, unknown> | null)?.['fwbench-profile'];
  if (version === undefined) throw new HostError('bad-request', 'This is not a fwbench profile: it has no "fwbench-profile" version field.');
  if (version !== PROFILE_VERSION) throw new HostError('bad-request', `This profile is format version ${JSON.stringify(version)}; this fwbench reads version ${PROFILE_VERSION}.`);
  const r = ProfileSchema.safeParse(raw);
  if (!r.success) throw new HostError('bad-request', `The profile is not valid: ${r.error.issues.map((i) => `${i.path.join('.') || '(top)'}: ${i.message}`).join('; ')}`);
  return r.data as ConfigProfile;
}

/** A profile of what the device holds now; read-only entries (serial numbers) are left out. */
export function buildProfile(
  name: string,
  device: { deviceId: string; label: string; kind: string; protocol: string; identity: Record<string, string> },
  entries: readonly ConfigEntry[],
  now = new Date(),
): ConfigProfile {
  const values: Record<string, ConfigValue> = {};
  for (const e of entries) if (!e.readOnly) values[e.key] = e.value;
  return {
    'fwbench-profile': 1,
    name,
    device: { kind: device.kind, protocol: device.protocol },
    values,
    created: now.toISOString(),
    source: { deviceId: device.deviceId, label: device.label, identity: { ...device.identity } },
  };
}

/** Same setting value; a device that keeps text (U-Boot's env) equals a number or flag with the same text. */
export function sameValue(a: ConfigValue | undefined, b: ConfigValue | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  if (typeof a === typeof b) return a === b;
  return (typeof a === 'string' || typeof b === 'string') && String(a) === String(b);
}
