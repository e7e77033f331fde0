// Request field checks; a missing or mistyped field is MGMT_ERR_EINVAL.
import { MGMT, SmpRefusal } from '../rc';

export function needString(body: Record<string, unknown>, key: string): string {
  const v = body[key];
  if (typeof v !== 'string') throw SmpRefusal.smp(MGMT.EINVAL, `"${key}" must be a text string`);
  return v;
}

export function needUint(body: Record<string, unknown>, key: string): number {
  const v = body[key];
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) throw SmpRefusal.smp(MGMT.EINVAL, `"${key}" must be an unsigned integer`);
  return v;
}

export function needBytes(body: Record<string, unknown>, key: string): Uint8Array {
  const v = body[key];
  if (!(v instanceof Uint8Array)) throw SmpRefusal.smp(MGMT.EINVAL, `"${key}" must be a byte string`);
  return v;
}

export function optUint(body: Record<string, unknown>, key: string): number | undefined {
  return body[key] === undefined ? undefined : needUint(body, key);
}

export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
