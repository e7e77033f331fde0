// Every message from a client passes here: validate → authorize (scope) →
// audit → execute → audit the outcome. Clients are untrusted; nothing they
// claim about a session's grant is believed.
import { z } from 'zod';
import { REQUEST_PARAMS, isChannel, type Channel } from '../contract/channels';
import { RequestEnvelope, type ResponseEnvelope } from '../contract/wire';
import { describeCommand } from '../contract/commands';
import type { AuditOutcome } from '../contract/audit';
import type { Scope } from '../contract/scopes';
import { HostError } from './errors/host-error';
import { canonicalJson, sha256Hex } from './audit/canonical-json';
import type { AuditJournal } from './audit/journal';
import type { SessionManager, Session } from './sessions/session-manager';
import type { JobEngine } from './jobs/job-engine';
import { authorizeCommand, authorizeGrant } from './policy/scope-policy';
import type { LabPolicy } from './policy/lab-policy';
import type { DeviceRegistry } from './devices/registry';
import type { HostFacts } from '../contract/devices';
import type { RecipeChannels } from './recipes/recipe-channels';
import { listRecordings, readRecording } from './recordings/recordings-dir';
import { gatherDoctorFacts } from './diagnostics/doctor-facts';
import { runDoctorChecks } from './diagnostics/doctor-checks';
import type { BundleChannels } from './diagnostics/bundle-channels';

export interface ClientInfo {
  /** Unique per connection (a window, a WebSocket, a CLI run). */
  id: string;
  /** How it reached the host: 'ipc', 'ws', 'cli', 'test'. */
  via: string;
}

export interface RouterDeps {
  registry: DeviceRegistry;
  sessions: SessionManager;
  jobs: JobEngine;
  audit: AuditJournal;
  policy: () => LabPolicy;
  facts: () => HostFacts;
  capSysRawio: () => boolean;
  operator: string;
  recordingsDir: string;
  addSerial: (path: string, protocol?: string, line?: import('../contract/catalog/serial').LineSettingsParams) => Promise<import('../contract/devices').DeviceInfo>;
  /**
   * Interlocks checked after the scope check and before anything reaches the
   * device (electron/host/preflight). Throws HostError('preflight-blocked')
   * naming every problem; returns what was overridden, for the audit record.
   */
  preflight?: (ctx: PreflightContext) => Promise<{ overridden: string[] } | void>;
  /** preflight.check and preflight.override (electron/host/preflight). */
  preflightEngine?: Pick<import('./preflight/preflight-engine').PreflightEngine, 'check' | 'override'>;
  /** graph.units, and each listed device's unit (electron/host/graph). */
  graph?: Pick<import('./graph/device-graph').DeviceGraph, 'units' | 'annotate'>;
  /** transcripts.list and transcript.open-replay (electron/host/transcripts). */
  transcripts?: { list(): import('../contract/channels').TranscriptSummary[]; openReplay(name: string): import('../contract/devices').DeviceInfo };
  /** Recipe and profile channels (electron/host/recipes). */
  recipes?: RecipeChannels;
  /** diag.* channels: collect, download and review bundles (electron/host/diagnostics). */
  diagnostics?: BundleChannels;
}

function required<T>(dep: T | undefined, what: string): T {
  if (dep === undefined) throw new HostError('not-supported', `${what} is not available in this host.`);
  return dep;
}

export interface PreflightContext {
  session: Session;
  commandId: string;
  effects: readonly import('../contract/effects').Effect[];
  scope: Scope;
  params: unknown;
  client: ClientInfo;
}

type Handler = (params: never, client: ClientInfo) => Promise<unknown>;

export class Router {
  private readonly handlers: { [C in Channel]: (params: z.output<(typeof REQUEST_PARAMS)[C]>, client: ClientInfo) => Promise<unknown> };

  constructor(private readonly d: RouterDeps) {
    this.handlers = {
      'host.facts': async () => d.facts(),
      'host.doctor': async () => runDoctorChecks(gatherDoctorFacts()),
      'devices.list': async () => (d.graph ? d.graph.annotate(d.registry.list()) : d.registry.list()),
      'devices.add-serial': async (p) => d.addSerial(p.path, p.protocol, p.line),
      'sessions.list': async (_p, c) => d.sessions.list().filter((s) => d.sessions.get(s.id).owner === c.id),
      'session.open': async (p, c) => d.sessions.snapshot(await d.sessions.open(p.deviceId, c.id)),
      'session.close': async (p, c) => d.sessions.close(p.sessionId, c.id),
      'session.grant': async (p, c) => this.grant(p, c),
      'session.drop-grant': async (p, c) => {
        const s = d.sessions.get(p.sessionId, c.id);
        const had = s.info.grant;
        d.sessions.dropGrant(s);
        this.record(c, s, { kind: 'grant-dropped', outcome: 'ok', scope: had ?? undefined });
        return d.sessions.snapshot(s);
      },
      'catalog.list': async (p, c) => {
        const s = d.sessions.get(p.sessionId, c.id);
        return d.sessions.commandsOf(s).map((b) => describeCommand(b.decl));
      },
      'command.run': async (p, c) => this.runCommand(p, c),
      'jobs.list': async (p, c) => d.jobs.list(p.sessionId ? { sessionId: d.sessions.get(p.sessionId, c.id).info.id } : {}),
      'job.cancel': async (p, c) => {
        // Only the client that owns a job's session may cancel it (host-wide jobs have no session).
        const job = d.jobs.get(p.jobId);
        if (job?.sessionId) d.sessions.get(job.sessionId, c.id);
        return d.jobs.cancel(p.jobId);
      },
      'audit.query': async (p) => d.audit.query(p),
      'audit.verify': async () => d.audit.verify(),
      'preflight.check': async (p, c) =>
        required(d.preflightEngine, 'Preflight checking').check({ sessionId: p.sessionId, deviceId: p.deviceId }, c.id, { commandId: p.commandId, scope: p.scope, params: p.params }),
      'preflight.override': async (p, c) => this.override(p, c),
      'graph.units': async () => required(d.graph, 'The device graph').units(d.registry.list()),
      'transcripts.list': async () => required(d.transcripts, 'Transcripts').list(),
      'transcript.open-replay': async (p) => required(d.transcripts, 'Transcripts').openReplay(p.name),
      'recordings.list': async () => listRecordings(d.recordingsDir),
      'recording.read': async (p) => readRecording(d.recordingsDir, p.name, p),
      'recipe.plan': async (p) => required(d.recipes, 'Recipes').plan(p),
      'recipe.run': async (p, c) => required(d.recipes, 'Recipes').run(p, c),
      'recipe.status': async (p) => required(d.recipes, 'Recipes').status(p),
      'recipe.runs': async (p) => required(d.recipes, 'Recipes').runs(p),
      'recipe.resume': async (p, c) => required(d.recipes, 'Recipes').resume(p, c),
      'recipe.cancel': async (p, c) => required(d.recipes, 'Recipes').cancel(p, c),
      'profile.capture': async (p, c) => required(d.recipes, 'Profiles').profileCapture(p, c),
      'profile.diff': async (p, c) => required(d.recipes, 'Profiles').profileDiff(p, c),
      'profile.apply': async (p, c) => required(d.recipes, 'Profiles').profileApply(p, c),
      'profile.history': async (p) => required(d.recipes, 'Profiles').profileHistory(p),
      'diag.collect': async (p, c) => required(d.diagnostics, 'Diagnostics bundles').collect(p, c),
      'diag.bundle': async (p) => required(d.diagnostics, 'Diagnostics bundles').bundle(p),
      'diag.open': async (p, c) => required(d.diagnostics, 'Diagnostics bundles').openBytes(p, c),
      'diag.view': async (p, c) => required(d.diagnostics, 'Diagnostics bundles').review(p, c),
      'diag.file': async (p, c) => required(d.diagnostics, 'Diagnostics bundles').file(p, c),
      'diag.close': async (p, c) => required(d.diagnostics, 'Diagnostics bundles').close(p, c),
    };
  }

  async handle(raw: unknown, client: ClientInfo): Promise<ResponseEnvelope> {
    const env = RequestEnvelope.safeParse(raw);
    if (!env.success) {
      const id = typeof (raw as { id?: unknown })?.id === 'number' ? (raw as { id: number }).id : -1;
      return { id, ok: false, error: new HostError('bad-request', 'The message is not a valid request.', z.prettifyError(env.error)).toWire() };
    }
    const { id, channel, params } = env.data;
    try {
      if (!isChannel(channel)) throw new HostError('unknown-channel', `There is no channel called "${channel.slice(0, 64)}".`);
      const parsed = REQUEST_PARAMS[channel].safeParse(params);
      if (!parsed.success) {
        if (channel === 'command.run') this.auditMalformed(params, client, z.prettifyError(parsed.error));
        throw new HostError('bad-request', `The request for ${channel} has invalid fields.`, z.prettifyError(parsed.error));
      }
      const result = await (this.handlers[channel] as Handler)(parsed.data as never, client);
      return { id, ok: true, result };
    } catch (e) {
      return { id, ok: false, error: HostError.from(e).toWire() };
    }
  }

  private record(
    client: ClientInfo,
    s: Session | null,
    r: { kind: import('../contract/audit').AuditKind; outcome: AuditOutcome; commandId?: string; scope?: Scope; paramsDigest?: string; code?: string; message?: string; durationMs?: number; detail?: Record<string, unknown> },
  ) {
    return this.d.audit.append({
      ...r,
      operator: this.d.operator,
      client: `${client.via}:${client.id}`,
      sessionId: s?.info.id,
      device: s ? { id: s.info.deviceId, label: s.info.deviceLabel, identity: s.info.identity } : undefined,
    });
  }

  private auditMalformed(params: unknown, client: ClientInfo, why: string): void {
    const p = params as { sessionId?: unknown; commandId?: unknown } | null;
    this.d.audit.append({
      kind: 'command',
      outcome: 'denied',
      operator: this.d.operator,
      client: `${client.via}:${client.id}`,
      sessionId: typeof p?.sessionId === 'string' ? p.sessionId.slice(0, 200) : undefined,
      commandId: typeof p?.commandId === 'string' ? p.commandId.slice(0, 100) : undefined,
      code: 'bad-request',
      message: why.slice(0, 500),
    });
  }

  private async grant(p: z.output<(typeof REQUEST_PARAMS)['session.grant']>, client: ClientInfo) {
    const s = this.d.sessions.get(p.sessionId, client.id);
    try {
      const { expiresAt, taints } = authorizeGrant({ scope: p.scope, ttlSeconds: p.ttlSeconds, typed: p.confirm.typed }, this.d.policy(), this.d.capSysRawio(), s.info.deviceLabel, Date.now());
      this.record(client, s, { kind: 'grant', outcome: 'ok', scope: p.scope, detail: { expiresAt: new Date(expiresAt).toISOString(), taints } });
      this.d.sessions.setGrant(s, p.scope, expiresAt, taints);
      return this.d.sessions.snapshot(s);
    } catch (e) {
      const err = HostError.from(e);
      this.record(client, s, { kind: 'grant', outcome: 'denied', scope: p.scope, code: err.code, message: err.message });
      throw err;
    }
  }

  /** Arms a one-shot preflight override; the request, granted or refused, is audited with its reason. */
  private async override(p: z.output<(typeof REQUEST_PARAMS)['preflight.override']>, client: ClientInfo) {
    const s = this.d.sessions.get(p.sessionId, client.id);
    const detail = { preflightOverride: p.problemIds, reason: p.reason };
    try {
      const r = required(this.d.preflightEngine, 'Preflight checking').override(p.sessionId, client.id, p.problemIds, p.reason);
      this.record(client, s, { kind: 'grant', outcome: 'ok', detail: { ...detail, expiresAt: new Date(r.expiresAt).toISOString() } });
      return r;
    } catch (e) {
      const err = HostError.from(e);
      this.record(client, s, { kind: 'grant', outcome: 'denied', code: err.code, message: err.message, detail });
      throw err;
    }
  }

  private async runCommand(p: z.output<(typeof REQUEST_PARAMS)['command.run']>, client: ClientInfo) {
    const s = this.d.sessions.get(p.sessionId, client.id);
    const paramsDigest = sha256Hex(canonicalJson(p.params ?? null));
    const deny = (err: HostError, scope?: Scope) => {
      this.record(client, s, { kind: 'command', outcome: 'denied', commandId: p.commandId, scope: scope ?? p.scope, paramsDigest, code: err.code, message: err.message });
      return err;
    };
    let commands;
    try {
      commands = this.d.sessions.commandsOf(s);
    } catch (e) {
      throw deny(HostError.from(e));
    }
    const bound = commands.find((b) => b.decl.id === p.commandId);
    if (!bound) throw deny(new HostError('unknown-command', `${s.info.deviceLabel} has no command "${p.commandId}".`));
    const parsed = bound.decl.params.safeParse(p.params ?? {});
    if (!parsed.success) throw deny(new HostError('invalid-params', `The parameters for "${bound.decl.title}" are not valid.`, z.prettifyError(parsed.error)));
    let needed: Scope;
    let overridden: string[] = [];
    try {
      needed = bound.scopeFor ? bound.scopeFor(parsed.data as never) : bound.decl.scope;
      const effects = bound.effectsFor ? bound.effectsFor(parsed.data as never) : bound.decl.effects;
      authorizeCommand({ id: bound.decl.id, scope: needed, effects }, p.scope, { scope: s.info.grant, expiresAt: s.info.grantExpiresAt }, Date.now(), this.d.capSysRawio());
      const pf = await this.d.preflight?.({ session: s, commandId: bound.decl.id, effects, scope: p.scope, params: parsed.data, client });
      if (pf) overridden = pf.overridden;
    } catch (e) {
      throw deny(HostError.from(e));
    }
    // Written before the device is touched: a crash mid-command still leaves the intent.
    this.record(client, s, { kind: 'command', outcome: 'started', commandId: p.commandId, scope: p.scope, paramsDigest, detail: overridden.length ? { overriddenProblems: overridden } : undefined });
    const started = Date.now();
    const finish = (outcome: AuditOutcome, err?: HostError, detail?: Record<string, unknown>) =>
      this.record(client, s, { kind: 'command-result', outcome, commandId: p.commandId, scope: p.scope, paramsDigest, durationMs: Date.now() - started, code: err?.code, message: err?.message, detail });

    if (bound.decl.job) {
      const job = this.d.jobs.start(
        { sessionId: s.info.id, deviceId: s.info.deviceId, commandId: bound.decl.id, title: bound.decl.title, steps: [] },
        async (handle) => {
          try {
            const r = await bound.run(parsed.data as never, { sessionId: s.info.id, job: handle, signal: handle.signal });
            finish('ok', undefined, { jobId: handle.id });
            return r;
          } catch (e) {
            finish('error', HostError.from(e), { jobId: handle.id });
            throw e;
          }
        },
        (info, step) => {
          if (step.state === 'running') return;
          this.record(client, s, { kind: 'job-step', outcome: step.state === 'failed' ? 'error' : 'ok', commandId: bound.decl.id, detail: { jobId: info.id, step: step.name, state: step.state, message: step.message } });
        },
      );
      return { jobId: job.id };
    }
    try {
      const result = await bound.run(parsed.data as never, { sessionId: s.info.id, signal: s.closed.signal });
      finish('ok');
      return { result };
    } catch (e) {
      const err = HostError.from(e);
      finish('error', err);
      throw err;
    }
  }
}
