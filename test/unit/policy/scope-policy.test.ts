import { SCOPES, scopeRank, type Scope } from '../../../electron/contract/scopes';
import { COMMON_COMMANDS } from '../../../electron/contract/catalog/common';
import { onlyReads } from '../../../electron/contract/effects';
import { authorizeCommand, authorizeGrant, activeGrant } from '../../../electron/host/policy/scope-policy';
import { DEFAULT_POLICY, LabPolicySchema } from '../../../electron/host/policy/lab-policy';
import { HostError } from '../../../electron/host/errors/host-error';

const NOW = 1_000_000;
const GRANTS: (Scope | null)[] = [null, ...SCOPES];

function outcome(fn: () => void): string {
  try {
    fn();
    return 'ok';
  } catch (e) {
    expect(e).toBeInstanceOf(HostError);
    return (e as HostError).code;
  }
}

describe('authorizeCommand: every catalog command × every requested scope × every grant', () => {
  for (const cmd of COMMON_COMMANDS) {
    for (const requested of SCOPES) {
      for (const granted of GRANTS) {
        for (const rawio of [true, false]) {
          it(`${cmd.id} asked at ${requested}, granted ${granted ?? 'nothing'}, rawio ${rawio}`, () => {
            const got = outcome(() => authorizeCommand({ id: cmd.id, scope: cmd.scope, effects: cmd.effects }, requested, { scope: granted, expiresAt: NOW + 60_000 }, NOW, rawio));
            // The rules, stated independently of the implementation:
            let want: string;
            if (scopeRank(requested) < scopeRank(cmd.scope)) want = 'scope-too-low';
            else if (onlyReads(cmd.effects) && scopeRank(requested) <= 1) want = 'ok';
            else if (granted === null || scopeRank(granted) < scopeRank(requested)) want = 'grant-required';
            else want = 'ok';
            if (want === 'ok' && requested === 'debug-write-full' && !rawio) want = 'capability-missing';
            expect(got).toBe(want);
          });
        }
      }
    }
  }
});

describe('specific rules', () => {
  const write = { id: 'config.write', scope: 'configuration' as Scope, effects: ['changes-config-now'] as const };
  const read = { id: 'config.read', scope: 'configuration' as Scope, effects: ['reads-device'] as const };

  it('a new session reads without any grant', () => {
    expect(outcome(() => authorizeCommand(read, 'configuration', { scope: null, expiresAt: null }, NOW, false))).toBe('ok');
  });

  it('a write needs an explicit grant even at the configuration scope', () => {
    expect(outcome(() => authorizeCommand(write, 'configuration', { scope: null, expiresAt: null }, NOW, false))).toBe('grant-required');
    expect(outcome(() => authorizeCommand(write, 'configuration', { scope: 'configuration', expiresAt: NOW + 1 }, NOW, false))).toBe('ok');
  });

  it('a read asked at debug-write is a debug-write action and needs that grant', () => {
    expect(outcome(() => authorizeCommand(read, 'debug-write', { scope: 'debug-read-only', expiresAt: NOW + 1 }, NOW, false))).toBe('grant-required');
  });

  it('an expired grant is no grant, and says so', () => {
    const err = (() => {
      try {
        authorizeCommand(write, 'configuration', { scope: 'debug-write', expiresAt: NOW }, NOW, false);
      } catch (e) {
        return e as HostError;
      }
    })();
    expect(err?.code).toBe('grant-required');
    expect(err?.message).toMatch(/expired/);
    expect(activeGrant({ scope: 'debug-write', expiresAt: NOW }, NOW)).toBeNull();
    expect(activeGrant({ scope: 'debug-write', expiresAt: NOW + 1 }, NOW)).toBe('debug-write');
  });
});

describe('authorizeGrant', () => {
  it('caps grants at the lab policy maximum', () => {
    const policy = LabPolicySchema.parse({ maxScope: 'configuration' });
    for (const s of SCOPES) {
      const got = outcome(() => authorizeGrant({ scope: s, typed: 'dev' }, policy, true, 'dev', NOW));
      expect(got).toBe(s === 'configuration' ? 'ok' : 'scope-denied-by-policy');
    }
  });

  it('debug-write-full needs CAP_SYS_RAWIO and the device name typed exactly', () => {
    expect(outcome(() => authorizeGrant({ scope: 'debug-write-full', typed: 'Board A' }, DEFAULT_POLICY, false, 'Board A', NOW))).toBe('capability-missing');
    expect(outcome(() => authorizeGrant({ scope: 'debug-write-full' }, DEFAULT_POLICY, true, 'Board A', NOW))).toBe('confirmation-required');
    expect(outcome(() => authorizeGrant({ scope: 'debug-write-full', typed: 'board a' }, DEFAULT_POLICY, true, 'Board A', NOW))).toBe('confirmation-required');
    expect(outcome(() => authorizeGrant({ scope: 'debug-write-full', typed: 'Board A' }, DEFAULT_POLICY, true, 'Board A', NOW))).toBe('ok');
  });

  it('debug scopes that write taint; lower scopes do not', () => {
    const taints = SCOPES.map((s) => authorizeGrant({ scope: s, typed: 'd' }, DEFAULT_POLICY, true, 'd', NOW).taints);
    expect(taints).toEqual([false, false, true, true]);
  });

  it('grants expire after the policy default, and a longer request is cut to the policy maximum', () => {
    const policy = LabPolicySchema.parse({ grantTtlSeconds: 60, maxGrantTtlSeconds: 120 });
    expect(authorizeGrant({ scope: 'configuration' }, policy, false, 'd', NOW).expiresAt).toBe(NOW + 60_000);
    expect(authorizeGrant({ scope: 'configuration', ttlSeconds: 90 }, policy, false, 'd', NOW).expiresAt).toBe(NOW + 90_000);
    expect(authorizeGrant({ scope: 'configuration', ttlSeconds: 3600 }, policy, false, 'd', NOW).expiresAt).toBe(NOW + 120_000);
  });

  it('rejects a malformed policy file rather than ignoring it', () => {
    expect(LabPolicySchema.safeParse({ maxScope: 'root' }).success).toBe(false);
    expect(LabPolicySchema.safeParse({ unknownKnob: true }).success).toBe(false);
  });
});
