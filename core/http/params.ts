/**
 * One helper per job for route handlers: the request's ids, query strings, tags and page numbers,
 * previous/next links, the safe `next` redirect of forms, the reader check of public pages,
 * and LIKE patterns. Plugins use these instead of writing their own.
 */
import type { Viewer } from '../auth/viewer';
import { normaliseTag } from '../content/tags';
import { HttpError } from '../errors';
import type { FlashMessage, RouteResult } from '../plugins/manifest';
import { field } from './body';
import type { RucheContext } from './context';

/** The highest page number a list accepts; a larger one reads as page 1. */
export const MAX_PAGE = 1_000_000;

/** A decimal id of 1 to 15 digits as a number, or 0 (an id no row has) for anything else. */
export function idOf(raw: unknown): number {
  return typeof raw === 'string' && /^\d{1,15}$/.test(raw) ? Number(raw) : 0;
}

/** The route parameter `name` (`:id` by default) as an id, or 0 when it is not one. */
export function idParam(ctx: RucheContext, name = 'id'): number {
  return idOf((ctx.params as Record<string, unknown> | undefined)?.[name]);
}

/** A query-string value: the first when repeated, '' when absent. */
export function queryParam(ctx: RucheContext, name: string): string {
  const v = (ctx.query as Record<string, unknown>)[name];
  return typeof v === 'string' ? v : Array.isArray(v) && typeof v[0] === 'string' ? v[0] : '';
}

/** `?page=` (or `?<name>=`) as a page number from 1 to MAX_PAGE; anything else is page 1. */
export function pageParam(ctx: RucheContext, name = 'page'): number {
  const raw = queryParam(ctx, name);
  const n = /^\d{1,9}$/.test(raw) ? Number(raw) : 0;
  return n > 0 && n <= MAX_PAGE ? n : 1;
}

/** `?before=<id>`, the keyset cursor of "older" links, when it is a positive id. */
export function beforeParam(ctx: RucheContext, name = 'before'): number | undefined {
  return idOf(queryParam(ctx, name)) || undefined;
}

/**
 * `?tag=` of a list filtered by a tag: undefined when absent, else the tag normalised, or a 404
 * with `notFoundKey` when it cannot be a tag.
 */
export function tagQuery(ctx: RucheContext, notFoundKey: string): string | undefined {
  const raw = queryParam(ctx, 'tag');
  if (!raw) return undefined;
  const tag = normaliseTag(raw);
  if (!tag) throw new HttpError(404, notFoundKey);
  return tag;
}

/**
 * This page's address in its network (`/n/<slug>` prefix included) with some query
 * parameters set (or removed when `null`) and the others kept.
 */
export function hrefWith(ctx: RucheContext, set: Record<string, string | number | null>): string {
  const params = new URLSearchParams(ctx.querystring);
  for (const [k, v] of Object.entries(set)) {
    if (v === null) params.delete(k);
    else params.set(k, String(v));
  }
  const qs = params.toString();
  return `${ctx.state.basePath}${ctx.path}${qs ? `?${qs}` : ''}`;
}

/** Previous/next links of a numbered list, keeping the other query parameters. */
export interface Pager {
  prev: string | null;
  next: string | null;
}

/**
 * The pager of page `page`: a next link when `more` (or when `page < pages`). `drop` names
 * query parameters that must not follow to another page.
 */
export function pager(ctx: RucheContext, page: number, more: boolean | { pages: number }, drop: readonly string[] = []): Pager {
  const hasMore = typeof more === 'boolean' ? more : page < more.pages;
  const href = (n: number): string => hrefWith(ctx, { page: n, ...Object.fromEntries(drop.map((k) => [k, null])) });
  return { prev: page > 1 ? href(page - 1) : null, next: hasMore ? href(page + 1) : null };
}

/** This page's address with its network prefix, for forms' `next` fields. */
export function here(ctx: RucheContext): string {
  return `${ctx.state.basePath}${ctx.path}`;
}

const MAX_NEXT = 500;

/** Whether `next` is a same-origin path inside the network at `basePath` (see safeNext). */
export function isSafeNext(next: unknown, basePath: string): next is string {
  if (typeof next !== 'string' || next.length > MAX_NEXT || !rootedPath(next) || /[\\\s]/.test(next) || hasControl(next)) return false;
  // The path part once percent-decoded (`/%2F%2Fevil`, `/%5Cevil`, twice encoded...) passes the same checks.
  let path = next.split(/[?#]/)[0];
  for (let i = 0; i < 3; i++) {
    let once: string;
    try {
      once = decodeURIComponent(path);
    } catch {
      return false;
    }
    if (once === path) break;
    path = once;
    if (!rootedPath(path) || path.includes('\\') || hasControl(path)) return false;
  }
  if (path.split('/').some((segment) => segment === '.' || segment === '..')) return false;
  const origin = 'http://ruche.invalid';
  if (new URL(next, origin).origin !== origin) return false;
  if (basePath) return path === basePath || path.startsWith(`${basePath}/`);
  return !/^\/n(\/|$)/.test(path);
}

/** Whether `s` holds a control character (U+0000–U+001F, U+007F), which browsers drop or reject. */
const hasControl = (s: string): boolean => [...s].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f);

/** `/` then anything but a second `/` or a `\`: a path from this origin's root. */
const rootedPath = (s: string): boolean => /^\/(?![/\\])/.test(s);

/**
 * Where a form goes back to: its `next` (body field, else query string) when it is a path on
 * this site inside the request's network — no `//host`, no backslash, no scheme, no encoded
 * variant of these, no other network's `/n/<slug>` — and not one of `avoid` (paths whose page
 * is gone, such as a deleted post's); otherwise `fallback` (the network's home by default).
 */
export function safeNext(ctx: RucheContext, fallback?: string, options: { value?: unknown; avoid?: readonly string[] } = {}): string {
  const next = 'value' in options ? options.value : field(ctx, 'next') || queryParam(ctx, 'next');
  const ok = isSafeNext(next, ctx.state.basePath ?? '') && !(options.avoid ?? []).includes(next.split(/[?#]/)[0]);
  return ok ? next : (fallback ?? `${ctx.state.basePath}/`);
}

/** A redirect to safeNext(ctx, fallback), with a message for the page it leads to: what form handlers return. */
export function back(ctx: RucheContext, fallback: string, flash?: FlashMessage): RouteResult {
  return { redirect: safeNext(ctx, fallback), ...(flash ? { flash } : {}) };
}

/** The viewer when signed in and active (a suspended or pending account counts as a guest). */
export function activeViewer(ctx: RucheContext): Viewer | null {
  const v = ctx.state.viewer;
  return v && v.status === 'active' ? v : null;
}

/** The signed-in, active member acting (a form or API write); anyone else gets 401, whatever the grants say. */
export function requireMember(ctx: RucheContext): Viewer {
  const v = activeViewer(ctx);
  if (!v) throw new HttpError(401);
  return v;
}

/**
 * The check of reading pages, which are public routes: an active member reads; anyone else
 * (a guest, a suspended or pending account) reads only where the network is open to guests,
 * else gets 401 (sign in). Outsiders (members of none of this network) are answered 403 by
 * the outsider gate before any handler runs.
 */
export function requireReader(ctx: RucheContext): void {
  if (!activeViewer(ctx) && !ctx.state.network.allowGuests) throw new HttpError(401);
}

/** `text` with LIKE's wildcards (`%`, `_`) and the escape character `\` escaped: pair with LIKE_ESCAPE. */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** The clause ending every LIKE built from escapeLike, the same on SQLite and PostgreSQL. */
export const LIKE_ESCAPE = "escape '\\'";

/** `%text%`, lower-cased and escaped: for `lower(column) like ? escape '\'`. */
export function likeContains(text: string): string {
  return `%${escapeLike(text.toLowerCase())}%`;
}

/** `text%`, lower-cased and escaped: for prefix searches. */
export function likePrefix(text: string): string {
  return `${escapeLike(text.toLowerCase())}%`;
}
