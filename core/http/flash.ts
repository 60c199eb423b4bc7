/** One-shot messages across a redirect ("Welcome!"), kept in a signed cookie. */
import type Koa from 'koa';
import { setCookie } from './cookies';

const COOKIE = 'ruche_flash';
export interface Flash {
  type: 'success' | 'info' | 'error';
  /** i18n key */
  key: string;
  params?: Record<string, unknown>;
}

export function setFlash(ctx: Koa.Context, flash: Flash): void {
  setCookie(ctx, COOKIE, Buffer.from(JSON.stringify([flash])).toString('base64url'), { signed: true });
}

/** Reads and clears pending messages. */
export function takeFlash(ctx: Koa.Context): Flash[] {
  const raw = ctx.cookies.get(COOKIE, { signed: true });
  if (!raw) return [];
  setCookie(ctx, COOKIE, null, { signed: true });
  try {
    const list = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as unknown;
    return Array.isArray(list) ? (list as Flash[]).filter((f) => f && typeof f.key === 'string').slice(0, 5) : [];
  } catch {
    return [];
  }
}
