import { HostError } from '../../../electron/host/errors/host-error';
import type { ErrorCode } from '../../../electron/contract/errors';

/** Asserts fn throws a HostError with this code whose detail matches `detail`. Returns it for more checks. */
export function expectHostError(fn: () => unknown, code: ErrorCode, detail: RegExp): HostError {
  let thrown: unknown;
  try {
    fn();
  } catch (err) {
    thrown = err;
  }
  expect(thrown, 'expected a HostError to be thrown').toBeInstanceOf(HostError);
  const e = thrown as HostError;
  expect(e.code).toBe(code);
  expect(e.detail).toMatch(detail);
  expect(e.message.length).toBeGreaterThan(10);
  return e;
}
