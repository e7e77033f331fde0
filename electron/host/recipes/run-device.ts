// One board as a recipe run sees it: found in the registry, opened as a
// session of the run's client, granted once, and driven only through
// host.request (the router: scope checks and audit). Console and telemetry
// arrive as the host's events for that client's session.
import type { Host } from '../host';
import type { ClientInfo } from '../router';
import type { DeviceInfo, SessionInfo } from '../../contract/devices';
import type { JobInfo } from '../../contract/jobs';
import type { TelemetryBatch } from '../../contract/events';
import { SCOPE_INFO, scopeCovers, type Scope } from '../../contract/scopes';
import { HostError } from '../errors/host-error';
import type { DeviceMatch } from './recipe-schema';

export interface GrantRequest {
  scope: Scope;
  /** The device name typed to confirm debug-write-full. */
  typed?: string;
  ttlSeconds?: number;
}

const POLL_MS = 200;
const CONSOLE_KEEP = 4 * 1024 * 1024;

export function describeMismatch(device: DeviceInfo, match: DeviceMatch): string | null {
  if (match.protocol && device.protocol !== match.protocol) return `speaks ${device.protocol}, not ${match.protocol}`;
  if (match.kind && device.kind !== match.kind) return `is a ${device.kind} device, not ${match.kind}`;
  if (match.label && !new RegExp(match.label).test(device.label)) return `is labelled "${device.label}", which does not match /${match.label}/`;
  for (const [k, v] of Object.entries(match.details ?? {})) if (device.details[k] !== v) return `has ${k} = ${JSON.stringify(device.details[k] ?? null)}, not ${JSON.stringify(v)}`;
  return null;
}

export class RunDevice {
  session: SessionInfo | null = null;
  device: DeviceInfo | null = null;
  private consoleText = '';
  /** Where the next expect-console starts searching (pexpect-style). */
  consoleCursor = 0;
  private telemetryListeners = new Set<(b: TelemetryBatch) => void>();
  private jobListeners = new Set<(j: JobInfo) => void>();
  private readonly off: () => void;

  constructor(
    readonly host: Host,
    readonly client: ClientInfo,
    readonly deviceId: string,
    private readonly grant: GrantRequest | undefined,
    /** The grant the recipe needs; checked once the session is open. */
    private readonly neededGrant: Scope | null,
  ) {
    this.off = host.onEvent((e) => {
      if (e.type === 'session' && e.session.deviceId === deviceId && e.session.id === this.session?.id) this.session = e.session;
      else if (e.type === 'console' && e.sessionId === this.session?.id) {
        this.consoleText += e.data;
        if (this.consoleText.length > CONSOLE_KEEP) {
          const cut = this.consoleText.length - CONSOLE_KEEP;
          this.consoleText = this.consoleText.slice(cut);
          this.consoleCursor = Math.max(0, this.consoleCursor - cut);
        }
      } else if (e.type === 'telemetry' && e.sessionId === this.session?.id) for (const l of this.telemetryListeners) l(e);
      else if (e.type === 'job' && e.job.sessionId === this.session?.id) for (const l of this.jobListeners) l(e.job);
    }, client.id);
  }

  get label(): string {
    return this.session?.deviceLabel ?? this.device?.label ?? this.deviceId;
  }

  consoleSince(cursor: number): string {
    return this.consoleText.slice(cursor);
  }

  get consoleLength(): number {
    return this.consoleText.length;
  }

  onTelemetry(l: (b: TelemetryBatch) => void): () => void {
    this.telemetryListeners.add(l);
    return () => this.telemetryListeners.delete(l);
  }

  private findDevice(list: DeviceInfo[]): DeviceInfo | undefined {
    return list.find((d) => d.id === this.deviceId);
  }

  /** Waits until the device is listed and present. */
  async waitPresent(timeoutMs: number, signal: AbortSignal): Promise<DeviceInfo> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const d = this.findDevice(await this.host.request('devices.list', {}, this.client));
      if (d?.present) return (this.device = d);
      if (Date.now() >= deadline) throw new HostError('timeout', `${d?.label ?? this.deviceId} did not appear within ${Math.round(timeoutMs / 1000)} s.`);
      await sleep(POLL_MS, signal);
    }
  }

  /** Opens (or re-uses) the session and makes sure its grant covers the recipe. */
  async ensureSession(signal: AbortSignal, reopenTimeoutMs = 30_000): Promise<SessionInfo> {
    if (this.session && this.session.state !== 'closed' && this.session.state !== 'gone') {
      if (this.session.state === 'reconnecting') await this.waitOpen(reopenTimeoutMs, signal);
    } else {
      if (!this.device) {
        // Only a wait-device step waits for a board to appear; other steps need it now.
        const d = this.findDevice(await this.host.request('devices.list', {}, this.client));
        if (!d) throw new HostError('unknown-device', `There is no device ${this.deviceId}. See the device list.`);
        this.device = d;
      }
      this.session = await this.host.request('session.open', { deviceId: this.deviceId }, this.client);
    }
    await this.ensureGrant();
    return this.session!;
  }

  private async ensureGrant(): Promise<void> {
    const s = this.session!;
    const live = s.grant !== null && (s.grantExpiresAt === null || s.grantExpiresAt > Date.now()) ? s.grant : null;
    const want = this.grant?.scope ?? this.neededGrant;
    if (want === null || scopeCovers(live, want)) return;
    if (!this.grant) {
      throw new HostError('grant-required', `The recipe changes ${s.deviceLabel}, so it needs a ${SCOPE_INFO[want].title} grant on the session before it starts.`, `needed=${want} granted=${live ?? 'none'}`);
    }
    this.session = await this.host.request('session.grant', { sessionId: s.id, scope: this.grant.scope, ttlSeconds: this.grant.ttlSeconds, confirm: { acknowledged: true, typed: this.grant.typed } }, this.client);
    if (this.neededGrant && !scopeCovers(this.grant.scope, this.neededGrant)) {
      throw new HostError('scope-too-low', `The recipe needs ${SCOPE_INFO[this.neededGrant].title}; the grant given is ${SCOPE_INFO[this.grant.scope].title}.`);
    }
  }

  /** Waits for a reconnecting session to be open again. */
  async waitOpen(timeoutMs: number, signal: AbortSignal): Promise<SessionInfo> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const s = (await this.host.request('sessions.list', {}, this.client)).find((x) => x.id === this.session?.id);
      if (!s) throw new HostError('device-gone', `The session on ${this.label} ended.`);
      this.session = s;
      if (s.state === 'open') return s;
      if (s.state === 'gone') throw new HostError('device-gone', `${this.label} is gone.`);
      if (Date.now() >= deadline) throw new HostError('timeout', `${this.label} did not come back within ${Math.round(timeoutMs / 1000)} s.`);
      await sleep(POLL_MS, signal);
    }
  }

  async run<T = unknown>(commandId: string, scope: Scope, params: unknown): Promise<T> {
    if (!this.session) throw new HostError('internal', 'The recipe sent a command before opening a session.');
    const r = await this.host.request('command.run', { sessionId: this.session.id, commandId, scope, params }, this.client);
    return r.result as T;
  }

  /** Starts a job command and waits for its end; rejects with the job's error. */
  async runJob(commandId: string, scope: Scope, params: unknown, onUpdate: (j: JobInfo) => void, signal: AbortSignal): Promise<JobInfo> {
    if (!this.session) throw new HostError('internal', 'The recipe sent a command before opening a session.');
    let jobId: string | undefined;
    const early: JobInfo[] = [];
    let finish!: (j: JobInfo) => void;
    const ended = new Promise<JobInfo>((r) => (finish = r));
    const listener = (j: JobInfo) => {
      if (!jobId) return void early.push(j);
      if (j.id !== jobId) return;
      onUpdate(j);
      if (j.state !== 'running') finish(j);
    };
    this.jobListeners.add(listener);
    const onAbort = () => jobId && void this.host.request('job.cancel', { jobId }, this.client).catch(() => {});
    signal.addEventListener('abort', onAbort);
    try {
      const r = await this.host.request('command.run', { sessionId: this.session.id, commandId, scope, params }, this.client);
      jobId = r.jobId;
      if (!jobId) throw new HostError('internal', `${commandId} did not start a job.`);
      for (const j of early) listener(j);
      if (signal.aborted) onAbort();
      // A job whose session closed (host shutting down) still ends: poll as a backstop to events.
      const poll = setInterval(() => {
        const j = this.host.jobs.get(jobId!);
        if (j && j.state !== 'running') finish(j);
      }, 500);
      try {
        const end = await ended;
        if (end.state !== 'done') throw new HostError((end.error?.code as never) ?? 'internal', end.error?.message ?? `The job ${end.state}.`, end.error?.detail);
        return end;
      } finally {
        clearInterval(poll);
      }
    } finally {
      this.jobListeners.delete(listener);
      signal.removeEventListener('abort', onAbort);
    }
  }

  async close(closeSession: boolean): Promise<void> {
    this.off();
    if (closeSession && this.session) await this.host.request('session.close', { sessionId: this.session.id }, this.client).catch(() => {});
  }
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new HostError('cancelled', 'The recipe run was stopped.'));
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(new HostError('cancelled', 'The recipe run was stopped.'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
