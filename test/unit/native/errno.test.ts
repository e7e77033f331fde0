import { constants } from 'node:os';
import { errnoName, fwctlErrnoError, FwctlErrnoError } from '../../../electron/host/fwctl/errno';
import { HostError } from '../../../electron/host/errors/host-error';

const E = constants.errno;

describe('fwctl errno -> HostError', () => {
  const table: [string, number, string, RegExp][] = [
    ['ENOTTY', E.ENOTTY, 'not-supported', /not a fwctl device/],
    ['E2BIG', E.E2BIG, 'not-supported', /does not know yet/],
    ['EOPNOTSUPP', E.EOPNOTSUPP, 'not-supported', /unknown scope/],
    ['EINVAL', E.EINVAL, 'invalid-params', /refused the request/],
    ['ENOMEM', E.ENOMEM, 'io-error', /memory/],
    ['ENODEV', E.ENODEV, 'device-gone', /hot-unplugged/],
    ['EPERM', E.EPERM, 'permission-denied', /CAP_SYS_RAWIO/],
    ['EMSGSIZE', E.EMSGSIZE, 'invalid-params', /2 MiB/],
    ['EFAULT', E.EFAULT, 'internal', /bug in fwbench/],
    ['EBUSY', E.EBUSY, 'device-busy', /busy/],
    ['ENOENT', E.ENOENT, 'unknown-device', /no such fwctl device/],
  ];
  for (const [name, n, code, words] of table) {
    it(`${name} -> ${code}`, () => {
      for (const value of [n, -n]) {
        const e = fwctlErrnoError(value, 'FWCTL_RPC', '/dev/fwctl/fwctl0');
        expect(e).toBeInstanceOf(HostError);
        expect(e).toBeInstanceOf(FwctlErrnoError);
        expect(e.code).toBe(code);
        expect(e.message).toMatch(words);
        expect(e.errno).toBe(n);
        expect(e.errnoName).toBe(name);
        expect(e.detail).toBe(`FWCTL_RPC on /dev/fwctl/fwctl0 failed: ${name} (errno ${n})`);
      }
    });
  }

  it('names an errno the table does not explain, as io-error', () => {
    const e = fwctlErrnoError(-E.ENOSPC, 'FWCTL_INFO');
    expect(e.code).toBe('io-error');
    expect(e.message).toContain('ENOSPC');
    expect(e.detail).toBe(`FWCTL_INFO failed: ENOSPC (errno ${E.ENOSPC})`);
  });

  it('prints a number the platform does not know', () => {
    expect(errnoName(4095)).toBe('errno 4095');
    expect(fwctlErrnoError(4095, 'open').code).toBe('io-error');
  });

  it('prefers EOPNOTSUPP over its alias ENOTSUP', () => {
    expect(errnoName(E.EOPNOTSUPP)).toBe('EOPNOTSUPP');
  });

  it('serialises to the wire with code, words and detail', () => {
    expect(fwctlErrnoError(E.ENODEV, 'FWCTL_RPC').toWire()).toEqual({
      code: 'device-gone',
      message: expect.stringMatching(/removed/),
      detail: `FWCTL_RPC failed: ENODEV (errno ${E.ENODEV})`,
    });
  });
});
