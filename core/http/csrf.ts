/**
 * CSRF protection for every state-changing request made by a browser. A random value in an
 * httpOnly cookie, and a token that is its HMAC under the install's secret, carried by forms
 * (`_csrf` field, see the `csrf` helper) or by fetch (`X-CSRF-Token` header). Requests that
 * carry no cookie at all and authenticate with `Authorization: Bearer` (API tokens) are exempt.
 */
import type Koa from 'koa';
import { HttpError } from '../errors';
import { hmac, randomToken, safeEqual } from '../auth/tokens';
import { ensureBody, type BodyLimits } from './body';
import { setCookie } from './cookies';

export const CSRF_COOKIE = 'ruche_csrf';
const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

/** `method path` patterns (`:param` segments) of routes that declared `csrf: false`. */
export function csrfExemptions(routes: { method: string; path: string }[]): (ctx: Koa.Context) => boolean {
  const patterns = routes.map((r) => ({
    method: r.method,
    re: new RegExp(`^${r.path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/:\w+/g, '[^/]+')}/?$`),
  }));
  return (ctx) => patterns.some((p) => p.method === ctx.method && p.re.test(ctx.path));
}

export function csrf(secret: string, limits: BodyLimits, exempt: (ctx: Koa.Context) => boolean = () => false): Koa.Middleware {
  return async (ctx, next) => {
    const checked = !SAFE.has(ctx.method) && !isBearerOnly(ctx) && !exempt(ctx);
    let seed = ctx.cookies.get(CSRF_COOKIE);
    if (!seed || !/^[A-Za-z0-9_-]{20,100}$/.test(seed)) {
      seed = randomToken();
      setCookie(ctx, CSRF_COOKIE, seed);
      if (checked) throw new HttpError(403, 'core.error.csrf');
    }
    const expected = hmac(secret, seed);
    ctx.state.csrfToken = expected;
    if (checked) {
      let given = ctx.get('x-csrf-token');
      if (!given) {
        const body = await ensureBody(ctx, limits);
        given = typeof body._csrf === 'string' ? body._csrf : '';
      }
      if (!given || !safeEqual(given, expected)) throw new HttpError(403, 'core.error.csrf');
    }
    await next();
  };
}

function isBearerOnly(ctx: Koa.Context): boolean {
  return /^Bearer\s+\S+/i.test(ctx.get('authorization')) && !ctx.get('cookie');
}
