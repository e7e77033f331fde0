// One typed client over whichever carrier the renderer finds: the Electron
// preload's bridge, or the served mode's WebSocket.
import type { Channel, ParamsOf, ResultOf } from '../../electron/contract/channels';
import type { HostEvent } from '../../electron/contract/events';
import type { WireError } from '../../electron/contract/errors';
import { decodeJson, encodeJson, type ServerMessage } from '../../electron/contract/wire';

export class RequestError extends Error {
  constructor(readonly wire: WireError) {
    super(wire.message);
  }
}

export interface FwbenchClient {
  request<C extends Channel>(channel: C, params: ParamsOf<C>): Promise<ResultOf<C>>;
  onEvent(listener: (e: HostEvent) => void): () => void;
}

/** What electron/preload exposes as window.fwbench. */
export interface PreloadBridge {
  request(message: { id: number; channel: string; params: unknown }): Promise<{ id: number; ok: boolean; result?: unknown; error?: WireError }>;
  onEvent(listener: (e: HostEvent) => void): () => void;
}

declare global {
  interface Window {
    fwbench?: PreloadBridge;
  }
}

let nextId = 1;

export function preloadClient(bridge: PreloadBridge): FwbenchClient {
  return {
    async request(channel, params) {
      const r = await bridge.request({ id: nextId++, channel, params });
      if (!r.ok) throw new RequestError(r.error!);
      return r.result as never;
    },
    onEvent: (l) => bridge.onEvent(l),
  };
}

export function webSocketClient(url: string): Promise<FwbenchClient> {
  const ws = new WebSocket(url);
  const pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  const listeners = new Set<(e: HostEvent) => void>();
  ws.onmessage = (m) => {
    const msg = decodeJson(String(m.data)) as ServerMessage;
    if ('event' in msg) {
      for (const l of listeners) l(msg.event);
      return;
    }
    const p = pending.get(msg.id);
    if (!p) return;
    pending.delete(msg.id);
    if (msg.ok) p.resolve(msg.result);
    else p.reject(new RequestError(msg.error));
  };
  ws.onclose = () => {
    for (const p of pending.values()) p.reject(new RequestError({ code: 'io-error', message: 'The connection to the fwbench host closed.' }));
    pending.clear();
    for (const l of listeners) l({ type: 'device-removed', deviceId: '*host*' });
  };
  const client: FwbenchClient = {
    request(channel, params) {
      const id = nextId++;
      return new Promise((resolve, reject) => {
        if (ws.readyState !== WebSocket.OPEN) return reject(new RequestError({ code: 'io-error', message: 'Not connected to the fwbench host.' }));
        pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
        ws.send(encodeJson({ id, channel, params }));
      });
    },
    onEvent(l) {
      listeners.add(l);
      return () => listeners.delete(l);
    },
  };
  return new Promise((resolve, reject) => {
    ws.onopen = () => resolve(client);
    ws.onerror = () => reject(new Error('Could not connect to the fwbench host. Is the token in the address right?'));
  });
}

/** Picks the carrier: the preload bridge inside Electron, the WebSocket in served mode. */
export async function connect(loc: Location = window.location): Promise<FwbenchClient> {
  if (window.fwbench) return preloadClient(window.fwbench);
  const token = new URLSearchParams(loc.search).get('token');
  if (!token) throw new Error('This page needs the address fwbench printed, with its ?token=... part.');
  return webSocketClient(`ws://${loc.host}/ws?token=${encodeURIComponent(token)}`);
}
