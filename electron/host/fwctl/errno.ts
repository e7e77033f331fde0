// errno from the fwctl ioctls -> HostError in plain words. Meanings follow the
// uAPI doc in include/uapi/fwctl/fwctl.h and drivers/fwctl/main.c.
import { constants } from 'node:os';
import type { ErrorCode } from '../../contract/errors';
import { HostError } from '../errors/host-error';

const ERRNO = constants.errno as Record<string, number>;
const NAME_BY_NUMBER = new Map<number, string>();
for (const [name, n] of Object.entries(ERRNO)) if (!NAME_BY_NUMBER.has(n)) NAME_BY_NUMBER.set(n, name);
// EOPNOTSUPP and ENOTSUP share a number on Linux; the fwctl doc says EOPNOTSUPP.
if (ERRNO.EOPNOTSUPP !== undefined) NAME_BY_NUMBER.set(ERRNO.EOPNOTSUPP, 'EOPNOTSUPP');

/** 'EINVAL' for 22 (or -22); 'errno 999' for a number the platform does not name. */
export function errnoName(errno: number): string {
  return NAME_BY_NUMBER.get(Math.abs(errno)) ?? `errno ${Math.abs(errno)}`;
}

interface Meaning {
  code: ErrorCode;
  words: string;
}

const MEANINGS: Record<string, Meaning> = {
  ENOTTY: { code: 'not-supported', words: 'This file is not a fwctl device, or the running kernel does not know this fwctl command.' },
  E2BIG: { code: 'not-supported', words: 'The request uses fields this kernel does not know yet (fwbench is newer than the kernel\'s fwctl).' },
  EOPNOTSUPP: { code: 'not-supported', words: 'The kernel knows the request but not the value given, for example an unknown scope.' },
  EINVAL: {
    code: 'invalid-params',
    words: 'The kernel driver refused the request: a field, the command or the scope is not allowed for it (for example a command the driver does not pass through, or a scope too low for this change).',
  },
  ENOMEM: { code: 'io-error', words: 'The kernel could not allocate memory for the request.' },
  ENODEV: { code: 'device-gone', words: 'The device was removed (hot-unplugged); this handle no longer reaches it. Reopen the device when it is back.' },
  EPERM: {
    code: 'permission-denied',
    words: 'The kernel refused the request: full debug write access needs the CAP_SYS_RAWIO capability, or the kernel keeps this item for itself.',
  },
  EACCES: { code: 'permission-denied', words: 'No permission to open the fwctl device; it is usually readable by root only.' },
  EMSGSIZE: { code: 'invalid-params', words: 'The request or the reply buffer is larger than the 2 MiB the kernel accepts.' },
  EFAULT: { code: 'internal', words: 'The kernel could not read or write the request buffers (a bug in fwbench).' },
  EBUSY: { code: 'device-busy', words: 'The device is busy with another command; try again.' },
  ENOENT: { code: 'unknown-device', words: 'There is no such fwctl device.' },
  ENXIO: { code: 'device-gone', words: 'The fwctl device node exists but no device is behind it.' },
  EINTR: { code: 'cancelled', words: 'The request was interrupted before the device answered.' },
  ETIMEDOUT: { code: 'timeout', words: 'The device did not answer in time.' },
  EIO: { code: 'device-error', words: 'The device reported an input/output error.' },
};

/** A HostError that also carries the errno the kernel returned. */
export class FwctlErrnoError extends HostError {
  readonly errno: number;
  readonly errnoName: string;
  constructor(errno: number, code: ErrorCode, message: string, detail: string) {
    super(code, message, detail);
    this.errno = Math.abs(errno);
    this.errnoName = errnoName(errno);
  }
}

/**
 * The error for a failed fwctl call. `errno` may be positive or the binding's
 * negative return value; `operation` says what was attempted (e.g. 'FWCTL_RPC').
 */
export function fwctlErrnoError(errno: number, operation: string, devicePath?: string): FwctlErrnoError {
  const name = errnoName(errno);
  const meaning = MEANINGS[name] ?? { code: 'io-error' as const, words: `The kernel refused the fwctl request (${name}).` };
  const where = devicePath ? ` on ${devicePath}` : '';
  return new FwctlErrnoError(errno, meaning.code, meaning.words, `${operation}${where} failed: ${name} (errno ${Math.abs(errno)})`);
}
