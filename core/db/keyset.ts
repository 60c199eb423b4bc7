/**
 * Keyset reads of a list in a compound order (a role, then a name, then an id): one page after
 * or before the sort key of a row, read with `limit + 1` rows and no OFFSET, so rows added or
 * removed before the cursor between two requests repeat or skip none. The same read serves the
 * pages' "Previous"/"Next" links (core/http/params.ts `cursorParams`, `cursorPager`) and the
 * API's `next` links (core/http/api/pagination.ts).
 *
 *   const page = await readKeyset(query, [{ sql: 'lower(u.display_name)' }, { sql: 'u.id' }], cursor, 20,
 *     (r) => [r.name_lower, r.id]);
 *
 * The last column must be unique (an id): it breaks the ties of the others.
 */
import type { Knex } from 'knex';
import type { CursorPart } from '../http/api/pagination';

/** One column of a list's order: an SQL expression written by the code (never user input) and its direction. */
export interface KeyColumn {
  sql: string;
  desc?: boolean;
}

/** A row's sort key: one value per column of the order. */
export type SortKey = readonly (number | string)[];

/** Where a page starts: after a key (the next page), before a key (the previous one), or at a numbered offset (older clients). */
export interface KeysetCursor {
  after?: SortKey;
  before?: SortKey;
  /** Rows to skip from the start (a numbered `?page=` of the API, kept for older clients); ignored with a key. */
  offset?: number;
}

/** A page of rows, with the keys to read the pages before and after it (null at either end). */
export interface KeysetPage<T> {
  items: T[];
  /** The key of the first row when rows come before it. */
  prev: SortKey | null;
  /** The key of the last row when rows come after it. */
  next: SortKey | null;
}

/**
 * A list's order declared once: its columns, the kinds of its cursor's parts (one a column:
 * what `cursorParams` and `apiCursorQuery` read back) and a row's sort key in them.
 *
 *   export const NEWEST = keysetOrder(['int'], [{ sql: 'e.id', desc: true }], (r: Row) => [Number(r.id)]);
 *   const page = await readPage(query, NEWEST, cursor, 20);     // routes: cursorParams(ctx, ...NEWEST.parts)
 */
export interface KeysetOrder<T, P extends readonly CursorPart[] = readonly CursorPart[]> {
  readonly columns: readonly KeyColumn[];
  readonly parts: P;
  readonly keyOf: (row: T) => SortKey;
}

/** The order of `columns` whose cursors have these `parts`, a row keyed by `keyOf`; a part missing or left over throws. */
export function keysetOrder<T, const P extends readonly CursorPart[]>(
  parts: P,
  columns: readonly KeyColumn[],
  keyOf: (row: T) => SortKey,
): KeysetOrder<T, P> {
  if (parts.length !== columns.length) throw new Error(`a cursor of ${parts.length} parts for an order of ${columns.length} columns`);
  return { columns, parts, keyOf };
}

/** Where a list query's page starts: after its `after` key, before its `before` key, else `offset` rows in (a numbered page). */
export function keysetCursor(q: { after?: SortKey; before?: SortKey }, offset?: number): KeysetCursor {
  if (q.after) return { after: q.after };
  if (q.before) return { before: q.before };
  return offset ? { offset } : {};
}

/** How a list query asks for a page: its size, and a key to start after or before, or a numbered page (older API clients). */
export interface PageRequest {
  page?: number;
  limit?: number;
  after?: SortKey;
  before?: SortKey;
}

/** The cursor and size of a page request: 1 to 100 rows (`size` without a limit), a numbered page up to the 10,000th. */
export function pageRequest(q: PageRequest, size: number): { cursor: KeysetCursor; limit: number } {
  const limit = Math.max(1, Math.min(q.limit ?? size, 100));
  const page = Math.max(1, Math.min(q.page ?? 1, 10_000));
  return { cursor: keysetCursor(q, (page - 1) * limit), limit };
}

/** `readKeyset` in a declared `order`: one page of `query` where `cursor` says, `run` reading the rows. */
export function readPage<T>(
  query: Knex.QueryBuilder,
  order: KeysetOrder<T>,
  cursor: KeysetCursor,
  limit: number,
  run?: (query: Knex.QueryBuilder) => Promise<T[]>,
): Promise<KeysetPage<T>> {
  return readKeyset(query, order.columns, cursor, limit, order.keyOf, run);
}

/** `query` narrowed to the rows strictly after `key` in `order` (`(a > ?) or (a = ? and b > ?) or ...`). */
export function whereAfterKey(query: Knex.QueryBuilder, order: readonly KeyColumn[], key: SortKey): Knex.QueryBuilder {
  if (key.length !== order.length) throw new Error(`a sort key of ${key.length} parts for an order of ${order.length} columns`);
  return query.where((any) => {
    order.forEach((column, i) => {
      any.orWhere((one) => {
        for (let j = 0; j < i; j++) one.whereRaw(`${order[j].sql} = ?`, [key[j]]);
        one.whereRaw(`${column.sql} ${column.desc ? '<' : '>'} ?`, [key[i]]);
      });
    });
  });
}

const reversed = (order: readonly KeyColumn[]): KeyColumn[] => order.map((c) => ({ sql: c.sql, desc: !c.desc }));

/**
 * One page of `query` (its filters and columns, no order) in `order`, where `cursor` says:
 * `limit + 1` rows read, `limit` kept; `keyOf` gives a row's sort key, one value per column.
 * `run` reads the rows (`(q) => readBuilt(db, q)` for a prepared read).
 */
export async function readKeyset<T>(
  query: Knex.QueryBuilder,
  order: readonly KeyColumn[],
  cursor: KeysetCursor,
  limit: number,
  keyOf: (row: T) => SortKey,
  run: (query: Knex.QueryBuilder) => Promise<T[]> = async (q) => (await q) as T[],
): Promise<KeysetPage<T>> {
  return keysetPageOf(await run(keysetQuery(query, order, cursor, limit)), cursor, limit, keyOf);
}

/**
 * The statement `readKeyset` runs, without running it: `query` ordered, past the cursor's key (or
 * offset), `limit + 1` rows; read its rows as `keysetPageOf` expects (for a text kept built).
 */
export function keysetQuery(query: Knex.QueryBuilder, order: readonly KeyColumn[], cursor: KeysetCursor, limit: number): Knex.QueryBuilder {
  const backwards = !cursor.after && !!cursor.before;
  const read = backwards ? reversed(order) : order;
  const q = query.clone();
  for (const c of read) q.orderByRaw(`${c.sql} ${c.desc ? 'desc' : 'asc'}`);
  const key = cursor.after ?? cursor.before;
  if (key) whereAfterKey(q, read, key);
  else if (cursor.offset) q.offset(cursor.offset);
  return q.limit(limit + 1);
}

/**
 * The page made of `rows`, read for `cursor` with `limit + 1` rows in reading order (backwards
 * before a key): for a statement written by hand (kept prepared) that reads a keyset itself.
 */
export function keysetPageOf<T>(rows: T[], cursor: KeysetCursor, limit: number, keyOf: (row: T) => SortKey): KeysetPage<T> {
  const backwards = !cursor.after && !!cursor.before;
  const key = cursor.after ?? cursor.before;
  const more = rows.length > limit;
  const items = rows.slice(0, limit);
  if (backwards) items.reverse();
  if (!items.length) return { items, prev: null, next: null };
  const first = keyOf(items[0]);
  const last = keyOf(items[items.length - 1]);
  // Read after a key (or past an offset), rows came before; read before a key, rows come after.
  if (backwards) return { items, prev: more ? first : null, next: last };
  return { items, prev: key || cursor.offset ? first : null, next: more ? last : null };
}
