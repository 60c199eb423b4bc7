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

const CURSOR_PARTS_MAX = 4;

/** The opaque cursor of a sort key (integers: a date in ms, an id...). */
export const encodeCursor = (key: readonly number[]): string => Buffer.from(key.join('.')).toString('base64url');

/** The sort key in a cursor, or null for anything `encodeCursor` did not write. */
export function decodeCursor(cursor: string): number[] | null {
  if (!/^[A-Za-z0-9_-]{1,80}$/.test(cursor)) return null;
  const text = Buffer.from(cursor, 'base64url').toString();
  if (!/^-?\d{1,16}(\.-?\d{1,16}){0,3}$/.test(text)) return null;
  const key = text.split('.').map(Number);
  return key.length <= CURSOR_PARTS_MAX && key.every(Number.isSafeInteger) ? key : null;
}

/** `?after=` as an opaque cursor of `parts` integers; a wrong one is the 400 `invalid` naming `query.after`. */
export const apiCursor = (parts: number) =>
  z
    .string()
    .describe('The `next` link’s cursor (opaque).')
    .transform((s, c) => {
      const key = decodeCursor(s);
      if (key?.length === parts) return key;
      c.addIssue({ code: 'custom', message: 'not a cursor of this list' });
      return z.NEVER;
    });

/** The query of a list paged by an opaque cursor of `parts` integers (extend it like `apiPageQuery`). */
export const apiCursorQuery = (parts: number) => z.strictObject({ limit: apiPageQuery.shape.limit, after: apiCursor(parts).optional() });

/** A page of a list: its items and the link to the next page. */
export const apiPageOf = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), next: z.string().nullable() });

/** `rows` read with `limit + 1` as one page: `limit` items, and a `next` link when there were more. */
export function keysetPage<T>(
  ctx: RucheContext,
  rows: T[],
  limit: number,
  cursorOf: (row: T) => number | string | readonly number[],
): { items: T[]; next: string | null } {
  const items = rows.slice(0, limit);
  const more = rows.length > limit && items.length > 0;
  if (!more) return { items, next: null };
  const key = cursorOf(items[items.length - 1]);
  return { items, next: hrefWith(ctx, { page: null, after: typeof key === 'object' ? encodeCursor(key) : key }) };
}
