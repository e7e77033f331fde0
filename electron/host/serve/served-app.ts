// Served mode: the same host and the same renderer, over HTTP + WebSocket on
// loopback. A client is admitted only with this run's random token and an
// Origin that is this server's own; the socket binds 127.0.0.1 only.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { decodeJson, encodeJson } from '../../contract/wire';
import type { Host } from '../host';

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
};

/** The renderer's content security policy: nothing remote, ever. */
export function contentSecurityPolicy(wsOrigin: string): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src 'self' ${wsOrigin}`,
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

const MAX_MESSAGE = 128 * 1024 * 1024;
/** Above this much unsent data, telemetry display batches are dropped (recording is unaffected). */
const SLOW_CLIENT_BYTES = 8 * 1024 * 1024;

export interface ServedApp {
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

function tokenMatches(given: string | null, token: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

export async function serveApp(host: Host, opts: { port?: number; staticDir: string; token?: string }): Promise<ServedApp> {
  const token = opts.token ?? randomBytes(24).toString('base64url');
  const server = createServer();
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE });
  let origin = '';

  server.on('request', (req: IncomingMessage, res: ServerResponse) => void serveStatic(req, res));
  async function serveStatic(req: IncomingMessage, res: ServerResponse) {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405).end();
      return;
    }
    const url = new URL(req.url ?? '/', origin);
    const rel = normalize(decodeURIComponent(url.pathname)).replace(/^([/\\])+/, '');
    const file = join(opts.staticDir, rel === '' ? 'index.html' : rel);
    if (!file.startsWith(normalize(opts.staticDir) + sep) && file !== join(opts.staticDir, 'index.html')) {
      res.writeHead(403).end();
      return;
    }
    try {
      const body = await readFile(file);
      res.writeHead(200, {
        'content-type': MIME[extname(file)] ?? 'application/octet-stream',
        'content-security-policy': contentSecurityPolicy(origin.replace(/^http/, 'ws')),
        'x-content-type-options': 'nosniff',
        'referrer-policy': 'no-referrer',
        'cache-control': 'no-store',
      });
      res.end(req.method === 'HEAD' ? undefined : body);
    } catch {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    }
  }

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(req.url ?? '/', origin);
    const refuse = (status: number, why: string) => {
      socket.end(`HTTP/1.1 ${status} ${why}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    };
    if (url.pathname !== '/ws') return refuse(404, 'Not Found');
    if (!tokenMatches(url.searchParams.get('token'), token)) return refuse(401, 'Unauthorized');
    if (req.headers.origin !== origin) return refuse(403, 'Forbidden');
    wss.handleUpgrade(req, socket, head, (ws) => admit(ws));
  });

  function admit(ws: WebSocket) {
    const client = host.newClient('ws');
    const send = (payload: unknown) => {
      if (ws.readyState === ws.OPEN) ws.send(encodeJson(payload));
    };
    const off = host.onEvent((event) => {
      if (event.type === 'telemetry' && ws.bufferedAmount > SLOW_CLIENT_BYTES) return;
      send({ event });
    }, client.id);
    ws.on('message', async (data, isBinary) => {
      let msg: unknown;
      try {
        if (isBinary) throw new Error('binary frames are not part of the protocol');
        msg = decodeJson(data.toString());
      } catch (e) {
        send({ id: -1, ok: false, error: { code: 'bad-request', message: 'The message is not valid JSON.', detail: (e as Error).message } });
        return;
      }
      send(await host.handle(msg, client));
    });
    ws.on('close', () => {
      off();
      void host.clientGone(client.id);
    });
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as { port: number }).port;
  origin = `http://127.0.0.1:${port}`;
  return {
    url: `${origin}/?token=${encodeURIComponent(token)}`,
    port,
    token,
    close: () =>
      new Promise<void>((resolve) => {
        for (const c of wss.clients) c.terminate();
        wss.close();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
