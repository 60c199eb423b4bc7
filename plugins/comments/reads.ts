/**
 * How comments are read for a reader: a feed's latest comments under each card, and one page of
 * an entity's thread. Each is one statement that applies the rule of withheld comments itself
 * (core `pieceSeen`: their author's and the moderators' only), so a page is full, its pager's
 * total and the entity's count are what the reader may see, and no hidden text is read for
 * anyone else (a hidden top-level comment whose replies the reader sees keeps only its place).
 */
import type { Knex } from 'knex';
import {
  idList,
  keysetPageOf,
  pieceSeen,
  pieceSeenBindings,
  preparedRead,
  withheldSeenCount,
  type KeysetCursor,
  type PieceReader,
  type SortKey,
} from '../../core';
import { authorsOf, readerSees, toComment, type CommentAuthor, type CommentRow } from './rows';

/** The entity's live withheld comments the reader sees, which its counter leaves out (core `withheldSeenCount`, migration 004's partial index). */
const WITHHELD_SEEN = (entity: string): string => withheldSeenCount('comments', 'entity_id', entity);

export const PAGE_SIZE = 20;
export const FEED_LATEST = 2;

/** The rows as the reader may see them: a withheld one they do not see (a hidden top-level comment's place) loses its text. */
const rowsFor = (reader: PieceReader, rows: Record<string, unknown>[]): CommentRow[] =>
  rows.map(toComment).map((c) => (readerSees(reader, c) ? c : { ...c, body: '' }));

/** The entity's count for the reader: its counter, and the withheld comments they see. */
const countOf = (r: Record<string, unknown>): number | null =>
  r.entity_count === null && !Number(r.withheld_seen) ? null : Number(r.entity_count ?? 0) + Number(r.withheld_seen ?? 0);

/** Live comments per entity that the reader sees: the counters, and the withheld ones they see. */
export async function countsOf(db: Knex, ids: number[], reader: PieceReader): Promise<Map<number, number>> {
  const [counters, withheld] = await Promise.all([
    db('comment_counts').whereIn('entity_id', ids).select('entity_id', 'n') as Promise<{ entity_id: number; n: number }[]>,
    reader.id || reader.moderates
      ? (db('comments as w')
          .whereIn('w.entity_id', ids)
          .whereRaw('w.withheld')
          .whereNull('w.deleted_at')
          .whereRaw('(w.author_id = ? or ? = 1)', pieceSeenBindings(reader))
          .groupBy('w.entity_id')
          .select('w.entity_id', db.raw('count(*) as n')) as Promise<{ entity_id: number; n: number | string }[]>)
      : [],
  ]);
  const out = new Map<number, number>();
  for (const r of [...counters, ...withheld]) out.set(Number(r.entity_id), (out.get(Number(r.entity_id)) ?? 0) + Number(r.n));
  return out;
}

export interface FeedComments {
  /** The latest live comments the reader sees of every entity, `FEED_LATEST` at most each, oldest first. */
  top: CommentRow[];
  authors: Map<number, CommentAuthor>;
  /** Live comments per entity that the reader sees; absent: none. */
  counts: Map<number, number>;
}

/**
 * A feed's comments in one statement: the latest live comments of every entity that the reader
 * sees (a withheld one for its author and the moderators, marked by the panel) with their author
 * and the entity's count. An entity without such a comment has none to count.
 * Each entity's latest are read from the end of its `(entity_id, id)` index and stop at
 * `FEED_LATEST` (a correlated list on SQLite, a lateral join on PostgreSQL): ranking every
 * comment of the listed entities read all 723 of one popular post to keep two (issue 18:
 * 1.04 -> 0.05 ms of SQLite CPU on the bench's home feed).
 */
const FEED_COLUMNS = `c.*, cc.n as entity_count, ${WITHHELD_SEEN('c.entity_id')} as withheld_seen,
  u.username as author_username, u.display_name as author_name, u.photo_key as author_photo_key, u.kind as author_kind`;
const FEED_JOINS = `left join comment_counts as cc on cc.entity_id = c.entity_id
left join users as u on u.id = c.author_id
order by c.id asc`;
const FEED = preparedRead<Record<string, unknown>>({
  sqlite: `select ${FEED_COLUMNS}
from json_each(?) as j
join comments as c on c.id in (select c2.id from comments as c2 where c2.entity_id = j.value and c2.deleted_at is null and ${pieceSeen('c2')} order by c2.id desc limit ?)
${FEED_JOINS}`,
  postgres: `select ${FEED_COLUMNS}
from json_array_elements_text(?::json) as j(id)
cross join lateral (select * from comments as c2 where c2.entity_id = j.id::bigint and c2.deleted_at is null and ${pieceSeen('c2')} order by c2.id desc limit ?) as c
${FEED_JOINS}`,
});

export async function feedOf(db: Knex, ids: number[], reader: PieceReader): Promise<FeedComments> {
  const seen = pieceSeenBindings(reader);
  const rows = await FEED.all(db, [...seen, idList(ids), ...seen, FEED_LATEST]);
  const out: FeedComments = { top: rowsFor(reader, rows), authors: authorsOf(rows), counts: new Map() };
  for (const r of rows) out.counts.set(Number(r.entity_id), countOf(r) ?? 0);
  return out;
}

/** One page of a thread as the panels and the API show it, for one reader. */
export interface ThreadPage {
  top: CommentRow[];
  /** The live replies the reader sees of the top-level comments on the page. */
  replies: CommentRow[];
  authors: Map<number, CommentAuthor>;
  /** Top-level comments shown per entity (the API's total). */
  totals: Map<number, number>;
  /** Live comments per entity that the reader sees. */
  counts: Map<number, number>;
  /** The keys of the pages before and after (one entity's page; null at either end). */
  prev: SortKey | null;
  next: SortKey | null;
}

/** A thread's order is its top-level comments oldest first, by id (`threadRead`); the kinds of its cursor's parts. */
export const THREAD_CURSOR = ['int'] as const;

/**
 * Whether top-level comment `c` has a live reply the reader sees (two placeholders,
 * `pieceSeenBindings`). `limit 1 offset 0` keeps it a lookup by `parent_id` for each comment
 * that needs it: without an offset, PostgreSQL may run an `exists` under an `or` as a hashed
 * subplan that reads every comment of the site (a thread with one deleted comment: 353 ms over
 * 203,500 comments, against 1.3 ms; issue 18). SQLite's plan is the same either way.
 */
const LIVE_REPLY_SEEN = `exists (select 1 from comments as r0 where r0.parent_id = c.id and r0.deleted_at is null and ${pieceSeen('r0')} limit 1 offset 0)`;

/**
 * Top-level comments of entity `?` shown to the reader: live ones they see, and the place of a
 * deleted or hidden one that still has live replies they see. Five placeholders: the entity,
 * then `pieceSeenBindings` twice.
 */
const SHOWN_TOP = `c.entity_id = ? and c.parent_id is null
  and ((c.deleted_at is null and ${pieceSeen('c')})
    or ${LIVE_REPLY_SEEN})`;

/** The `SHOWN_TOP` condition through knex, for several entities. */
function shownTopLevel(db: Knex, ids: number[], reader: PieceReader): Knex.QueryBuilder {
  const seen = pieceSeenBindings(reader);
  return db('comments as c')
    .whereIn('c.entity_id', ids)
    .whereNull('c.parent_id')
    .where((w) => w.where((live) => live.whereNull('c.deleted_at').whereRaw(pieceSeen('c'), seen)).orWhereRaw(LIVE_REPLY_SEEN, seen));
}

/**
 * One entity's page of its thread in one statement, written once per way of reading and kept
 * prepared: the page's top-level comments (`page_top`, by id: the first page, after or before an
 * id, or past an offset for older API clients; its index walks them in order and stops at the
 * page), their live replies, every author, the number of top-level comments shown and the
 * entity's count, all as the reader may see them. The counts are a CTE of their own (`totals`),
 * counted once: as columns of the select they were counted in each arm of the union (3,512
 * top-level comments of a bench blog post counted twice, 1.9 -> 1.3 ms). The count of top-level
 * comments reads the thread's index alone, which holds every column `SHOWN_TOP` tests (migration
 * `005_comments_thread_index`).
 */
const threadRead = (bound: string, dir: 'asc' | 'desc', offset = '') =>
  preparedRead<Record<string, unknown>>(`with page_top as (
  select c.* from comments as c where ${SHOWN_TOP}${bound} order by c.id ${dir} limit ?${offset}),
totals as materialized (select
  (select count(*) from comments as c where ${SHOWN_TOP}) as top_total,
  (select cc.n from comment_counts as cc where cc.entity_id = ?) as entity_count,
  ${WITHHELD_SEEN('?')} as withheld_seen)
select x.*, u.username as author_username, u.display_name as author_name, u.photo_key as author_photo_key, u.kind as author_kind,
  t.top_total, t.entity_count, t.withheld_seen
from (select * from page_top
  union all select r.* from comments as r where r.parent_id in (select id from page_top) and r.deleted_at is null and ${pieceSeen('r')}) as x
cross join totals as t
left join users as u on u.id = x.author_id
order by x.id ${dir}`);
const THREAD_FIRST = threadRead('', 'asc');
const THREAD_AFTER = threadRead(' and c.id > ?', 'asc');
const THREAD_BEFORE = threadRead(' and c.id < ?', 'desc');
const THREAD_AT = threadRead('', 'asc', ' offset ?');

export async function threadOf(db: Knex, entityId: number, cursor: KeysetCursor, reader: PieceReader): Promise<ThreadPage> {
  // The page's `limit + 1` top-level comments come with their replies and authors in one read,
  // in the keyset's reading order (backwards before an id); the page keeps its top-level rows,
  // and the replies of those.
  const key = cursor.after ?? cursor.before;
  const seen = pieceSeenBindings(reader);
  const shown = [entityId, ...seen, ...seen];
  const tail = [...shown, entityId, entityId, ...seen, ...seen];
  const rows = key
    ? await (cursor.after ? THREAD_AFTER : THREAD_BEFORE).all(db, [...shown, Number(key[0]), PAGE_SIZE + 1, ...tail])
    : cursor.offset
      ? await THREAD_AT.all(db, [...shown, PAGE_SIZE + 1, cursor.offset, ...tail])
      : await THREAD_FIRST.all(db, [...shown, PAGE_SIZE + 1, ...tail]);
  const page = keysetPageOf(
    rows.filter((r) => r.parent_id === null),
    cursor,
    PAGE_SIZE,
    (r) => [Number(r.id)],
  );
  if (!rows.length) {
    // A page past the end: nothing to show, but the API still needs the totals.
    const [counts, totals] = await Promise.all([countsOf(db, [entityId], reader), topTotals(db, [entityId], reader)]);
    return { top: [], replies: [], authors: new Map(), totals, counts, prev: page.prev, next: page.next };
  }
  const top = rowsFor(reader, page.items);
  const kept = new Set(top.map((c) => c.id));
  const count = countOf(rows[0]);
  return {
    top,
    replies: rowsFor(
      reader,
      rows.filter((r) => r.parent_id !== null && kept.has(Number(r.parent_id))),
    ).sort((a, b) => a.id - b.id),
    authors: authorsOf(rows),
    totals: new Map([[entityId, Number(rows[0].top_total)]]),
    counts: count === null ? new Map() : new Map([[entityId, count]]),
    prev: page.prev,
    next: page.next,
  };
}

async function topTotals(db: Knex, ids: number[], reader: PieceReader): Promise<Map<number, number>> {
  const rows = (await shownTopLevel(db, ids, reader).groupBy('c.entity_id').select('c.entity_id', db.raw('count(*) as n'))) as {
    entity_id: number;
    n: number | string;
  }[];
  return new Map(rows.map((r) => [Number(r.entity_id), Number(r.n)]));
}

/** The first page of each of several entities' threads, each one's page by rank. */
export async function firstPagesOf(db: Knex, ids: number[], reader: PieceReader): Promise<ThreadPage> {
  const ranked = shownTopLevel(db, ids, reader).select('c.*', db.raw('row_number() over (partition by c.entity_id order by c.id asc) as rn')).as('x');
  const [topRows, totals, counts] = await Promise.all([
    db.select('x.*').from(ranked).where('x.rn', '<=', PAGE_SIZE).orderBy('x.id', 'asc') as Promise<Record<string, unknown>[]>,
    topTotals(db, ids, reader),
    countsOf(db, ids, reader),
  ]);
  const top = rowsFor(reader, topRows);
  const replies = top.length
    ? rowsFor(
        reader,
        (await db('comments as r')
          .whereIn(
            'r.parent_id',
            top.map((c) => c.id),
          )
          .whereNull('r.deleted_at')
          .whereRaw(pieceSeen('r'), pieceSeenBindings(reader))
          .orderBy('r.id', 'asc')
          .select('r.*')) as Record<string, unknown>[],
      )
    : [];
  const people = (await db('users')
    .whereIn('id', [...new Set([...top, ...replies].map((c) => c.author_id))])
    .select(
      'id as author_id',
      'username as author_username',
      'display_name as author_name',
      'photo_key as author_photo_key',
      'kind as author_kind',
    )) as Record<string, unknown>[];
  return { top, replies, authors: authorsOf(people), totals, counts, prev: null, next: null };
}
