// IPC command round trip: validation + scope check + audit append + a command
// that does no device I/O (console.history), in-process and over the served
// WebSocket; the served figure's reference is a bare WebSocket echo on the same
// machine, so the ratio is what the host adds to the transport.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { WebSocket, WebSocketServer } from 'ws';
import { Host } from '../electron/host/host';
import { serveApp } from '../electron/host/serve/served-app';
import { encodeJson } from '../electron/contract/wire';
import { percentile, round, type Figures } from './figures';

const N = 3000;

async function timeLoop(n: number, fn: () => Promise<unknown>): Promise<number[]> {
  for (let i = 0; i < 200; i++) await fn();
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await fn();
    out.push(performance.now() - t);
  }
  return out.sort((a, b) => a - b);
}

function wsRoundTrip(ws: WebSocket, payload: string, matchId: number): Promise<void> {
  return new Promise((resolve) => {
    const on = (d: unknown) => {
      if (String(d).includes(`"id":${matchId}`)) {
        ws.off('message', on);
        resolve();
      }
    };
    ws.on('message', on);
    ws.send(payload);
  });
}

export async function benchIpc(): Promise<Figures> {
  const home = mkdtempSync(join(tmpdir(), 'fwbench-bench-'));
  const host = await Host.create({ paths: { config: join(home, 'c'), state: join(home, 's'), cache: join(home, 'k') }, discovery: false, demoTransport: 'in-process', demoBoards: 1 });
  const client = host.newClient('bench');
  const session = await host.request('session.open', { deviceId: 'demo:DEMO-1001' }, client);
  const msg = { id: 1, channel: 'command.run', params: { sessionId: session.id, commandId: 'console.history', scope: 'debug-read-only', params: { maxBytes: 64 } } };
  const inproc = await timeLoop(N, async () => {
    const r = await host.handle(msg, client);
    if (!r.ok) throw new Error(r.error.message);
  });

  const dir = mkdtempSync(join(tmpdir(), 'fwbench-bench-static-'));
  writeFileSync(join(dir, 'index.html'), '');
  const served = await serveApp(host, { staticDir: dir });
  const origin = `http://127.0.0.1:${served.port}`;
  const ws = new WebSocket(`ws://127.0.0.1:${served.port}/ws?token=${served.token}`, { headers: { Origin: origin } });
  await new Promise((r) => ws.once('open', r));
  // The served client opens its own session once the in-process one is closed (one owner per device).
  await host.request('session.close', { sessionId: session.id }, client);
  const s2 = await new Promise<{ result: { id: string } }>((resolve) => {
    const on = (d: unknown) => {
      const m = JSON.parse(String(d));
      if (m.id !== 3) return; // events arrive on the same socket
      ws.off('message', on);
      resolve(m);
    };
    ws.on('message', on);
    ws.send(encodeJson({ id: 3, channel: 'session.open', params: { deviceId: 'demo:DEMO-1001' } }));
  });
  const payload = encodeJson({ id: 4, channel: 'command.run', params: { sessionId: s2.result.id, commandId: 'console.history', scope: 'debug-read-only', params: { maxBytes: 64 } } });
  const servedT = await timeLoop(N, () => wsRoundTrip(ws, payload, 4));

  const echoServer = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  echoServer.on('connection', (c) => c.on('message', (d) => c.send(String(d))));
  await new Promise((r) => echoServer.once('listening', r));
  const echo = new WebSocket(`ws://127.0.0.1:${(echoServer.address() as { port: number }).port}`);
  await new Promise((r) => echo.once('open', r));
  const echoT = await timeLoop(N, () => wsRoundTrip(echo, payload, 4));

  ws.close();
  echo.close();
  echoServer.close();
  await served.close();
  await host.close();
  const servedP50 = percentile(servedT, 50);
  const echoP50 = percentile(echoT, 50);
  return {
    'ipc.inprocess.p50': { value: round(percentile(inproc, 50)), unit: 'ms' },
    'ipc.inprocess.p99': { value: round(percentile(inproc, 99)), unit: 'ms' },
    'ipc.served.p50': { value: round(servedP50), unit: 'ms', reference: round(echoP50), ratio: round(servedP50 / echoP50, 2) },
    'ipc.served.p99': { value: round(percentile(servedT, 99)), unit: 'ms', reference: round(percentile(echoT, 99)), ratio: round(percentile(servedT, 99) / percentile(echoT, 99), 2) },
  };
}
