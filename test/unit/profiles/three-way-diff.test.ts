import { threeWayDiff, countStatuses } from '../../../electron/host/profiles/three-way-diff';
import { planApply } from '../../../electron/host/profiles/profile-ops';
import type { ConfigEntry } from '../../../electron/contract/config';
import type { ConfigProfile } from '../../../electron/contract/recipes';

const live: ConfigEntry[] = [
  { key: 'a', value: 1, type: 'int' },
  { key: 'b', value: 'x', type: 'string' },
  { key: 'c', value: true, type: 'bool' },
  { key: 'sn', value: 'S1', type: 'string', readOnly: true },
  { key: 'env', value: '5', type: 'string' },
];
const profile = (values: ConfigProfile['values']): ConfigProfile => ({ 'fwbench-profile': 1, name: 'p', device: { kind: 'serial', protocol: 'x' }, values, created: '' });

describe('three-way diff', () => {
  it('gives each key its status, profile difference first', () => {
    const rows = threeWayDiff(live, { a: 1, b: 'y', c: true, sn: 'S1', env: '5' }, { a: 2, b: 'x', env: 5, d: 'new' });
    const by = Object.fromEntries(rows.map((r) => [r.key, r]));
    expect(by.a).toMatchObject({ live: 1, snapshot: 1, profile: 2, status: 'differs-from-profile', changedSinceSnapshot: false });
    expect(by.b).toMatchObject({ live: 'x', snapshot: 'y', profile: 'x', status: 'changed-since-snapshot', changedSinceSnapshot: true });
    expect(by.c).toMatchObject({ status: 'same' });
    expect(by.d).toMatchObject({ profile: 'new', status: 'missing' });
    // A text-only device (U-Boot env) holding "5" matches a profile's 5.
    expect(by.env).toMatchObject({ status: 'same' });
    expect(by.sn).toMatchObject({ readOnly: true, status: 'same' });
    expect(countStatuses(rows)).toEqual({ same: 3, 'differs-from-profile': 1, 'changed-since-snapshot': 1, missing: 1 });
  });

  it('without a snapshot nothing is "changed since" it', () => {
    const rows = threeWayDiff(live, null, {});
    expect(rows.every((r) => r.status === 'same' && !r.changedSinceSnapshot && r.snapshot === undefined)).toBe(true);
  });

  it('plans an apply of only the differing, writable keys', () => {
    const plan = planApply(live, profile({ a: 2, b: 'x', sn: 'S2', d: 'new' }), true);
    expect(plan.writeParams).toEqual({ changes: { a: 2, d: 'new' }, save: true });
    expect(plan.skipped).toEqual([{ key: 'sn', reason: 'read-only on the device' }]);
    expect(planApply(live, profile({ a: 1 })).writeParams).toBeNull();
  });
});
