// One owner per device. A session holds the adapter (and so the transport), the
// grant and the taint; it reconnects when the link drops and comes back.
import { randomUUID } from 'node:crypto';
import type { SessionInfo } from '../../contract/devices';
import type { HostEvent } from '../../contract/events';
import type { Scope } from '../../contract/scopes';
import { HostError } from '../errors/host-error';
import type { BoundCommand, DeviceAdapter } from '../adapters/device-adapter';
import { SessionTelemetry } from './session-telemetry';
import type { DeviceEntry, DeviceRegistry } from '../devices/registry';
import { activeGrant } from '../policy/scope-policy';

export interface Session {
  info: SessionInfo;
  owner: string;
  adapter: DeviceAdapter | null;
  entry: DeviceEntry;
  /** Aborted when the session closes: stops running commands and reconnect loops. */
  closed: AbortController;
  /** Recording and display of whatever telemetry the adapter produces. */
  telemetry: SessionTelemetry;
}

const RECONNECT_INTERVAL_MS = 1000;

export class SessionManager {
  private sessions = new Map<string, Session>();

  constructor(
    private readonly recordingsDir: string,
    private readonly registry: DeviceRegistry,
    private readonly emit: (e: HostEvent) => void,
    private readonly onLifecycle: (kind: 'session-open' | 'session-close' | 'grant-expired', s: Session, detail?: Record<string, unknown>) => void,
  ) {}

  list(): SessionInfo[] {
    return [...this.sessions.values()].filter((s) => s.info.state !== 'closed').map((s) => this.snapshot(s));
  }

  get(sessionId: string, client?: string): Session {
    const s = this.sessions.get(sessionId);
    if (!s || s.info.state === 'closed') throw new HostError('unknown-session', 'That session is not open.', sessionId);
    if (client !== undefined && s.owner !== client) throw new HostError('unknown-session', 'That session belongs to another window or client.', sessionId);
    return s;
  }

  snapshot(s: Session): SessionInfo {
    // Lapsed grants show as lapsed without waiting for a timer.
    const now = Date.now();
    if (s.info.grant && activeGrant({ scope: s.info.grant, expiresAt: s.info.grantExpiresAt }, now) === null) {
      const lapsed = s.info.grant;
      s.info.grant = null;
      s.info.grantExpiresAt = null;
      this.onLifecycle('grant-expired', s, { scope: lapsed });
    }
    return structuredClone(s.info);
  }

  async open(deviceId: string, client: string): Promise<Session> {
    for (const s of this.sessions.values()) {
      if (s.info.deviceId === deviceId && s.info.state !== 'closed') {
        if (s.owner === client) return s;
        throw new HostError('device-busy', 'Another window or client has this device open. Close it there first.', `session ${s.info.id}`);
      }
    }
    const entry = this.registry.get(deviceId);
    if (!entry.device.present) throw new HostError('device-gone', `${entry.device.label} is not connected.`);
    const id = randomUUID();
    const session: Session = {
      info: {
        id,
        deviceId,
        deviceLabel: entry.device.label,
        simulated: entry.device.simulated,
        state: 'open',
        grant: null,
        grantExpiresAt: null,
        tainted: false,
        openedAt: Date.now(),
        identity: {},
      },
      owner: client,
      adapter: null,
      entry,
      closed: new AbortController(),
      telemetry: new SessionTelemetry(id, () => entry.device.label, this.recordingsDir, this.emit),
    };
    session.adapter = await this.openAdapter(session);
    this.sessions.set(session.info.id, session);
    this.onLifecycle('session-open', session);
    this.publish(session);
    return session;
  }

  private async openAdapter(s: Session): Promise<DeviceAdapter> {
    const adapter = await s.entry.factory.open(
      {
        emit: (e) => (e.type === 'telemetry' ? s.telemetry.ingest(e) : this.emit(e)),
        lost: (reason) => void this.linkLost(s, reason),
        identityChanged: (identity) => {
          s.info.identity = { ...identity };
          this.publish(s);
        },
      },
      s.info.id,
    );
    s.info.identity = adapter.identity();
    return adapter;
  }

  private async linkLost(s: Session, reason: Error): Promise<void> {
    if (s.closed.signal.aborted || s.info.state !== 'open') return;
    const gone = reason instanceof HostError && reason.code === 'device-gone' && !s.entry.reconnectable;
    s.adapter = null;
    if (gone || !s.entry.reconnectable) {
      s.info.state = 'gone';
      this.publish(s);
      return;
    }
    s.info.state = 'reconnecting';
    this.publish(s);
    while (!s.closed.signal.aborted) {
      await new Promise((r) => setTimeout(r, RECONNECT_INTERVAL_MS));
      if (s.closed.signal.aborted) return;
      try {
        s.adapter = await this.openAdapter(s);
        s.info.state = 'open';
        this.publish(s);
        return;
      } catch {
        // Still unplugged; keep trying until the operator closes the session.
      }
    }
  }

  setGrant(s: Session, scope: Scope, expiresAt: number, taints: boolean): void {
    s.info.grant = scope;
    s.info.grantExpiresAt = expiresAt;
    if (taints) s.info.tainted = true;
    this.publish(s);
  }

  dropGrant(s: Session): void {
    s.info.grant = null;
    s.info.grantExpiresAt = null;
    this.publish(s);
  }

  async close(sessionId: string, client?: string): Promise<SessionInfo> {
    const s = this.get(sessionId, client);
    s.closed.abort();
    s.info.state = 'closed';
    try {
      await s.telemetry.close();
      await s.adapter?.close();
    } finally {
      s.adapter = null;
      this.onLifecycle('session-close', s);
      this.publish(s);
      this.sessions.delete(sessionId);
    }
    return structuredClone(s.info);
  }

  async closeAllOf(client: string): Promise<void> {
    for (const s of [...this.sessions.values()]) if (s.owner === client) await this.close(s.info.id).catch(() => {});
  }

  async closeAll(): Promise<void> {
    for (const s of [...this.sessions.values()]) await this.close(s.info.id).catch(() => {});
  }

  /** The device went away from discovery: sessions that cannot reconnect end. */
  deviceRemoved(deviceId: string): void {
    for (const s of this.sessions.values()) {
      if (s.info.deviceId === deviceId && s.info.state === 'open' && !s.entry.reconnectable) {
        s.info.state = 'gone';
        void s.adapter?.close().catch(() => {});
        s.adapter = null;
        this.publish(s);
      }
    }
  }

  /** The adapter's commands and the session's own services (telemetry recording). */
  commandsOf(s: Session): readonly BoundCommand[] {
    return [...this.requireAdapter(s).commands(), ...s.telemetry.commands()];
  }

  requireAdapter(s: Session): DeviceAdapter {
    if (s.info.state === 'gone') throw new HostError('device-gone', `${s.info.deviceLabel} is gone. Close the session.`);
    if (!s.adapter) throw new HostError('device-gone', `${s.info.deviceLabel} is disconnected; fwbench is waiting for it to come back.`);
    return s.adapter;
  }

  private publish(s: Session): void {
    this.emit({ type: 'session', session: structuredClone(s.info) });
  }
}
