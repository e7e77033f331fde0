// The scope rules, as pure functions so every command × scope × grant case is
// testable without a device. The router calls these before anything reaches a
// device; the renderer's view of a session is never trusted.
import { SCOPE_INFO, scopeCovers, scopeRank, type Scope } from '../../contract/scopes';
import { onlyReads, type Effect } from '../../contract/effects';
import { HostError } from '../errors/host-error';
import { policyAllows, type LabPolicy } from './lab-policy';

export interface GrantState {
  scope: Scope | null;
  expiresAt: number | null;
}

export function activeGrant(grant: GrantState, now: number): Scope | null {
  if (grant.scope === null) return null;
  if (grant.expiresAt !== null && now >= grant.expiresAt) return null;
  return grant.scope;
}

export interface CommandRequirement {
  id: string;
  /** The least scope for this call (the declaration's, possibly raised for these params). */
  scope: Scope;
  effects: readonly Effect[];
}

/**
 * May a session run this command at the scope the client asked for?
 * Throws HostError with the reason; returns nothing when allowed.
 */
export function authorizeCommand(req: CommandRequirement, requested: Scope, grant: GrantState, now: number, capSysRawio: boolean): void {
  if (scopeRank(requested) < scopeRank(req.scope)) {
    throw new HostError(
      'scope-too-low',
      `"${req.id}" needs the ${SCOPE_INFO[req.scope].title} scope; it was asked for at ${SCOPE_INFO[requested].title}.`,
      `required=${req.scope} requested=${requested}`,
    );
  }
  // A new session reads freely at the two lowest scopes, as fwctl lets any
  // opener run CONFIGURATION and DEBUG_READ_ONLY queries.
  const readOnly = onlyReads(req.effects) && scopeRank(requested) <= scopeRank('debug-read-only');
  if (!readOnly) {
    const current = activeGrant(grant, now);
    if (!scopeCovers(current, requested)) {
      const expired = grant.scope !== null && current === null;
      throw new HostError(
        'grant-required',
        expired
          ? `The session's ${SCOPE_INFO[grant.scope!].title} grant has expired. Grant ${SCOPE_INFO[requested].title} again to run "${req.id}".`
          : `"${req.id}" changes the device, so it needs a ${SCOPE_INFO[requested].title} grant first.`,
        `required=${requested} granted=${current ?? 'none'}`,
      );
    }
  }
  if (requested === 'debug-write-full' && !capSysRawio) {
    throw new HostError('capability-missing', 'Full debug write needs the CAP_SYS_RAWIO capability, which fwbench does not hold.', 'CapEff lacks CAP_SYS_RAWIO (bit 17)');
  }
}

export interface GrantRequest {
  scope: Scope;
  ttlSeconds?: number;
  typed?: string;
}

/** Checks a grant request; returns the expiry time. */
export function authorizeGrant(req: GrantRequest, policy: LabPolicy, capSysRawio: boolean, deviceLabel: string, now: number): { expiresAt: number; taints: boolean } {
  if (!policyAllows(policy, req.scope)) {
    throw new HostError(
      'scope-denied-by-policy',
      `The lab policy does not allow granting ${SCOPE_INFO[req.scope].title}; the highest scope allowed here is ${SCOPE_INFO[policy.maxScope].title}.`,
      `policy.maxScope=${policy.maxScope}`,
    );
  }
  const info = SCOPE_INFO[req.scope];
  if (info.needsRawio && !capSysRawio) {
    throw new HostError(
      'capability-missing',
      `${info.title} needs the CAP_SYS_RAWIO capability, which fwbench does not hold. Run it with that capability (for example: sudo setcap cap_sys_rawio+ep on the binary) to use this scope.`,
      'CapEff lacks CAP_SYS_RAWIO (bit 17)',
    );
  }
  if (info.typedConfirmation && req.typed !== deviceLabel) {
    throw new HostError('confirmation-required', `To grant ${info.title}, type the device name "${deviceLabel}" exactly.`, `typed=${JSON.stringify(req.typed ?? '')}`);
  }
  const ttl = Math.min(req.ttlSeconds ?? policy.grantTtlSeconds, policy.maxGrantTtlSeconds);
  return { expiresAt: now + ttl * 1000, taints: info.taints };
}
