// The errno the real kernel would return, as the HostError the native
// transport raises for it. electron/host/fwctl/errno.ts (another engineer's)
// did not exist when this was written; the codes follow the uAPI doc and the
// detail carries the errno name, so callers can match either transport.
import type { ErrorCode } from '../../../contract/errors';
import { HostError } from '../../errors/host-error';

export type KernelErrno = 'EINVAL' | 'EPERM' | 'EOPNOTSUPP' | 'EMSGSIZE' | 'ENODEV';

const CODE: Readonly<Record<KernelErrno, ErrorCode>> = {
  EINVAL: 'invalid-params',
  EPERM: 'permission-denied',
  EOPNOTSUPP: 'not-supported',
  EMSGSIZE: 'invalid-params',
  ENODEV: 'device-gone',
};

export function kernelError(errno: KernelErrno, message: string, why: string): HostError {
  return new HostError(CODE[errno], message, `${errno}: ${why}`);
}
