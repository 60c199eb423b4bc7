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

export function buildRouter(routes: OwnedRoute[]): Router {
  const router = new Router();
  for (const { owner, def } of routes) {
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
  return router;
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
