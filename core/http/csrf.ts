/**
 * CSRF protection for every state-changing request made by a browser. A random value in an
 * httpOnly cookie, and a token that is its HMAC under the install's secret, carried by forms
 * (`_csrf` field, see the `csrf` helper) or by fetch (`X-CSRF-Token` header). Requests that
 * carry no cookie at all and authenticate with `Authorization: Bearer` (API tokens) are exempt,
 * and so are JSON API requests (`/api/`) without a session cookie: with no session to ride on
 * there is nothing to forge, and the API answers them itself (a 401 problem without a token).
 * An API request WITH the session cookie still needs the token, as a form does.
 *
 * Pages carry the token masked with a fresh random pad per response (`pad.xored`), so a
 * compressed page never repeats the same secret bytes from one response to the next: guessing
 * it from compressed sizes (BREACH) finds nothing to converge on. Both forms are accepted.
 */
import crypto from 'node:crypto';
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

export function csrf(
  secret: string,
  limits: BodyLimits,
  exempt: (ctx: Koa.Context) => boolean = () => false,
  sessionCookie?: string,
): Koa.Middleware {
  return async (ctx, next) => {
    const checked = !SAFE.has(ctx.method) && !isBearerOnly(ctx) && !isSessionlessApi(ctx, sessionCookie) && !exempt(ctx);
    let seed = ctx.cookies.get(CSRF_COOKIE);
    if (!seed || !/^[A-Za-z0-9_-]{20,100}$/.test(seed)) {
      seed = randomToken();
      setCookie(ctx, CSRF_COOKIE, seed);
      if (checked) throw new HttpError(403, 'core.error.csrf');
    }
    const expected = hmac(secret, seed);
    ctx.state.csrfToken = maskToken(expected);
    if (checked) {
      let given = ctx.get('x-csrf-token');
      if (!given) {
        const body = await ensureBody(ctx, limits);
        given = typeof body._csrf === 'string' ? body._csrf : '';
      }
      if (!given || !tokenMatches(given, expected)) throw new HttpError(403, 'core.error.csrf');
    }
    await next();
  };
}

const xor = (a: Buffer, b: Buffer): Buffer => Buffer.from(a.map((byte, i) => byte ^ b[i]));

/** The token as a page carries it: a random pad and the token XOR the pad, both base64url. */
export function maskToken(token: string): string {
  const bytes = Buffer.from(token);
  const pad = crypto.randomBytes(bytes.length);
  return `${pad.toString('base64url')}.${xor(bytes, pad).toString('base64url')}`;
}

/** Whether a submitted token, masked or not, is the expected one (constant time). */
export function tokenMatches(given: string, expected: string): boolean {
  const parts = given.split('.');
  if (parts.length !== 2) return safeEqual(given, expected);
  const pad = Buffer.from(parts[0], 'base64url');
  const masked = Buffer.from(parts[1], 'base64url');
  if (pad.length !== masked.length) return false;
  return safeEqual(xor(masked, pad).toString(), expected);
}

/** An API request (the network prefix already stripped) that carries no session cookie. */
function isSessionlessApi(ctx: Koa.Context, sessionCookie: string | undefined): boolean {
  return !!sessionCookie && ctx.path.startsWith('/api/') && !ctx.cookies.get(sessionCookie);
}

function isBearerOnly(ctx: Koa.Context): boolean {
  return /^Bearer\s+\S+/i.test(ctx.get('authorization')) && !ctx.get('cookie');
}
