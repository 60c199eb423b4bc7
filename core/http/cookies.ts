/**
 * Every cookie Ruche sets: httpOnly, SameSite=Lax, and Secure when the site URL is https
 * and the request arrived over https (directly, or through a trusted proxy). A site set to
 * https but reached over plain http without `trustProxy` still works (the cookie is not
 * marked Secure) instead of failing every request; `ruche doctor` warns about it.
 */
import type Koa from 'koa';
import type { RucheContext } from './context';

export interface CookieOptions {
  maxAge?: number;
  signed?: boolean;
}

export function setCookie(koaCtx: Koa.Context, name: string, value: string | null, options: CookieOptions = {}): void {
  const ctx = koaCtx as unknown as RucheContext;
  const secure = ctx.ruche.config.siteUrl.startsWith('https:') && ctx.secure;
  ctx.cookies.set(name, value, { httpOnly: true, sameSite: 'lax', secure, overwrite: true, ...options });
}
