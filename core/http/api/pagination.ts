/**
 * Keyset pagination of API lists: `?limit=` (1 to 100, 20 by default) and `?after=<cursor>`
 * (the id of the last item of the previous page). A list reads `limit + 1` rows after the
 * cursor, and `keysetPage` keeps `limit` of them and builds the `next` link (null on the last
 * page), whatever the number of rows before: no OFFSET.
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

/** A page of a list: its items and the link to the next page. */
export const apiPageOf = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), next: z.string().nullable() });

/** `rows` read with `limit + 1` as one page: `limit` items, and a `next` link when there were more. */
export function keysetPage<T>(
  ctx: RucheContext,
  rows: T[],
  limit: number,
  cursorOf: (row: T) => number | string,
): { items: T[]; next: string | null } {
  const items = rows.slice(0, limit);
  const more = rows.length > limit && items.length > 0;
  return { items, next: more ? hrefWith(ctx, { after: cursorOf(items[items.length - 1]) }) : null };
}
