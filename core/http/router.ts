/**
 * One router for the core's and every plugin's routes. Each route runs behind its target
 * gate (core/http/gates.ts, shared with WebSocket upgrades): its plugin is enabled in the
 * request's network (else 404, as if it did not exist), outsiders are refused unless the
 * route is open to them, the viewer holds its capability (guests are sent to sign in;
 * members get 403) — and root rights when the route declares `scope: 'installation'`
 * (core/access/scope.ts). Routes declaring `api` get the JSON API's conventions
 * (core/http/api/conventions.ts), and so does every request made with an API token.
 * Handlers return data (see RouteResult); this file turns it into a response.
 */
import Router from '@koa/router';
import type Koa from 'koa';
import type { RouteDef, RouteResult } from '../plugins/manifest';
import type { RucheContext } from './context';
import { setFlash } from './flash';
import { renderPage } from './render';
import { targetGate } from './gates';
import { apiGate, runApiRoute } from './api/conventions';

export interface OwnedRoute {
  owner: string;
  def: RouteDef;
}

/**
 * The router as one middleware. Routes are grouped by the first segment of their path
 * (`/groups/:id` under `groups`), each group a router of its own holding, in the order they
 * were declared, its routes and every route whose first segment is not a plain word (a
 * parameter): a request is matched against its own segment's group only, instead of testing
 * every route's regular expression in turn (380 of them, 25-40 µs a request; issue 18). The
 * answer is the one a single router gives: a route of another group cannot match the request's
 * path, whose first segment it spells otherwise (matching ignores ASCII case, as here).
 */
export function buildRouter(routes: OwnedRoute[]): Koa.Middleware {
  const keyed = routes.map((route) => ({ route, key: firstSegment(route.def.path) }));
  const routerOf = (key: string | null): Koa.Middleware => {
    const router = new Router();
    for (const { route, key: own } of keyed) if (own === null || own === key) addRoute(router, route);
    return router.routes() as unknown as Koa.Middleware;
  };
  const groups = new Map<string, Koa.Middleware>();
  for (const { key } of keyed) if (key !== null && !groups.has(key)) groups.set(key, routerOf(key));
  const others = routerOf(null);
  return (ctx, next) => {
    const key = firstSegment(ctx.path);
    return ((key !== null && groups.get(key)) || others)(ctx, next);
  };
}

/** The first segment of a path, lower-cased, when it is a plain word; null when it may be a parameter or a pattern. */
function firstSegment(path: string): string | null {
  const end = path.indexOf('/', 1);
  const segment = path.slice(1, end < 0 ? undefined : end);
  return /^[\w.~-]*$/.test(segment) ? segment.toLowerCase() : null;
}

function addRoute(router: Router, { owner, def }: OwnedRoute): void {
  const guard: Koa.Middleware = async (koaCtx, next) => {
    const ctx = koaCtx as unknown as RucheContext;
    ctx.state.routeName = def.name;
    await apiGate(ctx, def);
    if (await targetGate(ctx, { owner, capability: def.capability, outsiders: def.outsiders, scope: def.scope })) await next();
  };
  const handle: Koa.Middleware = async (koaCtx) => {
    const ctx = koaCtx as unknown as RucheContext;
    await applyResult(ctx, def.api ? await runApiRoute(ctx, def) : await def.handler(ctx));
  };
  const method = def.method.toLowerCase() as 'get' | 'post' | 'put' | 'patch' | 'delete';
  router[method](def.name, def.path, guard, handle);
}

export async function applyResult(ctx: RucheContext, result: RouteResult): Promise<void> {
  if (!result) return;
  if ('view' in result) {
    await renderPage(ctx, result.view, result.data, { title: result.title, status: result.status, layout: result.layout });
  } else if ('redirect' in result) {
    const { flash } = result;
    if (flash) setFlash(ctx, typeof flash === 'string' ? { type: 'success', key: flash } : { type: 'success', ...flash });
    ctx.status = result.status ?? 303;
    ctx.redirect(result.redirect);
  } else if ('json' in result) {
    ctx.status = result.status ?? 200;
    ctx.body = result.json;
  }
}
