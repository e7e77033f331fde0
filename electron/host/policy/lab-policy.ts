import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { SCOPES, type Scope } from '../../contract/scopes';
import { HostError } from '../errors/host-error';

/**
 * The lab policy file, `$XDG_CONFIG_HOME/fwbench/policy.json`:
 * {
 *   "maxScope": "debug-write",        // the highest scope any operator may grant
 *   "grantTtlSeconds": 900,           // default lifetime of a grant
 *   "maxGrantTtlSeconds": 3600,       // a request for longer is cut to this
 *   "allowYes": false,                // CLI --yes may grant without a prompt
 *   "overridable": ["low-supply"],    // preflight problems an operator may override (electron/host/preflight)
 *   "minSupplyVolts": 11.4,           // block writes while a supply channel read below this recently
 *   "supplyWindowSeconds": 10,        // how far back "recently" reaches
 *   "maxBackupAgeMinutes": 30         // config writes need a config backup at most this old
 * }
 * The preflight thresholds are off unless set: supply voltages and backup
 * habits differ from lab to lab.
 * Every field is optional; a malformed file is an error, never silently ignored.
 */
export const LabPolicySchema = z
  .object({
    maxScope: z.enum(SCOPES).default('debug-write-full'),
    grantTtlSeconds: z.number().int().min(10).max(86400).default(900),
    maxGrantTtlSeconds: z.number().int().min(10).max(86400).default(4 * 3600),
    allowYes: z.boolean().default(false),
    overridable: z.array(z.string().min(1).max(64)).max(64).default([]),
    minSupplyVolts: z.number().positive().max(1000).optional(),
    supplyWindowSeconds: z.number().int().min(1).max(3600).default(10),
    maxBackupAgeMinutes: z.number().int().min(1).max(7 * 24 * 60).optional(),
  })
  .strict();
export type LabPolicy = z.infer<typeof LabPolicySchema>;

export const DEFAULT_POLICY: LabPolicy = LabPolicySchema.parse({});

export function loadLabPolicy(configDir: string): { policy: LabPolicy; path: string; found: boolean } {
  const path = join(configDir, 'policy.json');
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return { policy: DEFAULT_POLICY, path, found: false };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new HostError('bad-request', `The lab policy file ${path} is not valid JSON.`, (e as Error).message);
  }
  const parsed = LabPolicySchema.safeParse(json);
  if (!parsed.success) throw new HostError('bad-request', `The lab policy file ${path} has an invalid setting.`, z.prettifyError(parsed.error));
  return { policy: parsed.data, path, found: true };
}

export function policyAllows(policy: LabPolicy, scope: Scope): boolean {
  return SCOPES.indexOf(scope) <= SCOPES.indexOf(policy.maxScope);
}
