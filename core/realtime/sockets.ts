/**
 * WebSocket upgrades on the app's own HTTP server. An upgrade is accepted only when:
 *  - its Origin is the site's (config `siteUrl`) or the request's own host: no other site
 *    can open a socket with a member's cookie (what CSRF tokens are to forms);
 *  - it passes the request gates every page passes — the very same middleware array,
 *    `app.gates` (core/http/gates.ts: allowed host and network, session/viewer with
 *    suspension, locale, usage charter), run on a throwaway Koa context;
 *  - its path (inside a network, `/n/<slug>` stripped as for pages) has a handler, and the
 *    handler's target gate passes, as a route's would: its plugin is enabled in the network,
 *    outsiders are refused unless it is open to them, the member holds its capability;
 *  - a signed-in, active member is asking.
 * A refused upgrade gets the status the gate gave (401, 403, 404) and no socket. Handlers
 * get the socket and who it is; they decide what the member may receive. An open socket is
 * closed when its member is suspended or banned from its network (core/realtime/member-sockets.ts).
 */
import http from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type Koa from 'koa';
import type { RucheApp } from '../app';
import type { Runtime } from '../runtime';
import type { Viewer } from '../auth/viewer';
import type { NetworkInfo, RucheContext } from '../http/context';
import { HttpError } from '../errors';
import { CORE_ID } from '../plugins/manifest';
import { targetGate, type GateTarget } from '../http/gates';
import { MemberSockets } from './member-sockets';

export interface SocketRequest {
  viewer: Viewer;
  network: NetworkInfo;
  basePath: string;
  locale: string;
  /** Query parameters of the upgrade URL. */
  query: URLSearchParams;
}

/** Gets the socket, who opened it, and the app it runs in. */
export type SocketHandler = (ws: WebSocket, req: SocketRequest, rt: Runtime) => void;

/** What a socket path requires, as a route declares it (the target gate checks it before any upgrade). */
export interface SocketOptions {
  /** The plugin serving the socket: it answers 404 in networks where that plugin is disabled. */
  plugin?: string;
  /** Capability the member must hold in the request's network. */
  capability?: string;
  /** Open to signed-in members of other networks (default: refused, 403). */
  outsiders?: boolean;
}

interface SocketRoute {
  handler: SocketHandler;
  target: GateTarget;
}

/** Socket paths: the manifests' `sockets` (core/plugins/installers.ts) add theirs here. */
export class SocketRoutes {
  private readonly routes = new Map<string, SocketRoute>();
  add(path: string, handler: SocketHandler, options: SocketOptions = {}): void {
    if (this.routes.has(path)) throw new Error(`socket path ${path} is already used`);
    this.routes.set(path, { handler, target: { owner: options.plugin ?? CORE_ID, capability: options.capability, outsiders: options.outsiders } });
  }
  get(path: string): SocketRoute | undefined {
    return this.routes.get(path);
  }
  get size(): number {
    return this.routes.size;
  }
  /** Every socket path with what its target gate requires (the security walks go over them all). */
  all(): ({ path: string } & GateTarget)[] {
    return [...this.routes].map(([path, r]) => ({ path, ...r.target }));
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
  const proto = rt.config.trustProxy
    ? String(req.headers['x-forwarded-proto'] ?? '')
        .split(',')[0]
        .trim() || 'http'
    : (req.socket as { encrypted?: boolean }).encrypted
      ? 'https'
      : 'http';
  const host =
    (rt.config.trustProxy
      ? String(req.headers['x-forwarded-host'] ?? '')
          .split(',')[0]
          .trim()
      : '') || req.headers.host;
  return !!host && o.origin === `${proto}://${host}`.toLowerCase();
}

/** The outcome of the gates for an upgrade: the context and handler, or the status to refuse with. */
type Admission = { ctx: RucheContext; route: SocketRoute } | { status: number };

/** Runs the request gates (`app.gates`) and then the socket path's target gate, as for a page. */
async function admit(app: RucheApp, req: http.IncomingMessage): Promise<Admission> {
  const rt = app.ruche;
  const koaCtx = app.createContext(req, new http.ServerResponse(req));
  const ctx = koaCtx as unknown as RucheContext;
  let route: SocketRoute | undefined;
  let reached = false;
  const final: Koa.Middleware = async () => {
    route = rt.sockets.get(ctx.path);
    if (!route) throw new HttpError(404);
    if (!(await targetGate(ctx, route.target))) return;
    const viewer = ctx.state.viewer;
    if (!viewer || viewer.status !== 'active') throw new HttpError(401);
    reached = true;
  };
  try {
    const chain = [...app.gates, final];
    const run = async (i: number): Promise<void> => {
      if (i < chain.length) await chain[i](koaCtx, () => run(i + 1));
    };
    await run(0);
  } catch (e) {
    if (e instanceof HttpError && e.status < 500) return { status: e.status };
    throw e;
  }
  // A gate answered by itself (an outsider's refusal): its status, never a socket.
  if (!reached || !route) return { status: koaCtx.status >= 400 ? koaCtx.status : 403 };
  return { ctx, route };
}

/** Attaches the upgrade handler; returns a function closing every open socket. */
export function attachWebSockets(server: http.Server, app: RucheApp): () => Promise<void> {
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
  const members = new MemberSockets();
  const listening = members.listen(rt.pubsub).catch((e: unknown) => {
    rt.logger.error({ err: e }, 'sockets: not listening for members whose access ended');
    return () => undefined;
  });

  server.on('upgrade', (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    void (async () => {
      if (!originAllowed(rt, req)) return refuse(socket, 403);
      const admission = await admit(app, req);
      if ('status' in admission) return refuse(socket, admission.status);
      const { ctx, route } = admission;
      const request: SocketRequest = {
        viewer: ctx.state.viewer!,
        network: ctx.state.network,
        basePath: ctx.state.basePath,
        locale: ctx.state.locale,
        query: new URLSearchParams(ctx.querystring),
      };
      wss.handleUpgrade(req, socket, head, (ws) => {
        alive.set(ws, true);
        ws.on('pong', () => alive.set(ws, true));
        members.add(ws, request.viewer.id, request.network.id);
        try {
          route.handler(ws, request, rt);
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
    (await listening)();
    for (const ws of wss.clients) ws.close(1001, 'server stopping');
    await new Promise((r) => setTimeout(r, 50));
    for (const ws of wss.clients) ws.terminate();
    await new Promise<void>((resolve) => wss.close(() => resolve()));
  };
}
