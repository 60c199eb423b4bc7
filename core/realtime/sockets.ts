/**
 * WebSocket upgrades on the app's own HTTP server. An upgrade is accepted only when:
 *  - its path (inside a network, `/n/<slug>` stripped as for pages) has a handler;
 *  - its Origin is the site's (config `siteUrl`) or the request's own host: no other site
 *    can open a socket with a member's cookie;
 *  - the session cookie names an active member — checked by the very middleware that
 *    serves pages (network resolution, session viewer, locale), on a throwaway Koa context.
 * Handlers get the socket and who it is; they decide what the member may receive.
 */
import http from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type Koa from 'koa';
import type { Runtime } from '../runtime';
import type { Viewer } from '../auth/viewer';
import type { NetworkInfo } from '../http/context';
import { networkResolution } from '../http/network';
import { sessionViewer } from '../http/session';
import { localeResolution } from '../http/locale';

export interface SocketRequest {
  viewer: Viewer;
  network: NetworkInfo;
  basePath: string;
  locale: string;
  /** Query parameters of the upgrade URL. */
  query: URLSearchParams;
}

export type SocketHandler = (ws: WebSocket, req: SocketRequest) => void;

/** Socket paths, registered by plugins (`rt.sockets.add('/chat/socket', handler)`). */
export class SocketRoutes {
  private readonly handlers = new Map<string, SocketHandler>();
  add(path: string, handler: SocketHandler): void {
    if (this.handlers.has(path)) throw new Error(`socket path ${path} is already used`);
    this.handlers.set(path, handler);
  }
  get(path: string): SocketHandler | undefined {
    return this.handlers.get(path);
  }
  get size(): number {
    return this.handlers.size;
  }
}

const MAX_PAYLOAD = 64 * 1024;
const HEARTBEAT_MS = 30_000;

function refuse(socket: Duplex, status: number): void {
  if (socket.writable) socket.end(`HTTP/1.1 ${status} ${http.STATUS_CODES[status]}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  socket.destroy();
}

function originAllowed(rt: Runtime, req: http.IncomingMessage): boolean {
  const origin = req.headers.origin;
  if (!origin) return false;
  let o: URL;
  try {
    o = new URL(origin);
  } catch {
    return false;
  }
  if (o.origin === new URL(rt.config.siteUrl).origin) return true;
  const proto = rt.config.trustProxy ? String(req.headers['x-forwarded-proto'] ?? '').split(',')[0].trim() || 'http' : (req.socket as { encrypted?: boolean }).encrypted ? 'https' : 'http';
  const host = (rt.config.trustProxy ? String(req.headers['x-forwarded-host'] ?? '').split(',')[0].trim() : '') || req.headers.host;
  return !!host && o.origin === `${proto}://${host}`.toLowerCase();
}

/** Resolves network, viewer and locale exactly as for a page request. */
async function identify(app: Koa & { ruche: Runtime }, req: http.IncomingMessage): Promise<Koa.Context | null> {
  const rt = app.ruche;
  const res = new http.ServerResponse(req);
  const ctx = app.createContext(req, res);
  const chain = [networkResolution(rt.networks), sessionViewer(rt.sessions, rt.users, rt.config.session.cookieName, rt.apiTokens), localeResolution(rt.i18n)];
  let reached = false;
  const run = async (i: number): Promise<void> => {
    if (i === chain.length) {
      reached = true;
      return;
    }
    await chain[i](ctx, () => run(i + 1));
  };
  await run(0);
  return reached ? ctx : null;
}

/** Attaches the upgrade handler; returns a function closing every open socket. */
export function attachWebSockets(server: http.Server, app: Koa & { ruche: Runtime }): () => Promise<void> {
  const rt = app.ruche;
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_PAYLOAD });
  const alive = new WeakMap<WebSocket, boolean>();
  const heartbeat = setInterval(() => {
    for (const ws of wss.clients) {
      if (alive.get(ws) === false) {
        ws.terminate();
        continue;
      }
      alive.set(ws, false);
      ws.ping();
    }
  }, HEARTBEAT_MS);
  heartbeat.unref();

  server.on('upgrade', (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    void (async () => {
      if (!originAllowed(rt, req)) return refuse(socket, 403);
      let ctx: Koa.Context | null;
      try {
        ctx = await identify(app, req);
      } catch {
        return refuse(socket, 404);
      }
      const handler = ctx && rt.sockets.get(ctx.path);
      if (!ctx || !handler) return refuse(socket, 404);
      const viewer = ctx.state.viewer as Viewer | null;
      if (!viewer || viewer.status !== 'active') return refuse(socket, 401);
      const request: SocketRequest = { viewer, network: ctx.state.network, basePath: ctx.state.basePath, locale: ctx.state.locale, query: new URLSearchParams(ctx.querystring) };
      wss.handleUpgrade(req, socket, head, (ws) => {
        alive.set(ws, true);
        ws.on('pong', () => alive.set(ws, true));
        try {
          handler(ws, request);
        } catch (e) {
          rt.logger.error({ err: e }, 'socket handler failed');
          ws.close(1011);
        }
      });
    })().catch((e) => {
      rt.logger.error({ err: e }, 'websocket upgrade failed');
      refuse(socket, 500);
    });
  });

  return async () => {
    clearInterval(heartbeat);
    for (const ws of wss.clients) ws.close(1001, 'server stopping');
    await new Promise((r) => setTimeout(r, 50));
    for (const ws of wss.clients) ws.terminate();
    await new Promise<void>((resolve) => wss.close(() => resolve()));
  };
}
