/**
 * Comments: one level of replies under any commentable entity. Every read and write first
 * checks the entity with the access model (a member who cannot see it gets a 404, a guest
 * a 401), so a comment is seen by exactly those who see its entity. Writes and the
 * denormalised `comment_counts` row change in one transaction; events follow the commit.
 */
import type { Knex } from 'knex';
import { HttpError, type EntityRow, type Runtime, type Viewer } from '../../core';
import './hooks';

export const WRITE = 'comments.write';
export const PAGE_SIZE = 20;
export const FEED_LATEST = 2;
export const DEFAULT_MAX_LENGTH = 2000;
/** The trait an entity type declares (`traits: ['commentable']`) to take comments. */
export const COMMENTABLE = 'commentable';

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
  };
}

export class CommentsService {
  /** The core services it uses: all it is given (`registerService` in plugin.ts). */
  static readonly uses = ['db', 'hooks', 'access', 'plugins', 'pluginState', 'activity'] as const;
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
    await this.rt.access.requireVisible(viewer, e);
    return { comment: toComment(row), entity: e! };
  }

  /** A localised message key when the body is not acceptable, else null. */
  checkBody(body: string, networkId: number): { key: string; params?: Record<string, unknown> } | null {
    const text = body.trim();
    if (!text) return { key: 'comments.error.empty' };
    const max = this.maxLength(networkId);
    if (text.length > max) return { key: 'comments.error.tooLong', params: { max } };
    return null;
  }

  async create(viewer: Viewer, entity: EntityRow, input: { body: string; parentId?: number | null }): Promise<CommentRow> {
    const bad = this.checkBody(input.body, Number(entity.network_id));
    if (bad) throw new HttpError(422, bad.key, bad.params);
    const networkId = Number(entity.network_id);
    const now = Date.now();
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
          body: input.body.trim(),
          created_at: now,
        })
        .returning('*');
      const comment = toComment(row);
      await bump(trx, Number(entity.id), 1);
      await this.rt.activity.record(
        { verb: 'commented', actorId: viewer.id, entityId: Number(entity.id), networkId, objectId: comment.id, at: now },
        trx,
      );
      return { comment, parent };
    });
    await this.rt.hooks.emit('comments:created', this.event(entity, comment, parent));
    return comment;
  }

  /** Authors edit their own comments (moderators delete, they do not rewrite). */
  async update(viewer: Viewer, commentId: number, body: string): Promise<CommentRow> {
    const { comment, entity } = await this.comment(viewer, commentId);
    if (comment.author_id !== viewer.id) throw refuse(403, 'notYours');
    const bad = this.checkBody(body, Number(entity.network_id));
    if (bad) throw new HttpError(422, bad.key, bad.params);
    const editedAt = Date.now();
    await this.rt.db('comments').where({ id: comment.id }).update({ body: body.trim(), edited_at: editedAt });
    const updated = { ...comment, body: body.trim(), edited_at: editedAt };
    await this.rt.hooks.emit('comments:edited', this.event(entity, updated, await this.parentOf(updated)));
    return updated;
  }

  canDelete(viewer: Viewer | null, comment: Pick<CommentRow, 'author_id'>, entity: Pick<EntityRow, 'network_id'>): boolean {
    return !!viewer && (comment.author_id === viewer.id || this.rt.access.canModerate(viewer, entity));
  }

  /** Soft delete by its author or a moderator: a placeholder stays while it has live replies. */
  async remove(viewer: Viewer, commentId: number): Promise<{ comment: CommentRow; entity: EntityRow }> {
    const { comment, entity } = await this.comment(viewer, commentId);
    if (!this.canDelete(viewer, comment, entity)) throw refuse(403, 'notYours');
    const done = await this.rt.db.transaction(async (trx) => {
      const n = await trx('comments').where({ id: comment.id }).whereNull('deleted_at').update({ deleted_at: Date.now(), body: '' });
      if (!n) return false;
      await bump(trx, comment.entity_id, -1);
      await this.rt.activity.remove(comment.entity_id, { verb: 'commented', objectId: comment.id }, trx);
      return true;
    });
    if (done) await this.rt.hooks.emit('comments:deleted', { ...this.event(entity, comment, await this.parentOf(comment)), byId: viewer.id });
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

  /** One page of each entity's thread: top-level rows, their live replies, totals. */
  pageOf(ids: number[], page: number): Promise<{ top: CommentRow[]; replies: CommentRow[]; totals: Map<number, number> }> {
    return pageOf(this.rt.db, ids, page);
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

/** `n = n + delta` on the entity's counter, creating it at the first comment. */
async function bump(trx: Knex, entityId: number, delta: 1 | -1): Promise<void> {
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
 */
async function feedOf(db: Knex, ids: number[]): Promise<FeedComments> {
  const ranked = db('comments as c')
    .select('c.*', db.raw('row_number() over (partition by c.entity_id order by c.id desc) as rn'))
    .whereIn('c.entity_id', ids)
    .whereNull('c.deleted_at')
    .as('x');
  const rows = (await db
    .select('x.*', 'cc.n as entity_count', 'u.username as author_username', 'u.display_name as author_name', 'u.photo_key as author_photo_key')
    .from(ranked)
    .leftJoin('comment_counts as cc', 'cc.entity_id', 'x.entity_id')
    .leftJoin('users as u', 'u.id', 'x.author_id')
    .where('x.rn', '<=', FEED_LATEST)
    .orderBy('x.id', 'asc')) as Record<string, unknown>[];
  const out: FeedComments = { top: rows.map(toComment), authors: new Map(), counts: new Map() };
  for (const r of rows) {
    out.counts.set(Number(r.entity_id), Number(r.entity_count ?? 0));
    if (r.author_username === null || r.author_username === undefined) continue;
    const id = Number(r.author_id);
    out.authors.set(id, {
      id,
      username: String(r.author_username),
      display_name: String(r.author_name),
      photo_key: (r.author_photo_key as string | null) ?? null,
    });
  }
  return out;
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

/** One page of each entity's thread (same page number for all): top-level rows, their replies, totals. */
async function pageOf(db: Knex, ids: number[], page: number): Promise<{ top: CommentRow[]; replies: CommentRow[]; totals: Map<number, number> }> {
  const first = (page - 1) * PAGE_SIZE;
  // One entity (a page's thread): its index walks the top-level comments in order and stops at the
  // page. Several: each one's page by rank (numbering every top-level comment of each).
  const ranked = shownTopLevel(db, ids).select('c.*', db.raw('row_number() over (partition by c.entity_id order by c.id asc) as rn')).as('x');
  const [topRows, totalRows] = await Promise.all([
    (ids.length === 1
      ? shownTopLevel(db, ids).select('c.*').orderBy('c.id', 'asc').limit(PAGE_SIZE).offset(first)
      : db
          .select('x.*')
          .from(ranked)
          .where('x.rn', '>', first)
          .where('x.rn', '<=', first + PAGE_SIZE)
          .orderBy('x.id', 'asc')) as Promise<Record<string, unknown>[]>,
    shownTopLevel(db, ids).groupBy('c.entity_id').select('c.entity_id', db.raw('count(*) as n')) as Promise<
      { entity_id: number; n: number | string }[]
    >,
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
  return { top, replies, totals: new Map(totalRows.map((r) => [Number(r.entity_id), Number(r.n)])) };
}
