// Recipe files are checked before anything runs; every mistake names the step.
import { parseRecipe } from '../../../electron/host/recipes/recipe-schema';
import { planRecipe } from '../../../electron/host/recipes/recipe-plan';
import { checkExpectation } from '../../../electron/host/recipes/expectations';

const recipe = (steps: unknown[], extra: Record<string, unknown> = {}) => JSON.stringify({ 'fwbench-recipe': 1, name: 't', steps, ...extra });
const parseError = (text: string) => {
  try {
    parseRecipe(text);
  } catch (e) {
    return e as { code: string; message: string; detail?: string };
  }
  throw new Error('parsed');
};

describe('recipe schema errors', () => {
  it('names an unknown step type with its index', () => {
    const e = parseError(recipe([{ type: 'wait-device' }, { type: 'flash', file: 'a.bin' }, { type: 'reboot-twice' }]));
    expect(e).toMatchObject({ code: 'bad-request', message: 'Step 3 has an unknown type "reboot-twice".' });
    expect(e.detail).toContain('expect-console');
  });

  it('names a bad field with the step, its type and the field', () => {
    expect(parseError(recipe([{ type: 'wait-device' }, { type: 'expect-console', pattern: 'x', timeoutSeconds: -1 }])).message).toMatch(/^Step 2 \(expect-console\) is not valid: timeoutSeconds: /);
    expect(parseError(recipe([{ type: 'check', command: 'device.info', expect: [] }])).message).toMatch(/^Step 1 \(check\) is not valid: expect: /);
    expect(parseError(recipe([{ type: 'flash', file: '/etc/passwd' }])).message).toContain('Step 1 (flash) is not valid: file: a path relative to the recipe file');
    expect(parseError(recipe([{ type: 'flash', file: 'a.bin', verify: true }])).message).toMatch(/Step 1 \(flash\) is not valid: .*verify/);
    expect(parseError(recipe([{ type: 'telemetry-threshold', channel: 'vin', seconds: 1 }])).message).toContain('give min, max or both');
    expect(parseError(recipe([{ type: 'check', command: 'device.info', expect: [{ path: 'x' }] }])).message).toContain('needs a test besides "path"');
    expect(parseError(recipe([{ type: 'expect-console', pattern: '(' }])).message).toContain('Step 1 (expect-console) pattern is not a valid regular expression');
    expect(parseError(recipe([{ noType: 1 }])).message).toBe('Step 1 has no "type".');
  });

  it('refuses a wrong or missing version, non-JSON and empty recipes', () => {
    expect(parseError(JSON.stringify({ 'fwbench-recipe': 2, name: 't', steps: [] })).message).toBe('This recipe is format version 2; this fwbench reads version 1.');
    expect(parseError(JSON.stringify({ name: 't', steps: [] })).message).toContain('no "fwbench-recipe" version field');
    expect(parseError('{ nope').message).toBe('The recipe is not valid JSON.');
    expect(parseError(recipe([])).message).toMatch(/^The recipe is not valid: steps: /);
    expect(parseError(recipe([{ type: 'wait-device' }], { owner: 'me' })).message).toMatch(/The recipe is not valid: .*owner/);
  });
});

describe('planning a recipe', () => {
  it('derives each step\'s scope from the catalog and the one grant to ask for', () => {
    const text = recipe([
      { type: 'wait-device' },
      { type: 'check', command: 'device.info', expect: [{ path: 'board', exists: true }] },
      { type: 'telemetry-threshold', channel: 'vin', min: 1, seconds: 1 },
      { type: 'flash', file: 'a.bin' },
      { type: 'command', command: 'uboot.command', params: { command: 'echo' } },
    ]);
    const plan = planRecipe(parseRecipe(text), text);
    expect(plan.steps.map((s) => [s.scope, s.needsGrant])).toEqual([
      [null, false],
      ['configuration', false],
      ['debug-read-only', false],
      ['configuration', true],
      ['debug-write', true],
    ]);
    expect(plan.highestScope).toBe('debug-write');
    expect(plan.grantScope).toBe('debug-write');
    expect(plan.files).toEqual(['a.bin']);
    expect(plan.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('only reads: no grant', () => {
    const text = recipe([{ type: 'check', command: 'config.read', expect: [{ path: 'entries', exists: true }] }]);
    expect(planRecipe(parseRecipe(text), text)).toMatchObject({ highestScope: 'configuration', grantScope: null });
  });

  it('refuses an unknown command without a scope, and a scope below the catalog\'s', () => {
    const a = recipe([{ type: 'confirm', command: 'smp.image.confirm' }]);
    expect(() => planRecipe(parseRecipe(a), a)).toThrow('Step 1 (confirm): "smp.image.confirm" is not a command fwbench knows; give the step a "scope"');
    const b = recipe([{ type: 'confirm', command: 'smp.image.confirm', scope: 'configuration' }]);
    expect(planRecipe(parseRecipe(b), b)).toMatchObject({ grantScope: 'configuration' });
    const c = recipe([{ type: 'command', command: 'uboot.command', scope: 'configuration', params: {} }]);
    expect(() => planRecipe(parseRecipe(c), c)).toThrow('Step 1 (command) asks for configuration, but "uboot.command" needs at least debug-write.');
  });
});

describe('expectations', () => {
  const result = { firmware: '2.1.0+7', deviceType: 2, entries: [{ key: 'fan_mode', value: 'quiet' }, { key: 'vcore_mv', value: 900 }], slots: [{ v: 1 }] };
  it('walks paths, selectors and indexes', () => {
    expect(checkExpectation(result, { path: 'firmware', equals: '2.1.0+7' }).ok).toBe(true);
    expect(checkExpectation(result, { path: 'deviceType', equals: 2 }).ok).toBe(true);
    expect(checkExpectation(result, { path: 'entries[key=vcore_mv].value', min: 850, max: 950 }).ok).toBe(true);
    expect(checkExpectation(result, { path: 'slots.0.v', oneOf: [1, 2] }).ok).toBe(true);
    expect(checkExpectation(result, { path: 'nothing', exists: false }).ok).toBe(true);
  });
  it('says why it failed', () => {
    expect(checkExpectation(result, { path: 'firmware', equals: '2.0.0' }).why).toBe('"firmware" is "2.1.0+7", expected "2.0.0"');
    expect(checkExpectation(result, { path: 'entries[key=fan_mode].value', matches: '^auto$' }).why).toBe('"entries[key=fan_mode].value" is "quiet", which does not match /^auto$/');
    expect(checkExpectation(result, { path: 'entries[key=vcore_mv].value', max: 850 }).why).toBe('"entries[key=vcore_mv].value" is 900, above 850');
    expect(checkExpectation(result, { path: 'entries[key=led].value', equals: true }).why).toBe('"entries[key=led].value" is not in the result');
  });
});
