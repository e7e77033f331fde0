// Matching a command's result against a recipe's expectations. Paths walk
// objects and arrays ("slots.0.version") and select array items by a field
// ("entries[key=fan_mode].value"), which is how config.read results read.
import type { Expectation } from './recipe-schema';

export interface ExpectationOutcome {
  path: string;
  actual: unknown;
  ok: boolean;
  /** Plain words when it failed. */
  why?: string;
}

const MISSING = Symbol('missing');

function segments(path: string): string[] {
  const out: string[] = [];
  for (const part of path.split('.')) {
    const m = /^([^[\]]*)((?:\[[^\]]+\])*)$/.exec(part);
    if (!m) return [part];
    if (m[1]) out.push(m[1]);
    for (const sel of m[2].match(/\[[^\]]+\]/g) ?? []) out.push(sel);
  }
  return out;
}

export function resolvePath(value: unknown, path: string): unknown | typeof MISSING {
  if (path === '' || path === '.') return value;
  let cur: unknown = value;
  for (const seg of segments(path)) {
    if (cur === null || typeof cur !== 'object') return MISSING;
    const sel = /^\[([^=\]]+)=([^\]]*)\]$/.exec(seg);
    if (sel) {
      if (!Array.isArray(cur)) return MISSING;
      cur = cur.find((item) => item && typeof item === 'object' && String((item as Record<string, unknown>)[sel[1]]) === sel[2]);
      if (cur === undefined) return MISSING;
      continue;
    }
    const idx = /^\[(\d+)\]$/.exec(seg)?.[1] ?? seg;
    if (!Object.prototype.hasOwnProperty.call(cur, idx)) return MISSING;
    cur = (cur as Record<string, unknown>)[idx];
  }
  return cur;
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

const show = (v: unknown) => (v === MISSING ? 'nothing' : JSON.stringify(v));

export function checkExpectation(result: unknown, e: Expectation): ExpectationOutcome {
  const actual = resolvePath(result, e.path);
  const out = (ok: boolean, why?: string): ExpectationOutcome => ({ path: e.path, actual: actual === MISSING ? undefined : actual, ok, why: ok ? undefined : why });
  if (e.exists !== undefined && (actual !== MISSING) !== e.exists) return out(false, e.exists ? `"${e.path}" is not in the result` : `"${e.path}" is present (${show(actual)})`);
  if (actual === MISSING && e.exists !== false) return out(false, `"${e.path}" is not in the result`);
  if (e.equals !== undefined && !same(actual, e.equals)) return out(false, `"${e.path}" is ${show(actual)}, expected ${JSON.stringify(e.equals)}`);
  if (e.notEquals !== undefined && same(actual, e.notEquals)) return out(false, `"${e.path}" is ${show(actual)}, which it must not be`);
  if (e.oneOf !== undefined && !e.oneOf.some((x) => same(actual, x))) return out(false, `"${e.path}" is ${show(actual)}, expected one of ${JSON.stringify(e.oneOf)}`);
  if (e.matches !== undefined && !(typeof actual === 'string' && new RegExp(e.matches).test(actual))) return out(false, `"${e.path}" is ${show(actual)}, which does not match /${e.matches}/`);
  if (e.min !== undefined || e.max !== undefined) {
    if (typeof actual !== 'number') return out(false, `"${e.path}" is ${show(actual)}, not a number`);
    if (e.min !== undefined && actual < e.min) return out(false, `"${e.path}" is ${actual}, below ${e.min}`);
    if (e.max !== undefined && actual > e.max) return out(false, `"${e.path}" is ${actual}, above ${e.max}`);
  }
  return out(true);
}

export function checkExpectations(result: unknown, expectations: readonly Expectation[]): ExpectationOutcome[] {
  return expectations.map((e) => checkExpectation(result, e));
}
