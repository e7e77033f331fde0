import { HostError } from '../host/errors/host-error';

/** Exit codes, documented in the README: lab scripts rely on them. */
export const EXIT = { ok: 0, failure: 1, usage: 2, denied: 3, deviceError: 4, verifyFailed: 5 } as const;

export function exitCodeFor(err: unknown): number {
  const e = HostError.from(err);
  if (['grant-required', 'scope-too-low', 'scope-denied-by-policy', 'confirmation-required', 'capability-missing', 'permission-denied'].includes(e.code)) return EXIT.denied;
  if (['device-error', 'device-gone', 'timeout', 'protocol-error', 'io-error', 'device-busy', 'unknown-device'].includes(e.code)) return EXIT.deviceError;
  if (e.code === 'verification-failed') return EXIT.verifyFailed;
  if (e.code === 'bad-request' || e.code === 'invalid-params') return EXIT.usage;
  return EXIT.failure;
}
