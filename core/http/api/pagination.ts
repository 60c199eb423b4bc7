/**
 * Keyset pagination of API lists: `?limit=` (1 to 100, 20 by default) and `?after=<cursor>`
 * (the sort key of the last item of the previous page). A list reads `limit + 1` rows after
 * the cursor, and `keysetPage` keeps `limit` of them and builds the `next` link (null on the
 * last page), whatever the number of rows before: no OFFSET. Items created between two
 * requests are neither repeated nor make another one be skipped.
 *
 * `apiPageQuery` takes an id (a list in id order); `apiCursorQuery` takes an opaque cursor,
 * for a list sorted by something else (a date, then the id): `keysetPage` writes it when
 * `cursorOf` answers the key's parts, and the route reads them back, parsed, in `after`.
 */
import { z } from 'zod';
import type { RucheContext } from '../context';
import { hrefWith } from '../params';

export const API_PAGE_MAX = 100;

/** The query of a paginated list; extend it with the list's own filters (`apiPageQuery.extend({...})`). */
export const apiPageQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(API_PAGE_MAX).default(20),
  after: z.coerce.number().int().positive().optional(),
});

/** The kinds of a cursor's parts: integers (a date in ms, an id) and text (a name). */
export type CursorPart = 'int' | 'text';
/** The sort key a cursor holds, typed by its parts. */
export type CursorKey<P extends readonly CursorPart[]> = { -readonly [I in keyof P]: P[I] extends 'int' ? number : string };

/**
 * The opaque cursor of a sort key. `sort` names the list's order in it, for a list with several
 * orders whose keys look alike (newest and largest are both two integers): `decodeCursor` given
 * another order then refuses it, where it would answer rows of the wrong order.
 */
export const encodeCursor = (key: readonly (number | string)[], sort?: string): string =>
  Buffer.from(JSON.stringify(sort === undefined ? key : [sort, ...key])).toString('base64url');

/** The sort key in a cursor of these `parts` (and of order `sort`, when named), or null for anything `encodeCursor` did not write for them. */
export function decodeCursor<const P extends readonly CursorPart[]>(cursor: string, parts: P, sort?: string): CursorKey<P> | null {
  if (cursor.length > 800 || !/^[A-Za-z0-9_-]+$/.test(cursor)) return null;
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString());
  } catch {
    return null;
  }
  if (sort !== undefined) key = Array.isArray(key) && key[0] === sort ? key.slice(1) : null;
  if (!Array.isArray(key) || key.length !== parts.length) return null;
  const fits = parts.every((p, i) => (p === 'int' ? Number.isSafeInteger(key[i]) : typeof key[i] === 'string' && key[i].length <= 400));
  return fits ? (key as CursorKey<P>) : null;
}

/** `?after=` as an opaque cursor of these `parts`; a wrong one is the 400 `invalid` naming `query.after`. */
export const apiCursor = <const P extends readonly CursorPart[]>(...parts: P) =>
  z
    .string()
    .describe('The `next` link’s cursor (opaque).')
    .transform((s, c): CursorKey<P> => {
      const key = decodeCursor(s, parts);
      if (key) return key;
      c.addIssue({ code: 'custom', message: 'not a cursor of this list' });
      return z.NEVER;
    });

/** The query of a list paged by an opaque cursor of these `parts` (extend it like `apiPageQuery`). */
export const apiCursorQuery = <const P extends readonly CursorPart[]>(...parts: P) =>
  z.strictObject({ limit: apiPageQuery.shape.limit, after: apiCursor(...parts).optional() });

/** A page of a list: its items and the link to the next page. */
export const apiPageOf = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), next: z.string().nullable() });

/** `rows` read with `limit + 1` as one page: `limit` items, and a `next` link when there were more. */
export function keysetPage<T>(
  ctx: RucheContext,
  rows: T[],
  limit: number,
  cursorOf: (row: T) => number | string | readonly (number | string)[],
): { items: T[]; next: string | null } {
  const items = rows.slice(0, limit);
  const more = rows.length > limit && items.length > 0;
  if (!more) return { items, next: null };
  return { items, next: nextLink(ctx, cursorOf(items[items.length - 1])) };
}

/** The `next` link to the items after `key` (an id, or a sort key made an opaque cursor); it drops a `?page=`. */
export const nextLink = (ctx: RucheContext, key: number | string | readonly (number | string)[]): string =>
  hrefWith(ctx, { page: null, after: typeof key === 'object' ? encodeCursor(key) : key });
