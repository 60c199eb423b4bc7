/**
 * Comments: one level of replies under any commentable entity. Every read and write first
 * checks the entity with the access model (a member who cannot see it gets a 404, a guest
 * a 401), so a comment is seen by exactly those who see its entity. Writes and the
 * denormalised `comment_counts` row change in one transaction; events follow the commit.
 */
import type { Knex } from 'knex';
import {
  attachmentsDeleted,
  contentScreened,
  HttpError,
  rowAttachmentParent,
  problemError,
  screenContent,
  seesWithheld,
  type EntityRow,
  type FieldProblem,
  type KeysetCursor,
  type Screening,
  type Runtime,
  type Viewer,
  type PieceReader,
} from '../../core';
import './hooks';
import { countsOf, feedOf, firstPagesOf, threadOf, type FeedComments, type ThreadPage } from './reads';
import { bump, toComment, type CommentRow } from './rows';

export const WRITE = 'comments.write';
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

const refuse = (status: number, key: string, params: Record<string, unknown> = {}): HttpError =>
  new HttpError(status, `comments.error.${key}`, params);

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

  private async parentOf(c: CommentRow): Promise<CommentRow | null> {
    if (c.parent_id === null) return null;
    const p = await this.rt.db('comments').where({ id: c.parent_id }).first();
    return p ? toComment(p) : null;
  }

  /** The entity's live comments that the reader sees (the counter, and the withheld ones that are theirs to see). */
  async count(entityId: number, reader: PieceReader): Promise<number> {
    return (await countsOf(this.rt.db, [entityId], reader)).get(entityId) ?? 0;
  }

  /** What a feed shows the reader of many entities' comments, in one query (reads.ts `feedOf`). */
  feedOf(ids: number[], reader: PieceReader): Promise<FeedComments> {
    return feedOf(this.rt.db, ids, reader);
  }

  /**
   * One page of an entity's thread as the reader may see it, where `cursor` says (by keyset on
   * the top-level comments' ids): top-level rows, their live replies, their authors, totals and
   * counts. Several entities (a list of threads) each show their first page.
   */
  pageOf(ids: number[], reader: PieceReader, cursor: KeysetCursor = {}): Promise<ThreadPage> {
    return ids.length === 1 ? threadOf(this.rt.db, ids[0], cursor, reader) : firstPagesOf(this.rt.db, ids, reader);
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

/** Whether a comment carrying attachments is still there (its entity's access is the core's check). */
export const commentAttachmentParent = rowAttachmentParent({ kind: COMMENT_KIND, table: 'comments', entityColumn: 'entity_id', anchor: 'comment-' });
