/**
 * Members who have not accepted the current charter of the network are sent to it: pages
 * redirect to /charter, other requests (forms, API, WebSocket upgrades) answer 403 with a
 * clear message.
 * Signing out, changing language, the network's branding (stylesheet, logo) and the
 * charter pages themselves stay open.
 */
import type Koa from 'koa';
import { HttpError } from '../errors';
import type { Charters } from '../auth/charter';
import type { RucheContext } from './context';
import { isOutsider } from './outsiders';
import { isUpgrade } from './request-helpers';

const OPEN = ['/charter', '/logout', '/locale', '/branding.css', '/branding'];

export function charterGate(charters: Charters): Koa.Middleware {
  return async (ctx, next) => {
    const viewer = ctx.state.viewer;
    // An outsider is not asked to accept the charter of a network they do not belong to.
    if (
      viewer &&
      !isOutsider(ctx as unknown as RucheContext, ctx.state.network) &&
      !OPEN.some((p) => ctx.path === p || ctx.path.startsWith(`${p}/`)) &&
      (await charters.mustAccept(viewer.id, ctx.state.network))
    ) {
      if (ctx.method === 'GET' && !ctx.path.startsWith('/api/') && !isUpgrade(ctx)) {
        ctx.redirect(`${ctx.state.basePath}/charter?next=${encodeURIComponent(ctx.originalUrl)}`);
        return;
      }
      throw new HttpError(403, 'core.charter.required', {}, 'charter_not_accepted');
    }
    await next();
  };
}
