// What a recipe will do before it does it: each step's commands and scope,
// and the one grant to ask for before starting.
import { createHash } from 'node:crypto';
import { scopeRank, type Scope } from '../../contract/scopes';
import { onlyReads, type Effect } from '../../contract/effects';
import type { PlannedStep, RecipePlan } from '../../contract/recipes';
import { HostError } from '../errors/host-error';
import { catalogDecl } from './catalog-index';
import type { Recipe, RecipeStep } from './recipe-schema';

export function recipeHash(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** The commands a step sends, in order. */
export function stepCommands(step: RecipeStep): string[] {
  switch (step.type) {
    case 'wait-device':
      return [];
    case 'reset':
      return [step.command ?? 'device.reset'];
    case 'expect-console':
      return step.includeHistory ? ['console.history'] : [];
    case 'stop-autoboot':
      return ['device.info'];
    case 'flash':
      return ['firmware.upload'];
    case 'reset-and-reacquire':
      return [step.command ?? 'device.reset', 'device.info'];
    case 'confirm':
    case 'check':
    case 'command':
      return [step.command];
    case 'apply-profile':
      return ['config.read', 'config.write'];
    case 'telemetry-threshold':
      return ['telemetry.stream'];
  }
}

export function stepTitle(step: RecipeStep): string {
  if (step.name) return step.name;
  switch (step.type) {
    case 'wait-device':
      return step.device ? `Wait for ${step.device}` : 'Wait for the device';
    case 'reset':
      return 'Reset the device';
    case 'expect-console':
      return `Expect /${step.pattern}/ on the console`;
    case 'stop-autoboot':
      return 'Stop autoboot at the bootloader prompt';
    case 'flash':
      return `Flash ${step.file}`;
    case 'reset-and-reacquire':
      return 'Reset and re-acquire the device';
    case 'confirm':
      return `Confirm with ${step.command}`;
    case 'apply-profile':
      return `Apply profile ${step.file}`;
    case 'check':
      return `Check ${step.command}`;
    case 'telemetry-threshold':
      return `Keep ${step.channel} within [${step.min ?? '-∞'}, ${step.max ?? '∞'}] for ${step.seconds} s`;
    case 'command':
      return `Run ${step.command}`;
  }
}

export interface StepNeeds {
  scope: Scope | null;
  needsGrant: boolean;
  /** The scope each command of the step is sent at. */
  commandScopes: Record<string, Scope>;
}

/** Scope per step: the catalog's, or the step's own when it asks for more. */
export function stepNeeds(step: RecipeStep, index: number): StepNeeds {
  const commandScopes: Record<string, Scope> = {};
  let scope: Scope | null = null;
  let needsGrant = false;
  for (const id of stepCommands(step)) {
    const decl = catalogDecl(id);
    if (!decl && !step.scope) throw new HostError('bad-request', `Step ${index + 1} (${step.type}): "${id}" is not a command fwbench knows; give the step a "scope" to run it anyway.`);
    const declared: Scope = decl?.scope ?? step.scope!;
    if (step.scope && scopeRank(step.scope) < scopeRank(declared)) {
      throw new HostError('bad-request', `Step ${index + 1} (${step.type}) asks for ${step.scope}, but "${id}" needs at least ${declared}.`);
    }
    const at: Scope = step.scope ?? declared;
    const effects: readonly Effect[] = decl?.effects ?? ['changes-config-now'];
    commandScopes[id] = at;
    if (!onlyReads(effects) || scopeRank(at) > scopeRank('debug-read-only')) needsGrant = true;
    if (scope === null || scopeRank(at) > scopeRank(scope)) scope = at;
  }
  return { scope, needsGrant, commandScopes };
}

export function stepFiles(step: RecipeStep): string[] {
  return step.type === 'flash' || step.type === 'apply-profile' ? [step.file] : [];
}

export function planRecipe(recipe: Recipe, text: string): RecipePlan {
  const steps: PlannedStep[] = recipe.steps.map((s, index) => {
    const n = stepNeeds(s, index);
    return { index, type: s.type, title: stepTitle(s), scope: n.scope, needsGrant: n.needsGrant, commands: stepCommands(s) };
  });
  const max = (xs: (Scope | null)[]) => xs.reduce<Scope | null>((a, b) => (b !== null && (a === null || scopeRank(b) > scopeRank(a)) ? b : a), null);
  return {
    name: recipe.name,
    description: recipe.description,
    hash: recipeHash(text),
    steps,
    highestScope: max(steps.map((s) => s.scope)),
    grantScope: max(steps.filter((s) => s.needsGrant).map((s) => s.scope)),
    files: [...new Set(recipe.steps.flatMap(stepFiles))],
  };
}
