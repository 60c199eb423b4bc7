/**
 * The JSON API's conventions, applied by the router (core/http/router.ts) to every route that
 * declares `api` in its manifest, so no handler repeats them:
 *
 *   - before the target gate: the rate limit of the caller (rate-limit.ts) and the token
 *     scope (a `read` token cannot POST; `admin` routes need an `admin` token). Requests
 *     authenticated by a token get both on every route, pages included;
 *   - before the handler: the declared `params`, `query` and `body` schemas (validation.ts);
 *   - around the handler: `Idempotency-Key` on POST (idempotency.ts);
 *   - after it: `ETag` / `If-None-Match` on GET (etag.ts).
 *
 * Errors are the error boundary's JSON (`{ error: { status, code, message, requestId, fields? } }`).
 */
import { scopeCovers, type TokenScope } from '../../auth/api-tokens';
import { HttpError } from '../../errors';
import type { RouteDef, RouteResult } from '../../plugins/manifest';
import { clientAddress } from '../client-address';
import type { RucheContext } from '../context';
import { sendWithEtag } from './etag';
import { idempotent } from './idempotency';
import { applyRateLimit } from './rate-limit';
import { validateApiInput } from './validation';
import { requireBotNetwork } from '../../members/bot-scope';

/** The token scope a route needs: its declared `api.scope`, else `read` for GET, `write` otherwise. */
export const scopeNeeded = (def: RouteDef): TokenScope => def.api?.scope ?? (def.method === 'GET' ? 'read' : 'write');

/** Who a rate limit counts: the token, else the member, else the address. */
function callerOf(ctx: RucheContext): string {
  if (ctx.state.apiToken) return `token:${ctx.state.apiToken.id}`;
  if (ctx.state.viewer) return `member:${ctx.state.viewer.id}`;
  return `address:${clientAddress(ctx)}`;
}

/** The rate limit and the token scope, before the route's target gate. */
export async function apiGate(ctx: RucheContext, def: RouteDef): Promise<void> {
  const token = ctx.state.apiToken;
  if (!token && !def.api) return;
  await applyRateLimit(ctx, ctx.ruche.apiRateLimit, callerOf(ctx));
  const needed = scopeNeeded(def);
  if (token && !scopeCovers(token.scope, needed)) throw new HttpError(403, 'core.api.insufficientScope', { scope: needed }, 'insufficient_scope');
  requireBotNetwork(ctx.state.viewer, ctx.state.network.id);
}

/** Runs an API route's handler between validation, idempotency and the ETag; returns a result still to send, if any. */
export async function runApiRoute(ctx: RucheContext, def: RouteDef): Promise<RouteResult> {
  validateApiInput(ctx, def.api!);
  const run = async () => def.handler(ctx);
  const result = def.method === 'POST' ? await idempotent(ctx, run) : await run();
  if (def.method === 'GET' && result && 'json' in result) {
    sendWithEtag(ctx, result.json, result.status ?? 200);
    return undefined;
  }
  return result;
}
