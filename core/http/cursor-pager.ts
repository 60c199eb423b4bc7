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
 * The query parameters of a list's cursors: `after`/`before` (and the old numbered `page` it
 * drops) unless the list shares its page with others, as the comments under a post do
 * (`comments_after`, `comments_before`, `comments_page`).
 */
export interface CursorNames {
  after: string;
  before: string;
  page: string;
}

const PLAIN: CursorNames = { after: 'after', before: 'before', page: 'page' };

/**
 * `?after=` / `?before=` of a page as sort keys of these `parts` (none on the first page). A
 * cursor this list did not write (edited, or from another list) is a 400 saying so.
 */
export function cursorParams<const P extends readonly CursorPart[]>(ctx: RucheContext, ...parts: P): { after?: CursorKey<P>; before?: CursorKey<P> } {
  return namedCursorParams(ctx, PLAIN, ...parts);
}

/**
 * `cursorParams` of a list with several orders (newest, largest…): its cursors name the order
 * `sort` they were written in (`cursorPager`'s `sort`), and a cursor of another order is the
 * same 400, never a page of rows read in the wrong order.
 */
export function sortedCursorParams<const P extends readonly CursorPart[]>(
  ctx: RucheContext,
  sort: string,
  ...parts: P
): { after?: CursorKey<P>; before?: CursorKey<P> } {
  return readCursors(ctx, PLAIN, parts, sort);
}

/** `cursorParams` read from the parameters `names` (a list sharing its page with others). */
export function namedCursorParams<const P extends readonly CursorPart[]>(
  ctx: RucheContext,
  names: CursorNames,
  ...parts: P
): { after?: CursorKey<P>; before?: CursorKey<P> } {
  return readCursors(ctx, names, parts);
}

function readCursors<const P extends readonly CursorPart[]>(
  ctx: RucheContext,
  names: CursorNames,
  parts: P,
  sort?: string,
): { after?: CursorKey<P>; before?: CursorKey<P> } {
  const read = (name: string): CursorKey<P> | undefined => {
    const raw = queryParam(ctx, name);
    if (!raw) return undefined;
    const key = decodeCursor(raw, parts, sort);
    if (!key) throw new HttpError(400, 'core.error.badCursor');
    return key;
  };
  const after = read(names.after);
  return after ? { after } : { before: read(names.before) };
}

/**
 * The links of a keyset page, keeping the page's other query parameters and dropping a
 * numbered `?page=` (and the parameters of `drop`). A page reached by a cursor that lists
 * nothing (its rows are gone) links back to the first page. `names` are the cursors'
 * parameters (`cursorParams`' by default); `sort` names the order in the cursors (read back
 * by `sortedCursorParams`).
 */
export function cursorPager(
  ctx: RucheContext,
  page: KeysetPage<unknown>,
  from: KeysetCursor,
  opts: { names?: CursorNames; drop?: readonly string[]; sort?: string } = {},
): Pager {
  const names = opts.names ?? PLAIN;
  const cleared: Record<string, null> = { [names.page]: null, [names.after]: null, [names.before]: null };
  for (const name of opts.drop ?? []) cleared[name] = null;
  const to = (set: Record<string, string>) => hrefWith(ctx, { ...cleared, ...set });
  const lost = !page.items.length && !!(from.after || from.before);
  return {
    prev: page.prev ? to({ [names.before]: encodeCursor(page.prev, opts.sort) }) : lost ? to({}) : null,
    next: page.next ? to({ [names.after]: encodeCursor(page.next, opts.sort) }) : null,
  };
}
