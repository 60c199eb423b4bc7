/**
 * One router for the core's and every plugin's routes. Each route runs behind two checks:
 * its plugin is enabled in the request's network (else 404, as if it did not exist), and
 * the viewer holds its capability (guests are sent to sign in; members get 403) — and root
 * rights when the route declares `scope: 'installation'` (core/access/scope.ts).
 * Handlers return data (see RouteResult); this file turns it into a response.
 */
import Router from '@koa/router';
import type Koa from 'koa';
import { HttpError } from '../errors';
import { INSTALLATION } from '../access/scope';
import type { RouteDef, RouteResult } from '../plugins/manifest';
import type { RucheContext } from './context';
import { renderPage } from './render';
import { isOutsider, outsiderCan, refuseOutsider } from './outsiders';

export interface OwnedRoute {
  owner: string;
  def: RouteDef;
}

export function buildRouter(routes: OwnedRoute[]): Router {
  const router = new Router();
  for (const { owner, def } of routes) {
    const guard: Koa.Middleware = async (koaCtx, next) => {
      const ctx = koaCtx as unknown as RucheContext;
      const rt = ctx.ruche;
      const network = ctx.state.network;
      if (owner !== 'core' && !rt.pluginState.isEnabled(owner, network.id)) throw new HttpError(404);
      ctx.state.routeName = def.name;
      // A signed-in member of other networks only: their networks, not this one's pages.
      const outsider = isOutsider(ctx, network);
      if (outsider && !def.outsiders) return refuseOutsider(ctx);
      if (def.capability && !rt.permissions.can(ctx.state.viewer, def.capability, network.id) && !(outsider && outsiderCan(ctx, def.capability))) {
        // Guests are asked to sign in (the error boundary redirects pages to the login page).
        throw new HttpError(ctx.state.viewer ? 403 : 401);
      }
      // Installation-wide objects: root rights, whichever network the request comes through.
      if (def.scope === 'installation' && !rt.scopes.mayAct(ctx.state.viewer, def.capability!, INSTALLATION)) throw new HttpError(ctx.state.viewer ? 403 : 401);
      await next();
    };
    const handle: Koa.Middleware = async (koaCtx) => {
      const ctx = koaCtx as unknown as RucheContext;
      await applyResult(ctx, await def.handler(ctx));
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
    ctx.status = result.status ?? 303;
    ctx.redirect(result.redirect);
  } else if ('json' in result) {
    ctx.status = result.status ?? 200;
    ctx.body = result.json;
  }
}
