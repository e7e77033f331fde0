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
 *   "allowYes": false                 // CLI --yes may grant without a prompt
 * }
 * Every field is optional; a malformed file is an error, never silently ignored.
 */
export const LabPolicySchema = z
  .object({
    maxScope: z.enum(SCOPES).default('debug-write-full'),
    grantTtlSeconds: z.number().int().min(10).max(86400).default(900),
    maxGrantTtlSeconds: z.number().int().min(10).max(86400).default(4 * 3600),
    allowYes: z.boolean().default(false),
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
