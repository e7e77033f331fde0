// The preload is the renderer's whole world: exactly request() and onEvent().
import { vi } from 'vitest';

const exposed: Record<string, unknown> = {};
const invoke = vi.fn(async (_ch: string, msg: unknown) => ({ echoed: msg }));
const on = vi.fn();
const removeListener = vi.fn();

vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (name: string, api: unknown) => (exposed[name] = api) },
  ipcRenderer: { invoke, on, removeListener },
}));

describe('preload', () => {
  it('exposes only the typed bridge under window.fwbench', async () => {
    await import('../../../electron/preload/preload');
    expect(Object.keys(exposed)).toEqual(['fwbench']);
    const api = exposed.fwbench as Record<string, unknown>;
    expect(Object.keys(api).sort()).toEqual(['onEvent', 'request']);
    expect(typeof api.request).toBe('function');
  });

  it('sends requests on the one request channel and nothing else', async () => {
    const api = exposed.fwbench as { request(m: unknown): Promise<unknown>; onEvent(l: (e: unknown) => void): () => void };
    await api.request({ id: 1, channel: 'devices.list', params: {} });
    expect(invoke).toHaveBeenCalledWith('fwbench:request', { id: 1, channel: 'devices.list', params: {} });
    const got: unknown[] = [];
    const off = api.onEvent((e) => got.push(e));
    expect(on).toHaveBeenCalledWith('fwbench:event', expect.any(Function));
    const handler = on.mock.calls[0][1] as (e: unknown, ev: unknown) => void;
    handler({ sender: 'ipc internals' }, { type: 'device-removed', deviceId: 'x' });
    // The IPC event object (with its sender) never reaches the renderer.
    expect(got).toEqual([{ type: 'device-removed', deviceId: 'x' }]);
    off();
    expect(removeListener).toHaveBeenCalledWith('fwbench:event', handler);
  });
});

describe('preload: nothing beyond the contract', () => {
  it('forwards exactly the one message, not extra arguments, and gives back only what the host answered', async () => {
    const api = exposed.fwbench as { request(...a: unknown[]): Promise<unknown> };
    invoke.mockClear();
    const answer = await api.request({ id: 2, channel: 'host.facts', params: {} }, 'fwbench:event', { evil: true });
    expect(invoke).toHaveBeenCalledTimes(1);
    expect(invoke.mock.calls[0]).toEqual(['fwbench:request', { id: 2, channel: 'host.facts', params: {} }]);
    expect(answer).toEqual({ echoed: { id: 2, channel: 'host.facts', params: {} } });
  });

  it('exposes plain functions only: no ipcRenderer, no channel names, no Node objects', () => {
    const api = exposed.fwbench as Record<string, unknown>;
    expect(Object.getOwnPropertyNames(api).sort()).toEqual(['onEvent', 'request']);
    for (const v of Object.values(api)) expect(typeof v).toBe('function');
    expect(JSON.stringify(Object.keys(exposed))).not.toMatch(/ipc|process|require/i);
  });
});

describe('window policy', () => {
  it('keeps the renderer sandboxed with no Node', async () => {
    const { secureWebPreferences } = await import('../../../electron/main/window-policy');
    const p = secureWebPreferences('/x/preload.cjs');
    expect(p).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true, webviewTag: false });
  });

  it('trusts only the app page in the top frame', async () => {
    const { isTrustedSender } = await import('../../../electron/main/window-policy');
    const app = 'file:///opt/fwbench/dist/renderer/index.html';
    expect(isTrustedSender({ url: app, parent: null }, app)).toBe(true);
    expect(isTrustedSender({ url: app, parent: {} }, app)).toBe(false);
    expect(isTrustedSender({ url: 'https://evil.example/index.html', parent: null }, app)).toBe(false);
    expect(isTrustedSender({ url: 'file:///tmp/other.html', parent: null }, app)).toBe(false);
    expect(isTrustedSender(null, app)).toBe(false);
  });
});
