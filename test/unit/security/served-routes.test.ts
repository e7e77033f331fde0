// The served mode answers GET/HEAD for static files and the /ws upgrade, and
// nothing else: every other method, path and upgrade is refused.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebSocket } from 'ws';
import { testHost } from '../../support/test-host';
import { serveApp, type ServedApp } from '../../../electron/host/serve/served-app';
import type { Host } from '../../../electron/host/host';

let host: Host;
let app: ServedApp;

beforeAll(async () => {
  host = await testHost({ demoBoards: 0, demoCxl: false });
  const dir = mkdtempSync(join(tmpdir(), 'fwbench-static-'));
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>fwbench</title>');
  writeFileSync(join(dir, 'assets', 'app.js'), 'console.log(1)');
  app = await serveApp(host, { staticDir: dir, token: 'test-token-123' });
});
afterAll(async () => {
  await app.close();
  await host.close();
});

function http(method: string, path: string): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: app.port, method, path }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
    });
    req.on('error', reject);
    req.end();
  });
}

function upgrade(path: string, origin?: string): Promise<number> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`ws://127.0.0.1:${app.port}${path}`, { headers: origin ? { origin } : {} });
    ws.on('open', () => {
      ws.close();
      resolve(101);
    });
    ws.on('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      res.resume();
    });
    ws.on('error', () => resolve(-1));
  });
}

describe('served mode surface', () => {
  it('serves static files with GET and HEAD, with the CSP', async () => {
    const index = await http('GET', '/');
    expect(index.status).toBe(200);
    expect(index.body).toContain('<title>fwbench</title>');
    expect(String(index.headers['content-security-policy'])).toMatch(/default-src 'none'/);
    const head = await http('HEAD', '/assets/app.js');
    expect(head.status).toBe(200);
    expect(head.body).toBe('');
    expect((await http('GET', '/assets/app.js')).body).toBe('console.log(1)');
  });

  it('refuses every other method', async () => {
    for (const method of ['POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'TRACE', 'PROPFIND']) {
      for (const path of ['/', '/assets/app.js', '/ws', '/api']) expect((await http(method, path)).status, `${method} ${path}`).toBe(405);
    }
  });

  it('has no other routes: API-looking paths, traversal and the socket path over plain HTTP find nothing', async () => {
    for (const path of ['/api', '/api/devices', '/ws', '/host.facts', '/devices.list', '/.env', '/../../../etc/passwd', '/%2e%2e/%2e%2e/etc/passwd', '/assets/../../etc/passwd', '/index.html/..%2f..%2fetc%2fpasswd', '//etc/passwd']) {
      const r = await http('GET', path);
      expect([403, 404], `${path} -> ${r.status}`).toContain(r.status);
      expect(r.body).not.toMatch(/root:/);
    }
  });

  it('upgrades only /ws, only with the token and this origin', async () => {
    const origin = `http://127.0.0.1:${app.port}`;
    expect(await upgrade('/ws?token=test-token-123', origin)).toBe(101);
    expect(await upgrade('/ws?token=wrong-token-123', origin)).toBe(401);
    expect(await upgrade('/ws', origin)).toBe(401);
    expect(await upgrade('/ws?token=test-token-123', 'http://evil.invalid')).toBe(403);
    expect(await upgrade('/ws?token=test-token-123')).toBe(403);
    for (const path of ['/', '/socket', '/ws/x', '/api?token=test-token-123']) expect(await upgrade(path, origin), path).toBe(404);
  });
});
