import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebSocket } from 'ws';
import type { Host } from '../../../electron/host/host';
import { serveApp, type ServedApp } from '../../../electron/host/serve/served-app';
import { decodeJson, encodeJson } from '../../../electron/contract/wire';
import { testHost } from '../../support/test-host';

let host: Host;
let app: ServedApp;
let origin: string;

beforeAll(async () => {
  host = await testHost({ demoBoards: 1 });
  const dir = mkdtempSync(join(tmpdir(), 'fwbench-static-'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>fwbench</title>');
  app = await serveApp(host, { staticDir: dir });
  origin = `http://127.0.0.1:${app.port}`;
});
afterAll(async () => {
  await app?.close();
  await host?.close();
});

function connect(query: string, headers: Record<string, string>): Promise<{ ws?: WebSocket; status?: number }> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`ws://127.0.0.1:${app.port}/ws${query}`, { headers });
    ws.on('open', () => resolve({ ws }));
    ws.on('unexpected-response', (_req, res) => resolve({ status: res.statusCode }));
    ws.on('error', () => resolve({ status: -1 }));
  });
}

describe('served mode', () => {
  it('prints a loopback URL carrying the token', () => {
    expect(app.url).toBe(`${origin}/?token=${encodeURIComponent(app.token)}`);
    expect(app.token.length).toBeGreaterThanOrEqual(32);
  });

  it('serves the renderer with a strict CSP and refuses paths outside it', async () => {
    const r = await fetch(`${origin}/`);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-security-policy')).toMatch(/default-src 'none'/);
    expect(r.headers.get('content-security-policy')).not.toMatch(/https?:/);
    expect((await fetch(`${origin}/..%2f..%2fetc%2fpasswd`)).status).toBeGreaterThanOrEqual(403);
    expect((await fetch(`${origin}/`, { method: 'POST' })).status).toBe(405);
  });

  it('refuses a client with no token', async () => {
    expect((await connect('', { Origin: origin })).status).toBe(401);
  });

  it('refuses a client with a wrong token', async () => {
    expect((await connect('?token=not-the-token', { Origin: origin })).status).toBe(401);
    expect((await connect(`?token=${app.token.slice(0, -1)}x`, { Origin: origin })).status).toBe(401);
  });

  it('refuses a client from another origin, even with the token', async () => {
    expect((await connect(`?token=${app.token}`, { Origin: 'http://evil.example' })).status).toBe(403);
    expect((await connect(`?token=${app.token}`, { Origin: `http://localhost:${app.port}` })).status).toBe(403);
    expect((await connect(`?token=${app.token}`, {})).status).toBe(403);
  });

  it('admits the right token and origin, and carries the contract', async () => {
    const { ws } = await connect(`?token=${app.token}`, { Origin: origin });
    expect(ws).toBeDefined();
    const reply = await new Promise<unknown>((resolve) => {
      ws!.on('message', (d) => {
        const m = decodeJson(String(d)) as { id?: number };
        if (m.id === 1) resolve(m);
      });
      ws!.send(encodeJson({ id: 1, channel: 'devices.list', params: {} }));
    });
    expect(reply).toMatchObject({ id: 1, ok: true, result: expect.arrayContaining([expect.objectContaining({ id: 'demo:DEMO-1001', simulated: true })]) });
    const bad = await new Promise<unknown>((resolve) => {
      ws!.on('message', (d) => {
        const m = decodeJson(String(d)) as { id?: number };
        if (m.id === -1) resolve(m);
      });
      ws!.send('{not json');
    });
    expect(bad).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    ws!.close();
  });
});
