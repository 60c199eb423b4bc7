/**
 * The "Previous"/"Next" links of a page listed by keyset (core/db/keyset.ts `readKeyset`):
 * `?after=` and `?before=` carry the opaque cursor of a row's sort key, so a page is read
 * without OFFSET and links keep working while rows are added before them. Plain links: no
 * JavaScript needed, no page numbers.
 *
 *   const cursor = cursorParams(ctx, 'text', 'int');            // a bad cursor is a 400
 *   const page = await readKeyset(query, ORDER, cursor, 20, keyOf);
 *   return { ..., pager: cursorPager(ctx, page) };
 */
import type { KeysetCursor, KeysetPage } from '../db/keyset';
import { HttpError } from '../errors';
import { decodeCursor, encodeCursor, type CursorKey, type CursorPart } from './api/pagination';
import type { RucheContext } from './context';
import { hrefWith, queryParam, type Pager } from './params';

/**
 * `?after=` / `?before=` of a page as sort keys of these `parts` (none on the first page). A
 * cursor this list did not write (edited, or from another list) is a 400 saying so.
 */
export function cursorParams<const P extends readonly CursorPart[]>(ctx: RucheContext, ...parts: P): { after?: CursorKey<P>; before?: CursorKey<P> } {
  const read = (name: 'after' | 'before'): CursorKey<P> | undefined => {
    const raw = queryParam(ctx, name);
    if (!raw) return undefined;
    const key = decodeCursor(raw, parts);
    if (!key) throw new HttpError(400, 'core.error.badCursor');
    return key;
  };
  const after = read('after');
  return after ? { after } : { before: read('before') };
}

/**
 * The links of a keyset page, keeping the page's other query parameters and dropping a
 * numbered `?page=`. A page reached by a cursor that lists nothing (its rows are gone) links
 * back to the first page.
 */
export function cursorPager(ctx: RucheContext, page: KeysetPage<unknown>, from: KeysetCursor): Pager {
  const to = (set: { after?: string; before?: string }) => hrefWith(ctx, { page: null, after: null, before: null, ...set });
  const lost = !page.items.length && !!(from.after || from.before);
  return {
    prev: page.prev ? to({ before: encodeCursor(page.prev) }) : lost ? to({}) : null,
    next: page.next ? to({ after: encodeCursor(page.next) }) : null,
  };
}
