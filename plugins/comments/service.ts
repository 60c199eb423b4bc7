/**
 * Comments: one level of replies under any commentable entity. Every read and write first
 * checks the entity with the access model (a member who cannot see it gets a 404, a guest
 * a 401), so a comment is seen by exactly those who see its entity. Writes and the
 * denormalised `comment_counts` row change in one transaction; events follow the commit.
 */
import type { Knex } from 'knex';
import {
  attachmentsDeleted,
  BOT_KIND,
  contentScreened,
  HttpError,
  idList,
  preparedRead,
  keysetPageOf,
  rowAttachmentParent,
  problemError,
  screenContent,
  seesWithheld,
  type EntityRow,
  type FieldProblem,
  type KeysetCursor,
  type SortKey,
  type Screening,
  type Runtime,
  type Viewer,
} from '../../core';
import './hooks';

export const WRITE = 'comments.write';
export const PAGE_SIZE = 20;
export const FEED_LATEST = 2;
export const DEFAULT_MAX_LENGTH = 2000;
/** The trait an entity type declares (`traits: ['commentable']`) to take comments. */
export const COMMENTABLE = 'commentable';
/** What files attached to a comment name as their parent (core/content/attachments.ts). */
export const COMMENT_KIND = 'comment';

/** A body as checked and screened: the problem to show, or what to save. */
export interface CheckedBody {
  problem?: FieldProblem;
  body?: string;
  screened?: Screening;
}

export interface CommentRow {
  id: number;
  entity_id: number;
  network_id: number;
  author_id: number;
  parent_id: number | null;
  body: string;
  created_at: number;
  edited_at: number | null;
  deleted_at: number | null;
  /** Hidden by a moderator: shown to its author and the network's moderators only (pieces.ts). */
  withheld: boolean;
}

const refuse = (status: number, key: string, params: Record<string, unknown> = {}): HttpError =>
  new HttpError(status, `comments.error.${key}`, params);

export function toComment(r: Record<string, unknown>): CommentRow {
  const nn = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
  return {
    id: Number(r.id),
    entity_id: Number(r.entity_id),
    network_id: Number(r.network_id),
    author_id: Number(r.author_id),
    parent_id: nn(r.parent_id),
    body: String(r.body ?? ''),
    created_at: Number(r.created_at),
    edited_at: nn(r.edited_at),
    deleted_at: nn(r.deleted_at),
    withheld: r.withheld === true || Number(r.withheld) === 1,
  };
}

export class CommentsService {
  /** The core services it uses: all it is given (`registerService` in plugin.ts). */
  static readonly uses = ['db', 'hooks', 'access', 'plugins', 'pluginState', 'activity', 'mentions', 'entities'] as const;
  constructor(private readonly rt: Pick<Runtime, (typeof CommentsService.uses)[number]>) {}

  maxLength(networkId: number): number {
    const v = Number(this.rt.pluginState.settings('comments', networkId).maxLength);
    return Number.isInteger(v) && v > 0 ? v : DEFAULT_MAX_LENGTH;
  }

  isCommentable(type: string): boolean {
    return this.rt.plugins.hasTrait(type, COMMENTABLE);
  }

  /** The entity, when the viewer may see it (else 404 / 401) and it takes comments (else 400). */
  async entity(viewer: Viewer | null, entityId: number): Promise<EntityRow> {
    const e =
      Number.isSafeInteger(entityId) && entityId > 0
        ? ((await this.rt.db('entities').where({ id: entityId }).first()) as EntityRow | undefined)
        : undefined;
    await this.rt.access.requireVisible(viewer, e);
    if (!this.isCommentable(e!.type)) throw refuse(400, 'notCommentable');
    return e!;
  }

  /** A live comment and its entity, both visible to the viewer; else the same 404 / 401. */
  async comment(viewer: Viewer | null, commentId: number): Promise<{ comment: CommentRow; entity: EntityRow }> {
    const row = commentId > 0 ? await this.rt.db('comments').where({ id: commentId }).whereNull('deleted_at').first() : undefined;
    const e = row ? ((await this.rt.db('entities').where({ id: row.entity_id }).first()) as EntityRow | undefined) : undefined;
    const comment = row ? toComment(row) : undefined;
    // A comment a moderator hid is its author's and the moderators' only: the same 404 for anyone else.
    const hidden = comment?.withheld && !seesWithheld(this.rt, viewer, { authorId: comment.author_id, networkId: comment.network_id });
    await this.rt.access.requireVisible(viewer, hidden ? undefined : e);
    return { comment: comment!, entity: e! };
  }

  /**
   * Checks a body and screens it (the core's `content:saving`): a localised problem, or the body
   * to save (trimmed, rewritten by the screening) and the screening to report once saved.
   */
  async checkBody(body: string, networkId: number, authorId: number): Promise<CheckedBody> {
    const text = body.trim();
    if (!text) return { problem: { key: 'comments.error.empty' } };
    const max = this.maxLength(networkId);
    if (text.length > max) return { problem: { key: 'comments.error.tooLong', params: { max } } };
    const screened = await screenContent(this.rt, { networkId, authorId, kind: 'comment', texts: { body: text } });
    return screened.problems.body ? { problem: screened.problems.body } : { body: screened.texts.body, screened };
  }

  /** The body checked by the route (`checked`), or checked here: a problem answers 422. */
  private async checked(body: string | CheckedBody, networkId: number, authorId: number): Promise<{ body: string; screened: Screening }> {
    const c = typeof body === 'string' ? await this.checkBody(body, networkId, authorId) : body;
    if (c.problem || c.body === undefined || !c.screened) throw problemError(c.problem ?? { key: 'comments.error.empty' }, 422);
    return { body: c.body, screened: c.screened };
  }

  async create(viewer: Viewer, entity: EntityRow, input: { body: string | CheckedBody; parentId?: number | null }): Promise<CommentRow> {
    const networkId = Number(entity.network_id);
    const { body, screened } = await this.checked(input.body, networkId, viewer.id);
    const now = Date.now();
    const mentions = await this.rt.mentions.prepare({ networkId, authorId: viewer.id, text: body, markdown: true });
    const { comment, parent } = await this.rt.db.transaction(async (trx) => {
      let parent: CommentRow | null = null;
      if (input.parentId) {
        const p = await trx('comments').where({ id: input.parentId, entity_id: entity.id }).whereNull('deleted_at').first();
        if (!p) throw refuse(404, 'unknownParent');
        parent = toComment(p);
        // One level of replies: a reply to a reply attaches to its top-level comment.
        if (parent.parent_id !== null) parent = toComment(await trx('comments').where({ id: parent.parent_id }).first());
      }
      const [row] = await trx('comments')
        .insert({
          entity_id: entity.id,
          network_id: networkId,
          author_id: viewer.id,
          parent_id: parent?.id ?? null,
          body,
          created_at: now,
        })
        .returning('*');
      const comment = toComment(row);
      await bump(trx, Number(entity.id), 1);
      await this.rt.entities.textChanged([Number(entity.id)], trx);
      await this.rt.mentions.save(mentions, { entityId: Number(entity.id), objectId: comment.id }, trx);
      await this.rt.activity.record(
        { verb: 'commented', actorId: viewer.id, entityId: Number(entity.id), networkId, objectId: comment.id, at: now },
        trx,
      );
      return { comment, parent };
    });
    await contentScreened(this.rt, screened, { entityId: Number(entity.id), objectId: comment.id });
    await this.rt.hooks.emit('comments:created', this.event(entity, comment, parent));
    await this.rt.mentions.notify(mentions, { entityId: Number(entity.id), objectId: comment.id, source: 'comment' });
    return comment;
  }

  /** Authors edit their own comments (moderators delete, they do not rewrite). */
  async update(viewer: Viewer, commentId: number, posted: string | CheckedBody): Promise<CommentRow> {
    const { comment, entity } = await this.comment(viewer, commentId);
    if (comment.author_id !== viewer.id) throw refuse(403, 'notYours');
    const { body, screened } = await this.checked(posted, Number(entity.network_id), viewer.id);
    const editedAt = Date.now();
    const place = { entityId: Number(entity.id), objectId: comment.id };
    const mentions = await this.rt.mentions.prepare({ networkId: Number(entity.network_id), authorId: viewer.id, text: body, markdown: true });
    await this.rt.db.transaction(async (trx) => {
      await trx('comments').where({ id: comment.id }).update({ body, edited_at: editedAt });
      await this.rt.entities.textChanged([Number(entity.id)], trx);
      await this.rt.mentions.save(mentions, place, trx);
    });
    await contentScreened(this.rt, screened, place);
    const updated = { ...comment, body, edited_at: editedAt };
    await this.rt.hooks.emit('comments:edited', this.event(entity, updated, await this.parentOf(updated)));
    await this.rt.mentions.notify(mentions, { ...place, source: 'comment' });
    return updated;
  }

  canDelete(viewer: Viewer | null, comment: Pick<CommentRow, 'author_id'>, entity: Pick<EntityRow, 'network_id'>): boolean {
    return !!viewer && (comment.author_id === viewer.id || this.rt.access.canModerate(viewer, entity));
  }

  /** Soft delete by its author or a moderator: a placeholder stays while it has live replies. */
  async remove(viewer: Viewer, commentId: number): Promise<{ comment: CommentRow; entity: EntityRow }> {
    const { comment, entity } = await this.comment(viewer, commentId);
    if (!this.canDelete(viewer, comment, entity)) throw refuse(403, 'notYours');
    const done = await this.rt.db.transaction((trx) => deleteComment(this.rt, trx, comment));
    if (done) {
      await this.rt.hooks.emit('comments:deleted', { ...this.event(entity, comment, await this.parentOf(comment)), byId: viewer.id });
      await attachmentsDeleted(this.rt, Number(entity.network_id), { parents: [{ kind: COMMENT_KIND, id: comment.id }] });
    }
    return { comment, entity };
  }

  async count(entityId: number): Promise<number> {
    const row = await this.rt.db('comment_counts').where({ entity_id: entityId }).first('n');
    return row ? Number(row.n) : 0;
  }

  private async parentOf(c: CommentRow): Promise<CommentRow | null> {
    if (c.parent_id === null) return null;
    const p = await this.rt.db('comments').where({ id: c.parent_id }).first();
    return p ? toComment(p) : null;
  }

  /** Live comments per entity, from the counters. */
  countsOf(ids: number[]): Promise<Map<number, number>> {
    return countsOf(this.rt.db, ids);
  }

  /** What a feed shows of many entities' comments, in one query (see `feedOf`). */
  feedOf(ids: number[]): Promise<FeedComments> {
    return feedOf(this.rt.db, ids);
  }

  /**
   * One page of an entity's thread where `cursor` says (by keyset on the top-level comments'
   * ids): top-level rows, their live replies, their authors, totals and counts. Several
   * entities (a list of threads) each show their first page.
   */
  pageOf(ids: number[], cursor: KeysetCursor = {}): Promise<ThreadPage> {
    return ids.length === 1 ? threadOf(this.rt.db, ids[0], cursor) : firstPagesOf(this.rt.db, ids);
  }

  private event(entity: EntityRow, c: CommentRow, parent: CommentRow | null) {
    return {
      networkId: Number(entity.network_id),
      entityId: Number(entity.id),
      commentId: c.id,
      authorId: c.author_id,
      ownerId: Number(entity.owner_id),
      parentId: parent?.id ?? null,
      parentAuthorId: parent?.author_id ?? null,
    };
  }
}

/**
 * Deletes a live comment in `trx` (its author, a moderator, or the moderation queue): the body
 * goes, the entity's count (a withheld one was out of it already), search text, mentions and
 * activity follow. False when it was deleted already.
 */
export async function deleteComment(
  rt: Pick<Runtime, 'entities' | 'mentions' | 'activity'>,
  trx: Knex,
  comment: Pick<CommentRow, 'id' | 'entity_id' | 'withheld'>,
): Promise<boolean> {
  const n = await trx('comments').where({ id: comment.id }).whereNull('deleted_at').update({ deleted_at: Date.now(), body: '' });
  if (!n) return false;
  if (!comment.withheld) await bump(trx, comment.entity_id, -1);
  await rt.entities.textChanged([comment.entity_id], trx);
  await rt.mentions.clear({ entityId: comment.entity_id, objectId: comment.id }, trx);
  await rt.activity.remove(comment.entity_id, { verb: 'commented', objectId: comment.id }, trx);
  return true;
}

/** `n = n + delta` on the entity's counter, creating it at the first comment. */
export async function bump(trx: Knex, entityId: number, delta: 1 | -1): Promise<void> {
  if (delta > 0) {
    await trx('comment_counts')
      .insert({ entity_id: entityId, n: 1 })
      .onConflict('entity_id')
      .merge({ n: trx.raw('?? + 1', ['comment_counts.n']) });
  } else {
    await trx('comment_counts')
      .where({ entity_id: entityId })
      .where('n', '>', 0)
      .update({ n: trx.raw('n - 1') });
  }
}

async function countsOf(db: Knex, ids: number[]): Promise<Map<number, number>> {
  const rows = (await db('comment_counts').whereIn('entity_id', ids).select('entity_id', 'n')) as { entity_id: number; n: number }[];
  return new Map(rows.map((r) => [Number(r.entity_id), Number(r.n)]));
}

/** A comment's author as a panel shows it. */
export interface CommentAuthor {
  id: number;
  username: string;
  display_name: string;
  photo_key: string | null;
  /** A service account (core `BOT_KIND`): shown with a “Bot” badge. */
  is_bot: boolean;
}

export interface FeedComments {
  /** The latest live comments of every entity, `FEED_LATEST` at most each, oldest first. */
  top: CommentRow[];
  authors: Map<number, CommentAuthor>;
  /** Live comments per entity (from `comment_counts`); absent: none. */
  counts: Map<number, number>;
}

/**
 * A feed's comments in one statement: the latest live comments of every entity with their
 * author and the entity's count. An entity without a live comment has none to count.
 * Each entity's latest are read from the end of its `(entity_id, id)` index and stop at
 * `FEED_LATEST` (a correlated list on SQLite, a lateral join on PostgreSQL): ranking every
 * comment of the listed entities read all 723 of one popular post to keep two (issue 18:
 * 1.04 -> 0.05 ms of SQLite CPU on the bench's home feed).
 */
const FEED_COLUMNS =
  'c.*, cc.n as entity_count, u.username as author_username, u.display_name as author_name, u.photo_key as author_photo_key, u.kind as author_kind';
const FEED_JOINS = `left join comment_counts as cc on cc.entity_id = c.entity_id
left join users as u on u.id = c.author_id
order by c.id asc`;
const FEED = preparedRead<Record<string, unknown>>({
  sqlite: `select ${FEED_COLUMNS}
from json_each(?) as j
join comments as c on c.id in (select c2.id from comments as c2 where c2.entity_id = j.value and c2.deleted_at is null and c2.withheld = false order by c2.id desc limit ?)
${FEED_JOINS}`,
  postgres: `select ${FEED_COLUMNS}
from json_array_elements_text(?::json) as j(id)
cross join lateral (select * from comments as c2 where c2.entity_id = j.id::bigint and c2.deleted_at is null and c2.withheld = false order by c2.id desc limit ?) as c
${FEED_JOINS}`,
});

async function feedOf(db: Knex, ids: number[]): Promise<FeedComments> {
  const rows = await FEED.all(db, [idList(ids), FEED_LATEST]);
  const out: FeedComments = { top: rows.map(toComment), authors: authorsOf(rows), counts: new Map() };
  for (const r of rows) out.counts.set(Number(r.entity_id), Number(r.entity_count ?? 0));
  return out;
}

/** The authors of comment rows read with `author_username`, `author_name`, `author_photo_key`. */
function authorsOf(rows: Record<string, unknown>[]): Map<number, CommentAuthor> {
  const authors = new Map<number, CommentAuthor>();
  for (const r of rows) {
    if (r.author_username === null || r.author_username === undefined) continue;
    const id = Number(r.author_id);
    authors.set(id, {
      id,
      username: String(r.author_username),
      display_name: String(r.author_name),
      photo_key: (r.author_photo_key as string | null) ?? null,
      is_bot: r.author_kind === BOT_KIND,
    });
  }
  return authors;
}

/** Top-level comments shown: live ones, and deleted ones that still have live replies. */
function shownTopLevel(db: Knex, ids: number[]): Knex.QueryBuilder {
  return db('comments as c')
    .whereIn('c.entity_id', ids)
    .whereNull('c.parent_id')
    .where((w) =>
      w
        .whereNull('c.deleted_at')
        .orWhereExists((s) => s.select(db.raw('1')).from('comments as r').where('r.parent_id', db.ref('c.id')).whereNull('r.deleted_at')),
    );
}

/** One page of a thread as the panels and the API show it. */
export interface ThreadPage {
  top: CommentRow[];
  /** The live replies of the top-level comments on the page. */
  replies: CommentRow[];
  authors: Map<number, CommentAuthor>;
  /** Top-level comments shown per entity (the API's total). */
  totals: Map<number, number>;
  /** Live comments per entity (from `comment_counts`). */
  counts: Map<number, number>;
  /** The keys of the pages before and after (one entity's page; null at either end). */
  prev: SortKey | null;
  next: SortKey | null;
}

/** A thread's order is its top-level comments oldest first, by id (`threadRead`); the kinds of its cursor's parts. */
export const THREAD_CURSOR = ['int'] as const;

/** Shown top-level comments of entity `?` (the condition of `shownTopLevel`, as SQL for one statement). */
const SHOWN_TOP = `c.entity_id = ? and c.parent_id is null
  and (c.deleted_at is null or exists (select 1 from comments as r0 where r0.parent_id = c.id and r0.deleted_at is null))`;

/**
 * One entity's page of its thread in one statement, written once per way of reading and kept
 * prepared: the page's top-level comments (`page_top`, by id: the first page, after or before an
 * id, or past an offset for older API clients; its index walks them in order and stops at the
 * page), their live replies, every author, the number of top-level comments shown and the
 * entity's count of live comments.
 */
const threadRead = (bound: string, dir: 'asc' | 'desc', offset = '') =>
  preparedRead<Record<string, unknown>>(`with page_top as (
  select c.* from comments as c where ${SHOWN_TOP}${bound} order by c.id ${dir} limit ?${offset})
select x.*, u.username as author_username, u.display_name as author_name, u.photo_key as author_photo_key, u.kind as author_kind,
  (select count(*) from comments as c where ${SHOWN_TOP}) as top_total,
  (select cc.n from comment_counts as cc where cc.entity_id = ?) as entity_count
from (select * from page_top
  union all select r.* from comments as r where r.parent_id in (select id from page_top) and r.deleted_at is null) as x
left join users as u on u.id = x.author_id
order by x.id ${dir}`);
const THREAD_FIRST = threadRead('', 'asc');
const THREAD_AFTER = threadRead(' and c.id > ?', 'asc');
const THREAD_BEFORE = threadRead(' and c.id < ?', 'desc');
const THREAD_AT = threadRead('', 'asc', ' offset ?');

async function threadOf(db: Knex, entityId: number, cursor: KeysetCursor): Promise<ThreadPage> {
  // The page's `limit + 1` top-level comments come with their replies and authors in one read,
  // in the keyset's reading order (backwards before an id); the page keeps its top-level rows,
  // and the replies of those.
  const key = cursor.after ?? cursor.before;
  const limit = PAGE_SIZE + 1;
  const rows = key
    ? await (cursor.after ? THREAD_AFTER : THREAD_BEFORE).all(db, [entityId, Number(key[0]), limit, entityId, entityId])
    : cursor.offset
      ? await THREAD_AT.all(db, [entityId, limit, cursor.offset, entityId, entityId])
      : await THREAD_FIRST.all(db, [entityId, limit, entityId, entityId]);
  const page = keysetPageOf(
    rows.filter((r) => r.parent_id === null),
    cursor,
    PAGE_SIZE,
    (r) => [Number(r.id)],
  );
  if (!rows.length) {
    // A page past the end: nothing to show, but the API still needs the totals.
    const [counts, totals] = await Promise.all([countsOf(db, [entityId]), topTotals(db, [entityId])]);
    return { top: [], replies: [], authors: new Map(), totals, counts, prev: page.prev, next: page.next };
  }
  const top = page.items.map(toComment);
  const kept = new Set(top.map((c) => c.id));
  return {
    top,
    replies: rows
      .filter((r) => r.parent_id !== null && kept.has(Number(r.parent_id)))
      .map(toComment)
      .sort((a, b) => a.id - b.id),
    authors: authorsOf(rows),
    totals: new Map([[entityId, Number(rows[0].top_total)]]),
    counts: rows[0].entity_count === null ? new Map() : new Map([[entityId, Number(rows[0].entity_count)]]),
    prev: page.prev,
    next: page.next,
  };
}

async function topTotals(db: Knex, ids: number[]): Promise<Map<number, number>> {
  const rows = (await shownTopLevel(db, ids).groupBy('c.entity_id').select('c.entity_id', db.raw('count(*) as n'))) as {
    entity_id: number;
    n: number | string;
  }[];
  return new Map(rows.map((r) => [Number(r.entity_id), Number(r.n)]));
}

/** The first page of each of several entities' threads, each one's page by rank. */
async function firstPagesOf(db: Knex, ids: number[]): Promise<ThreadPage> {
  const ranked = shownTopLevel(db, ids).select('c.*', db.raw('row_number() over (partition by c.entity_id order by c.id asc) as rn')).as('x');
  const [topRows, totals, counts] = await Promise.all([
    db.select('x.*').from(ranked).where('x.rn', '<=', PAGE_SIZE).orderBy('x.id', 'asc') as Promise<Record<string, unknown>[]>,
    topTotals(db, ids),
    countsOf(db, ids),
  ]);
  const top = topRows.map(toComment);
  const replies = top.length
    ? (
        (await db('comments')
          .whereIn(
            'parent_id',
            top.map((c) => c.id),
          )
          .whereNull('deleted_at')
          .orderBy('id', 'asc')) as Record<string, unknown>[]
      ).map(toComment)
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

/** Whether a comment carrying attachments is still there (its entity's access is the core's check). */
export const commentAttachmentParent = rowAttachmentParent({ kind: COMMENT_KIND, table: 'comments', entityColumn: 'entity_id', anchor: 'comment-' });
