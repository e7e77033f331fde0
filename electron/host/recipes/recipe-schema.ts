// The recipe file format, version 1 (docs/recipes.md). JSON only. Errors name
// the step by its number (1-based, as an operator counts) and its type.
import { z } from 'zod';
import { SCOPES } from '../../contract/scopes';
import { RECIPE_STEP_TYPES, type RecipeStepType } from '../../contract/recipes';
import { HostError } from '../errors/host-error';

export const RECIPE_VERSION = 1;
const MAX_RECIPE_BYTES = 1024 * 1024;

const seconds = (max: number) => z.number().positive().max(max);
const relFile = z
  .string()
  .min(1)
  .max(500)
  .refine((p) => !p.startsWith('/') && !/^[A-Za-z]:/.test(p), 'a path relative to the recipe file');
const commandId = z.string().min(1).max(100).regex(/^[a-z0-9][a-z0-9._-]*$/, 'a catalog command id such as "device.info"');
const jsonValue: z.ZodType<unknown> = z.lazy(() => z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(jsonValue), z.record(z.string(), jsonValue)]));

/** One expectation on a command's result; `path` walks objects, arrays and `entries[key=NAME]` selectors. */
export const Expectation = z
  .object({
    path: z.string().max(200),
    equals: jsonValue.optional(),
    notEquals: jsonValue.optional(),
    matches: z.string().max(500).optional(),
    min: z.number().optional(),
    max: z.number().optional(),
    oneOf: z.array(jsonValue).max(100).optional(),
    exists: z.boolean().optional(),
  })
  .strict()
  .refine((e) => Object.keys(e).length > 1, 'an expectation needs a test besides "path" (equals, notEquals, matches, min, max, oneOf or exists)');
export type Expectation = z.infer<typeof Expectation>;

const common = {
  /** Shown instead of the generated title. */
  name: z.string().min(1).max(200).optional(),
  /** Runs the step's commands at this scope instead of the catalog's (never lower). */
  scope: z.enum(SCOPES).optional(),
};

export const DeviceMatch = z
  .object({
    protocol: z.string().max(40).optional(),
    kind: z.enum(['serial', 'fwctl', 'usb']).optional(),
    /** Regular expression on the label. */
    label: z.string().max(200).optional(),
    /** Each detail (serial, driver, PCI address...) must equal this. */
    details: z.record(z.string(), z.string().max(200)).optional(),
  })
  .strict();
export type DeviceMatch = z.infer<typeof DeviceMatch>;

const STEP_SCHEMAS = {
  'wait-device': z.object({ type: z.literal('wait-device'), ...common, device: z.string().min(1).max(200).optional(), match: DeviceMatch.optional(), timeoutSeconds: seconds(3600).optional() }).strict(),
  reset: z.object({ type: z.literal('reset'), ...common, command: commandId.optional(), params: z.record(z.string(), jsonValue).optional() }).strict(),
  'expect-console': z
    .object({
      type: z.literal('expect-console'),
      ...common,
      pattern: z.string().min(1).max(500),
      timeoutSeconds: seconds(3600).optional(),
      /** Also search what the console showed before this step (since the session opened). */
      includeHistory: z.boolean().optional(),
    })
    .strict(),
  'stop-autoboot': z.object({ type: z.literal('stop-autoboot'), ...common, timeoutSeconds: seconds(600).optional() }).strict(),
  flash: z.object({ type: z.literal('flash'), ...common, file: relFile, activate: z.boolean().optional(), timeoutSeconds: seconds(24 * 3600).optional() }).strict(),
  'reset-and-reacquire': z
    .object({
      type: z.literal('reset-and-reacquire'),
      ...common,
      command: commandId.optional(),
      timeoutSeconds: seconds(3600).optional(),
      /** The identity after the reset must show this firmware. */
      expectFirmware: z.string().max(200).optional(),
    })
    .strict(),
  confirm: z.object({ type: z.literal('confirm'), ...common, command: commandId, params: z.record(z.string(), jsonValue).optional(), expect: z.array(Expectation).max(50).optional() }).strict(),
  'apply-profile': z.object({ type: z.literal('apply-profile'), ...common, file: relFile, save: z.boolean().optional() }).strict(),
  check: z.object({ type: z.literal('check'), ...common, command: commandId, params: z.record(z.string(), jsonValue).optional(), expect: z.array(Expectation).min(1).max(50) }).strict(),
  'telemetry-threshold': z
    .object({
      type: z.literal('telemetry-threshold'),
      ...common,
      channel: z.string().min(1).max(100),
      min: z.number().optional(),
      max: z.number().optional(),
      seconds: seconds(3600),
      /** At least this many samples must arrive (default 1). */
      minSamples: z.number().int().positive().optional(),
    })
    .strict()
    .refine((s) => s.min !== undefined || s.max !== undefined, 'give min, max or both')
    .refine((s) => s.min === undefined || s.max === undefined || s.min <= s.max, 'min must not be above max'),
  command: z.object({ type: z.literal('command'), ...common, command: commandId, params: z.record(z.string(), jsonValue).optional(), expect: z.array(Expectation).max(50).optional() }).strict(),
} satisfies Record<RecipeStepType, z.ZodType>;

export type RecipeStep = { [T in RecipeStepType]: z.infer<(typeof STEP_SCHEMAS)[T]> }[RecipeStepType];
export type StepOf<T extends RecipeStepType> = Extract<RecipeStep, { type: T }>;

const Header = z
  .object({
    'fwbench-recipe': z.literal(RECIPE_VERSION),
    name: z.string().min(1).max(200),
    description: z.string().max(4000).optional(),
    /** Every board the recipe runs on must match this. */
    device: DeviceMatch.optional(),
    steps: z.array(z.unknown()).min(1).max(500),
  })
  .strict();

export interface Recipe {
  'fwbench-recipe': 1;
  name: string;
  description?: string;
  device?: DeviceMatch;
  steps: RecipeStep[];
}

function fail(message: string, detail?: string): never {
  throw new HostError('bad-request', message, detail);
}

function issueText(issues: readonly z.core.$ZodIssue[]): string {
  return issues.map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message)).join('; ');
}

/** Parses and validates a recipe; throws HostError('bad-request') naming the step. */
export function parseRecipe(text: string): Recipe {
  if (text.length > MAX_RECIPE_BYTES) fail(`The recipe is larger than ${MAX_RECIPE_BYTES} bytes.`);
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    fail('The recipe is not valid JSON.', (e as Error).message);
  }
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) fail('The recipe must be a JSON object.');
  const version = (raw as Record<string, unknown>)['fwbench-recipe'];
  if (version === undefined) fail('This is not a fwbench recipe: it has no "fwbench-recipe" version field.');
  if (version !== RECIPE_VERSION) fail(`This recipe is format version ${JSON.stringify(version)}; this fwbench reads version ${RECIPE_VERSION}.`);
  const head = Header.safeParse(raw);
  if (!head.success) fail(`The recipe is not valid: ${issueText(head.error.issues)}`);
  const steps: RecipeStep[] = head.data.steps.map((s, i) => {
    const where = `Step ${i + 1}`;
    if (!s || typeof s !== 'object' || Array.isArray(s)) fail(`${where} is not an object.`);
    const type = (s as Record<string, unknown>).type;
    if (typeof type !== 'string') fail(`${where} has no "type".`, `known types: ${RECIPE_STEP_TYPES.join(', ')}`);
    if (!(RECIPE_STEP_TYPES as readonly string[]).includes(type)) fail(`${where} has an unknown type "${type.slice(0, 60)}".`, `known types: ${RECIPE_STEP_TYPES.join(', ')}`);
    const r = STEP_SCHEMAS[type as RecipeStepType].safeParse(s);
    if (!r.success) fail(`${where} (${type}) is not valid: ${issueText(r.error.issues)}`);
    return r.data as RecipeStep;
  });
  for (const [i, s] of steps.entries()) {
    if ('pattern' in s) checkRegex(s.pattern, `Step ${i + 1} (${s.type}) pattern`);
    if ('expect' in s) for (const e of s.expect ?? []) if (e.matches !== undefined) checkRegex(e.matches, `Step ${i + 1} (${s.type}) expectation on "${e.path}"`);
  }
  if (head.data.device?.label) checkRegex(head.data.device.label, 'The recipe\'s device label');
  return { 'fwbench-recipe': 1, name: head.data.name, description: head.data.description, device: head.data.device, steps };
}

function checkRegex(source: string, where: string): void {
  try {
    new RegExp(source);
  } catch (e) {
    fail(`${where} is not a valid regular expression.`, (e as Error).message);
  }
}
