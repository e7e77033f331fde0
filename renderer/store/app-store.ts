import { create } from 'zustand';
import type { DeviceInfo, HostFacts, SessionInfo } from '../../electron/contract/devices';
import type { HostEvent } from '../../electron/contract/events';
import type { JobInfo } from '../../electron/contract/jobs';
import type { AuditRecord } from '../../electron/contract/audit';
import type { Scope } from '../../electron/contract/scopes';
import type { WireError } from '../../electron/contract/errors';
import type { FwbenchClient } from '../api/client';
import { RequestError } from '../api/client';
import { TelemetryBuffer } from './telemetry-buffer';

export type PanelId = 'console' | 'telemetry' | 'config' | 'firmware' | 'fwctl' | 'audit' | 'recipes' | 'profiles';

export interface Notice {
  id: number;
  kind: 'error' | 'info';
  text: string;
  detail?: string;
  code?: string;
}

interface AppState {
  client: FwbenchClient | null;
  facts: HostFacts | null;
  devices: DeviceInfo[];
  sessions: Record<string, SessionInfo>;
  selectedDeviceId: string | null;
  panel: PanelId;
  jobs: Record<string, JobInfo>;
  auditTail: AuditRecord[];
  notices: Notice[];
  elevation: { sessionId: string; scope: Scope } | null;
  /** Console listeners by session (xterm writes directly, not through React state). */
  consoleSinks: Map<string, Set<(data: string) => void>>;
  telemetry: Map<string, TelemetryBuffer>;
  init(client: FwbenchClient): Promise<void>;
  select(deviceId: string | null): void;
  setPanel(p: PanelId): void;
  openSession(deviceId: string): Promise<SessionInfo | null>;
  closeSession(sessionId: string): Promise<void>;
  sessionFor(deviceId: string | null): SessionInfo | null;
  runCommand<T = unknown>(sessionId: string, commandId: string, scope: Scope, params: unknown): Promise<T | null>;
  grant(sessionId: string, scope: Scope, typed?: string, ttlSeconds?: number): Promise<boolean>;
  dropGrant(sessionId: string): Promise<void>;
  askElevation(sessionId: string, scope: Scope): void;
  closeElevation(): void;
  notify(n: Omit<Notice, 'id'>): void;
  dismiss(id: number): void;
  reportError(e: unknown): void;
}

let noticeId = 1;

export const useApp = create<AppState>()((set, get) => ({
  client: null,
  facts: null,
  devices: [],
  sessions: {},
  selectedDeviceId: null,
  panel: 'telemetry',
  jobs: {},
  auditTail: [],
  notices: [],
  elevation: null,
  consoleSinks: new Map(),
  telemetry: new Map(),

  async init(client) {
    set({ client });
    client.onEvent((e) => handleEvent(e));
    const [facts, devices, sessions, auditTail] = await Promise.all([
      client.request('host.facts', {}),
      client.request('devices.list', {}),
      client.request('sessions.list', {}),
      client.request('audit.query', { limit: 200 }),
    ]);
    set({ facts, devices, sessions: Object.fromEntries(sessions.map((s) => [s.id, s])), auditTail });
    if (!get().selectedDeviceId && devices.length) set({ selectedDeviceId: devices[0].id });
  },

  select(deviceId) {
    set({ selectedDeviceId: deviceId });
  },
  setPanel(panel) {
    set({ panel });
  },

  sessionFor(deviceId) {
    if (!deviceId) return null;
    return Object.values(get().sessions).find((s) => s.deviceId === deviceId && s.state !== 'closed') ?? null;
  },

  async openSession(deviceId) {
    try {
      const s = await get().client!.request('session.open', { deviceId });
      set((st) => ({ sessions: { ...st.sessions, [s.id]: s } }));
      return s;
    } catch (e) {
      get().reportError(e);
      return null;
    }
  },

  async closeSession(sessionId) {
    try {
      await get().client!.request('session.close', { sessionId });
    } catch (e) {
      get().reportError(e);
    }
    set((st) => {
      const sessions = { ...st.sessions };
      delete sessions[sessionId];
      return { sessions };
    });
  },

  async runCommand(sessionId, commandId, scope, params) {
    try {
      const r = await get().client!.request('command.run', { sessionId, commandId, scope, params });
      return (r.jobId !== undefined ? { jobId: r.jobId } : r.result) as never;
    } catch (e) {
      if (e instanceof RequestError && (e.wire.code === 'grant-required' || e.wire.code === 'scope-too-low')) {
        get().notify({ kind: 'error', text: e.wire.message, detail: e.wire.detail, code: e.wire.code });
      } else get().reportError(e);
      return null;
    }
  },

  async grant(sessionId, scope, typed, ttlSeconds) {
    try {
      const s = await get().client!.request('session.grant', { sessionId, scope, ttlSeconds, confirm: { acknowledged: true, typed } });
      set((st) => ({ sessions: { ...st.sessions, [s.id]: s }, elevation: null }));
      return true;
    } catch (e) {
      get().reportError(e);
      return false;
    }
  },

  async dropGrant(sessionId) {
    try {
      const s = await get().client!.request('session.drop-grant', { sessionId });
      set((st) => ({ sessions: { ...st.sessions, [s.id]: s } }));
    } catch (e) {
      get().reportError(e);
    }
  },

  askElevation(sessionId, scope) {
    set({ elevation: { sessionId, scope } });
  },
  closeElevation() {
    set({ elevation: null });
  },

  notify(n) {
    const id = noticeId++;
    set((st) => ({ notices: [...st.notices.slice(-4), { ...n, id }] }));
    // Confirmations fade; errors stay until dismissed.
    if (n.kind === 'info') setTimeout(() => get().dismiss(id), 6000);
  },
  dismiss(id) {
    set((st) => ({ notices: st.notices.filter((n) => n.id !== id) }));
  },
  reportError(e) {
    const wire: WireError = e instanceof RequestError ? e.wire : { code: 'internal', message: (e as Error)?.message ?? String(e) };
    get().notify({ kind: 'error', text: wire.message, detail: wire.detail, code: wire.code });
  },
}));

function handleEvent(e: HostEvent): void {
  const st = useApp.getState();
  switch (e.type) {
    case 'device-added':
      useApp.setState({ devices: [...st.devices.filter((d) => d.id !== e.device.id), e.device] });
      break;
    case 'device-removed':
      if (e.deviceId === '*host*') st.notify({ kind: 'error', text: 'The connection to the fwbench host was lost. Reload the page to reconnect.' });
      useApp.setState({ devices: st.devices.filter((d) => d.id !== e.deviceId) });
      break;
    case 'session': {
      const sessions = { ...st.sessions };
      if (e.session.state === 'closed') delete sessions[e.session.id];
      else sessions[e.session.id] = e.session;
      useApp.setState({ sessions });
      break;
    }
    case 'console':
      for (const sink of st.consoleSinks.get(e.sessionId) ?? []) sink(e.data);
      break;
    case 'telemetry': {
      let buf = st.telemetry.get(e.sessionId);
      if (!buf) st.telemetry.set(e.sessionId, (buf = new TelemetryBuffer()));
      buf.append(e);
      break;
    }
    case 'job':
      useApp.setState({ jobs: { ...st.jobs, [e.job.id]: e.job } });
      break;
    case 'audit':
      useApp.setState({ auditTail: [e.record, ...st.auditTail].slice(0, 1000) });
      break;
  }
}
