// The interlock engine: before any write, every problem for the device is
// computed and the write is refused while one remains. An operator may
// override a problem only where the lab policy lists it, through a one-shot
// override armed for the session's next write; the router writes the
// overridden ids into the command's audit record.
import { onlyReads, type Effect } from '../../contract/effects';
import type { PreflightReport } from '../../contract/channels';
import type { HostFacts } from '../../contract/devices';
import type { Scope } from '../../contract/scopes';
import { HostError } from '../errors/host-error';
import type { LabPolicy } from '../policy/lab-policy';
import type { Session, SessionManager } from '../sessions/session-manager';
import type { DeviceRegistry } from '../devices/registry';
import type { PreflightContext } from '../router';
import { describeProblems, withPolicy, type RawProblem } from './problems';
import { firmwareParams, imageProblems } from './image-checks';
import { reportsPendingConfirmation } from './pending-confirmation';
import { newestBackup } from './config-backups';
import type { SupplyWatch } from './supply-watch';

/** How long an armed override waits for its write. */
export const OVERRIDE_TTL_MS = 5 * 60_000;

export interface PreflightDeps {
  sessions: SessionManager;
  registry: DeviceRegistry;
  policy: () => LabPolicy;
  facts: () => Pick<HostFacts, 'capSysRawio' | 'lockdown'>;
  stateDir: string;
  supply: SupplyWatch;
  /** Devices in the same physical unit as this one (from the device graph); defaults to none. */
  unitSiblings?: (deviceId: string) => string[];
  now?: () => number;
}

/** What is about to run; without a command, the checks that do not depend on one. */
export interface PlannedWrite {
  commandId?: string;
  effects?: readonly Effect[];
  scope?: Scope;
  params?: unknown;
}

interface ArmedOverride {
  ids: string[];
  reason: string;
  expiresAt: number;
}

const LOCKDOWN_BLOCKS = new Set(['integrity', 'confidentiality']);

export class PreflightEngine {
  private readonly armed = new Map<string, ArmedOverride>();
  private readonly now: () => number;

  constructor(private readonly d: PreflightDeps) {
    this.now = d.now ?? Date.now;
  }

  /** Sessions of other clients on this device or on another device of the same unit. */
  private ownedElsewhere(deviceId: string, except: { sessionId?: string; owner?: string }): RawProblem[] {
    const ids = new Set([deviceId, ...(this.d.unitSiblings?.(deviceId) ?? [])]);
    const out: RawProblem[] = [];
    for (const info of this.d.sessions.list()) {
      if (!ids.has(info.deviceId) || info.id === except.sessionId) continue;
      const owner = this.d.sessions.get(info.id).owner;
      if (owner === except.owner) continue;
      const same = info.deviceId === deviceId;
      out.push({
        id: 'port-owned',
        reason: same
          ? `${info.deviceLabel} is open in another session (another window or client).`
          : `${info.deviceLabel}, part of the same physical unit, is open in another session; a write here could disturb it.`,
        fix: `Close the session on ${info.deviceLabel} in the other window or client first.`,
      });
    }
    return out;
  }

  /** Every problem for this write on this session, before policy and overrides. */
  async problems(s: Session, w: PlannedWrite): Promise<RawProblem[]> {
    const policy = this.d.policy();
    const out: RawProblem[] = [...this.ownedElsewhere(s.info.deviceId, { sessionId: s.info.id, owner: s.owner })];
    const effects = w.effects ?? [];
    const device = s.entry.device;

    if (w.scope === 'debug-write-full') {
      const facts = this.d.facts();
      if (!facts.capSysRawio)
        out.push({
          id: 'missing-cap-sys-rawio',
          reason: 'Full debug write needs the CAP_SYS_RAWIO capability, which fwbench does not hold.',
          fix: 'Run fwbench with CAP_SYS_RAWIO (for example: sudo setcap cap_sys_rawio+ep on its binary), or use a lower scope.',
        });
      if (device.kind === 'fwctl' && !device.simulated && LOCKDOWN_BLOCKS.has(facts.lockdown))
        out.push({
          id: 'kernel-lockdown',
          reason: `The kernel is in ${facts.lockdown} lockdown, which forbids unrestricted raw device access such as full debug writes.`,
          fix: 'Boot without lockdown (lockdown=none, or Secure Boot off) on this lab machine, or use a lower scope.',
        });
    }

    const fw = effects.includes('writes-flash') ? firmwareParams(w.params) : null;
    if (fw) out.push(...imageProblems(fw, device, s.info.identity));

    if (effects.includes('writes-flash') && reportsPendingConfirmation(s.adapter)) {
      let pending = false;
      try {
        pending = await s.adapter.pendingConfirmation();
      } catch (e) {
        out.push({ id: 'image-pending-confirmation', reason: `fwbench could not ask the device whether an image waits for confirmation: ${HostError.from(e).message}`, fix: 'Check the link to the device and try again.' });
      }
      if (pending)
        out.push({
          id: 'image-pending-confirmation',
          reason: 'The device runs an image that is waiting for confirmation; writing another one would replace the image it falls back to.',
          fix: 'Confirm the running image (image confirm) if it works, or reset the device to revert to the previous image, then try again.',
        });
    }

    if (policy.minSupplyVolts !== undefined && !onlyReads(effects)) {
      const low = this.d.supply.lowest(s.info.id, policy.minSupplyVolts, policy.supplyWindowSeconds * 1000);
      if (low)
        out.push({
          id: 'low-supply',
          reason: `The supply ${low.channel} read ${low.volts.toFixed(2)} V in the last ${policy.supplyWindowSeconds} s, below the lab's minimum of ${policy.minSupplyVolts} V.`,
          fix: `Check the bench supply and cabling; wait until ${low.channel} stays at or above ${policy.minSupplyVolts} V for ${policy.supplyWindowSeconds} s.`,
        });
    }

    if (policy.maxBackupAgeMinutes !== undefined && w.commandId === 'config.write') {
      const newest = newestBackup(this.d.stateDir, device);
      const maxMs = policy.maxBackupAgeMinutes * 60_000;
      if (!newest || this.now() - newest.mtimeMs > maxMs)
        out.push({
          id: 'no-config-backup',
          reason: newest
            ? `The newest configuration backup of ${device.label} is ${Math.round((this.now() - newest.mtimeMs) / 60_000)} minutes old; the lab asks for one at most ${policy.maxBackupAgeMinutes} minutes old.`
            : `There is no configuration backup of ${device.label}; the lab asks for one at most ${policy.maxBackupAgeMinutes} minutes old before a change.`,
          fix: `Save a configuration snapshot of ${device.label} (Config panel: save snapshot) and try again.`,
        });
    }
    return out;
  }

  /** preflight.check: what blocks a write now, for the UI to show before the click. */
  async check(target: { sessionId?: string; deviceId?: string }, client: string, w: PlannedWrite): Promise<PreflightReport> {
    const policy = this.d.policy();
    if (target.deviceId !== undefined) {
      this.d.registry.get(target.deviceId);
      return { problems: withPolicy(this.ownedElsewhere(target.deviceId, { owner: client }), policy.overridable), armedOverride: [] };
    }
    const s = this.d.sessions.get(target.sessionId!, client);
    const problems = await this.problems(s, this.planFor(s, w));
    return { problems: withPolicy(problems, policy.overridable), armedOverride: this.armedFor(s.info.id)?.ids ?? [] };
  }

  /** Fills in a named command's effects and least scope (raised for these params) from the session's catalog. */
  private planFor(s: Session, w: PlannedWrite): PlannedWrite {
    if (w.effects || !w.commandId) return { effects: ['changes-config-now'], ...w };
    const bound = s.adapter?.commands().find((b) => b.decl.id === w.commandId);
    if (!bound) throw new HostError('unknown-command', `${s.info.deviceLabel} has no command "${w.commandId}".`);
    const parsed = bound.decl.params.safeParse(w.params ?? {});
    const params = parsed.success ? parsed.data : w.params;
    let effects = bound.decl.effects;
    let scope = w.scope ?? bound.decl.scope;
    if (parsed.success) {
      try {
        effects = bound.effectsFor?.(parsed.data as never) ?? effects;
        scope = w.scope ?? bound.scopeFor?.(parsed.data as never) ?? scope;
      } catch {
        // The command itself will explain bad params when it runs.
      }
    }
    return { commandId: w.commandId, effects, scope, params };
  }

  private armedFor(sessionId: string): ArmedOverride | null {
    const a = this.armed.get(sessionId);
    if (!a) return null;
    if (this.now() >= a.expiresAt) {
      this.armed.delete(sessionId);
      return null;
    }
    return a;
  }

  /** preflight.override: arms a one-shot override; refuses ids the policy does not list. */
  override(sessionId: string, client: string, ids: readonly string[], reason: string): { armed: string[]; expiresAt: number } {
    this.d.sessions.get(sessionId, client);
    const allowed = this.d.policy().overridable;
    const refused = ids.filter((id) => !allowed.includes(id));
    if (refused.length)
      throw new HostError(
        'scope-denied-by-policy',
        `The lab policy does not let an operator override ${refused.map((r) => `"${r}"`).join(', ')}. Fix the problem instead.`,
        `policy.overridable=${JSON.stringify(allowed)}`,
      );
    const armed = { ids: [...new Set(ids)], reason, expiresAt: this.now() + OVERRIDE_TTL_MS };
    this.armed.set(sessionId, armed);
    return { armed: armed.ids, expiresAt: armed.expiresAt };
  }

  /** The router's hook: throws 'preflight-blocked' or returns what an armed override let through. */
  async gate(ctx: PreflightContext): Promise<{ overridden: string[] } | void> {
    if (onlyReads(ctx.effects)) return;
    const problems = await this.problems(ctx.session, { commandId: ctx.commandId, effects: ctx.effects, scope: ctx.scope, params: ctx.params });
    if (problems.length === 0) return;
    const armed = this.armedFor(ctx.session.info.id);
    const allowed = this.d.policy().overridable;
    const remaining = problems.filter((p) => !(armed?.ids.includes(p.id) && allowed.includes(p.id)));
    if (remaining.length > 0) {
      throw new HostError(
        'preflight-blocked',
        `"${ctx.commandId}" is blocked: ${describeProblems(remaining)}`,
        JSON.stringify(withPolicy(remaining, allowed).map((p) => ({ id: p.id, overridable: p.overridable }))),
      );
    }
    this.armed.delete(ctx.session.info.id);
    return { overridden: [...new Set(problems.map((p) => p.id))] };
  }
}
