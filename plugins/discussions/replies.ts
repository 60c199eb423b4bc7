/**
 * Replies: flat, numbered by `position` inside their topic so page N is a range of positions
 * on the (topic_id, position) index, never an OFFSET. Reply, edit (kept in
 * discussion_revisions), delete (soft: the row stays as a marker so later pages do not
 * shift), accepted answer, subscriptions and read markers. A reply is visible exactly when
 * its topic is.
 */
import type { Knex } from 'knex';
import {
  attachmentsDeleted,
  contentScreened,
  HttpError,
  pieceSeen,
  pieceSeenBindings,
  preparedRead,
  renderMarkdown,
  rowAttachmentParent,
  screenContent,
  type AttachmentParent,
  type Screening,
  type Runtime,
  type RucheContext,
  type Viewer,
} from '../../core';
import { pageStart, readerFor, readingOf, type TopicReading } from './reading';
import { TopicsService, normalise, type TopicRow } from './service';
import './hooks';

export const MAX_REPLY = 20_000;

/** What files attached to a reply name as their parent (core/content/attachments.ts): they follow the topic. */
export const REPLY_KIND = 'discussion_reply';
export const replyParent = (topicId: number, replyId: number): AttachmentParent => ({ kind: REPLY_KIND, id: replyId, entityId: topicId });

/** `attachments:parent` for replies: the topic's access (the core's), while the reply is there. */
export const replyAttachmentParent = rowAttachmentParent({
  kind: REPLY_KIND,
  table: 'discussion_replies',
  entityColumn: 'topic_id',
  anchor: 'reply-',
});

/**
 * The statements of every topic page, kept prepared (issue 18): the replies the reader sees
 * after a position (reading.ts `pageStart`) with their authors, and the viewer's state. The page
 * applies the rule of withheld replies itself (their author's and the moderators' only), so it
 * is full whatever the reader may not see.
 */
const PAGE = preparedRead<PageReply>(
  `select r.*, u.username, u.display_name, u.photo_key from discussion_replies r join users u on u.id = r.author_id
   where r.topic_id = ? and r.position > ? and ${pieceSeen('r')} order by r.position limit ?`,
);
const VIEWER_STATE = preparedRead<{ active: boolean | number | null; last_read: number | string | null }>(
  `select (select active from discussion_subscriptions where topic_id = ? and user_id = ?) as active,
          (select last_read_reply_id from topic_reads where topic_id = ? and user_id = ?) as last_read`,
);

export interface ReplyRow {
  id: number;
  topic_id: number;
  position: number;
  author_id: number;
  body: string;
  body_html: string;
  created_at: number;
  edited_at: number | null;
  deleted_at: number | null;
  /** Hidden by a moderator: shown to its author and the network's moderators only (pieces.ts). */
  withheld: boolean;
}

export interface PageReply extends ReplyRow {
  username: string;
  display_name: string;
  photo_key: string | null;
}

/** A Markdown blockquote of `body`, headed by the author's name, for the reply form. */
export function quoteOf(name: string, body: string): string {
  const lines = body.replace(/\r\n/g, '\n').trim().split('\n');
  return `> **${name.replace(/([*_`[\]\\])/g, '\\$1')}:**\n${lines.map((l) => (l ? `> ${l}` : '>')).join('\n')}\n\n`;
}

/** The topic's last reply that everybody sees (a statement for an update): what marks it unread. */
export const lastReplyAllSee = (trx: Knex, topicId: number): Knex.Raw =>
  trx.raw('(select max(r.id) from discussion_replies as r where r.topic_id = ? and r.deleted_at is null and r.withheld = false)', [topicId]);

/**
 * Deletes a live reply in `trx` (its author, a moderator, or the moderation queue): the topic's
 * count (a withheld one was out of it already), last reply, answer, search text, activity and
 * mentions follow. False when it was deleted already.
 */
export async function deleteReply(
  rt: Pick<Runtime, 'entities' | 'activity' | 'mentions'>,
  trx: Knex,
  reply: Pick<ReplyRow, 'id' | 'topic_id' | 'withheld'>,
): Promise<boolean> {
  const changed = await trx('discussion_replies').where({ id: reply.id }).whereNull('deleted_at').update({ deleted_at: Date.now() });
  if (!Number(changed)) return false;
  // The topic's last reply is never one that is gone.
  await trx('discussion_topics')
    .where({ entity_id: reply.topic_id })
    .update({ ...(reply.withheld ? {} : { reply_count: trx.raw('reply_count - 1') }), last_reply_id: lastReplyAllSee(trx, reply.topic_id) });
  await rt.entities.textChanged([reply.topic_id], trx);
  await trx('discussion_topics').where({ entity_id: reply.topic_id, accepted_reply_id: reply.id }).update({ accepted_reply_id: null });
  await rt.activity.remove(reply.topic_id, { objectId: reply.id }, trx);
  await rt.mentions.clear({ entityId: reply.topic_id, objectId: reply.id }, trx);
  return true;
}

export class RepliesService {
  /** The core services it uses: all it is given (`registerService` in plugin.ts). */
  static readonly uses = ['db', 'access', 'activity', 'hooks', 'mentions', 'users', 'container', 'entities'] as const;
  constructor(private readonly rt: Pick<Runtime, (typeof RepliesService.uses)[number]>) {}

  private get topics(): TopicsService {
    return this.rt.container.resolve(TopicsService);
  }

  /** Checks a reply and screens it (the core's `content:saving`): the problem, or the body to save and the screening. */
  async validate(
    body: string,
    networkId: number,
    authorId: number,
  ): Promise<{ body?: string; problem?: { key: string; params?: Record<string, unknown> }; screened?: Screening }> {
    const clean = body.replace(/\r\n/g, '\n').trimEnd();
    if (!clean.trim()) return { problem: { key: 'discussions.errors.replyRequired' } };
    if (clean.length > MAX_REPLY) return { problem: { key: 'discussions.errors.replyTooLong', params: { max: MAX_REPLY } } };
    const screened = await screenContent(this.rt, { networkId, authorId, kind: 'reply', texts: { body: clean } });
    return screened.problems.body ? { problem: screened.problems.body } : { body: screened.texts.body, screened };
  }

  /** Saves a reply; refuses a locked topic. Subscribes the author, notifies the others. */
  async create(viewer: Viewer, topic: TopicRow, body: string, screened?: Screening): Promise<ReplyRow> {
    const now = Date.now();
    const html = renderMarkdown(body);
    const mentions = await this.rt.mentions.prepare({ networkId: topic.network_id, authorId: viewer.id, text: body, markdown: true });
    const reply = await this.rt.db.transaction(async (trx) => {
      // The counter update takes the topic row's lock: positions are handed out one by one.
      await trx('discussion_topics').where({ entity_id: topic.id }).increment('reply_seq', 1);
      const t = await trx('discussion_topics').where({ entity_id: topic.id }).first('reply_seq', 'locked');
      if (t.locked === true || Number(t.locked) === 1) throw new HttpError(403, 'discussions.errors.locked');
      const position = Number(t.reply_seq);
      const [row] = await trx('discussion_replies')
        .insert({ topic_id: topic.id, position, author_id: viewer.id, body, body_html: html, created_at: now })
        .returning('id');
      const id = Number(typeof row === 'object' ? row.id : row);
      await trx('discussion_topics')
        .where({ entity_id: topic.id })
        .update({ reply_count: trx.raw('reply_count + 1'), last_reply_id: id, last_activity_at: now });
      await trx('discussion_revisions').insert({ topic_id: topic.id, reply_id: id, title: null, body, editor_id: viewer.id, created_at: now });
      await this.rt.entities.textChanged([topic.id], trx);
      const sub = await trx('discussion_subscriptions').where({ topic_id: topic.id, user_id: viewer.id }).first('user_id');
      if (!sub) await trx('discussion_subscriptions').insert({ topic_id: topic.id, user_id: viewer.id, active: true, created_at: now });
      await this.markRead(viewer.id, topic.id, id, trx);
      await this.rt.mentions.save(mentions, { entityId: topic.id, objectId: id }, trx);
      await this.rt.activity.record(
        { verb: 'replied', actorId: viewer.id, entityId: topic.id, objectId: id, networkId: topic.network_id, at: now },
        trx,
      );
      return {
        id,
        topic_id: topic.id,
        position,
        author_id: viewer.id,
        body,
        body_html: html,
        created_at: now,
        edited_at: null,
        deleted_at: null,
        withheld: false,
      };
    });
    if (screened) await contentScreened(this.rt, screened, { entityId: topic.id, objectId: reply.id });
    const subscriberIds = await this.subscribersWhoSee(topic.id, viewer.id);
    await this.rt.hooks.emit('discussions:replied', {
      networkId: topic.network_id,
      topicId: topic.id,
      replyId: reply.id,
      authorId: viewer.id,
      subscriberIds,
    });
    await this.rt.mentions.notify(mentions, { entityId: topic.id, objectId: reply.id, source: 'reply' });
    return reply;
  }

  async update(viewer: Viewer, reply: ReplyRow, body: string, screened?: Screening): Promise<void> {
    if (body === reply.body) return;
    const now = Date.now();
    const place = { entityId: reply.topic_id, objectId: reply.id };
    const topic = await this.rt.db('discussion_topics').where({ entity_id: reply.topic_id }).first('network_id');
    const mentions = await this.rt.mentions.prepare({ networkId: Number(topic.network_id), authorId: reply.author_id, text: body, markdown: true });
    await this.rt.db.transaction(async (trx) => {
      await trx('discussion_replies')
        .where({ id: reply.id })
        .update({ body, body_html: renderMarkdown(body), edited_at: now });
      await this.rt.mentions.save(mentions, place, trx);
      await this.rt.entities.textChanged([reply.topic_id], trx);
      await trx('discussion_revisions').insert({
        topic_id: reply.topic_id,
        reply_id: reply.id,
        title: null,
        body,
        editor_id: viewer.id,
        created_at: now,
      });
    });
    if (screened) await contentScreened(this.rt, screened, place);
    await this.rt.mentions.notify(mentions, { ...place, source: 'reply' });
  }

  async remove(reply: ReplyRow): Promise<void> {
    await this.rt.db.transaction((trx) => deleteReply(this.rt, trx, reply));
    const topic = await this.rt.db('discussion_topics').where({ entity_id: reply.topic_id }).first('network_id');
    // Its attached files go with it.
    if (topic) await attachmentsDeleted(this.rt, Number(topic.network_id), { parents: [{ kind: REPLY_KIND, id: reply.id }] });
  }

  async find(id: number): Promise<ReplyRow | undefined> {
    if (!Number.isSafeInteger(id) || id <= 0) return undefined;
    const row = (await this.rt.db('discussion_replies').where({ id }).first()) as ReplyRow | undefined;
    return row ? normalise(row) : undefined;
  }

  /** The newest `limit` replies of a topic shown to everyone (neither deleted nor withheld), in thread order. */
  async newestShown(topicId: number, limit: number): Promise<Pick<ReplyRow, 'id' | 'position' | 'body' | 'created_at' | 'author_id'>[]> {
    const rows = (await this.rt
      .db('discussion_replies')
      .where('topic_id', topicId)
      .whereNull('deleted_at')
      .where('withheld', false)
      .orderBy('position', 'desc')
      .limit(limit)
      .select('id', 'position', 'body', 'created_at', 'author_id')) as Pick<ReplyRow, 'id' | 'position' | 'body' | 'created_at' | 'author_id'>[];
    return rows.reverse();
  }

  /** Page `page` (1-based) of a topic's replies as the reader reads them, with their authors: one query. */
  async page(topic: TopicRow, reading: TopicReading, page: number, size: number): Promise<PageReply[]> {
    const from = pageStart(reading, page, size);
    return (await PAGE.all(this.rt.db, [topic.id, from, ...pieceSeenBindings(reading.reader), size])).map(normalise);
  }

  /**
   * The topic as the request's viewer reads it (reading.ts): the replies hidden from them, their
   * count; `withheld`, the topic's withheld replies when known (`TopicPage`).
   */
  reading(ctx: RucheContext, topic: TopicRow, withheld?: number): Promise<TopicReading> {
    return readingOf(this.rt.db, topic, readerFor(ctx, topic.network_id), withheld);
  }

  /** Marks the answer. Marking it again (or at the same moment) changes nothing: the author hears of it once. */
  async accept(viewer: Viewer, topic: TopicRow, reply: ReplyRow): Promise<void> {
    const n = await this.rt
      .db('discussion_topics')
      .where({ entity_id: topic.id })
      .where((w) => w.whereNull('accepted_reply_id').orWhereNot('accepted_reply_id', reply.id))
      .update({ accepted_reply_id: reply.id });
    if (Number(n))
      await this.rt.hooks.emit('discussions:answered', {
        networkId: topic.network_id,
        topicId: topic.id,
        replyId: reply.id,
        authorId: reply.author_id,
        byId: viewer.id,
      });
  }

  async unaccept(topic: TopicRow): Promise<void> {
    await this.rt.db('discussion_topics').where({ entity_id: topic.id }).update({ accepted_reply_id: null });
  }

  async subscribed(userId: number, topicId: number): Promise<boolean> {
    return (await this.viewerState(userId, topicId)).subscribed;
  }

  /** Whether the member follows the topic and their read marker (null: never read), in one statement. */
  async viewerState(userId: number, topicId: number): Promise<{ subscribed: boolean; lastRead: number | null }> {
    const row = await VIEWER_STATE.first(this.rt.db, [topicId, userId, topicId, userId]);
    return { subscribed: row?.active === true || Number(row?.active) === 1, lastRead: row?.last_read == null ? null : Number(row.last_read) };
  }

  /** An explicit choice sticks: replying again does not re-subscribe someone who left. */
  async subscribe(userId: number, topicId: number, on: boolean): Promise<void> {
    await this.rt
      .db('discussion_subscriptions')
      .insert({ topic_id: topicId, user_id: userId, active: on, created_at: Date.now() })
      .onConflict(['topic_id', 'user_id'])
      .merge(['active']);
  }

  /** Active subscribers except `exceptId`, who are active members and may still see the topic. */
  async subscribersWhoSee(topicId: number, exceptId: number): Promise<number[]> {
    const topic = await this.topics.find(topicId);
    if (!topic) return [];
    const ids = (
      await this.rt
        .db('discussion_subscriptions as s')
        .join('users as u', 'u.id', 's.user_id')
        .where('s.topic_id', topicId)
        .where('s.active', true)
        .where('u.status', 'active')
        .whereNot('s.user_id', exceptId)
        .orderBy('s.user_id')
        .pluck('s.user_id')
    ).map(Number);
    const out: number[] = [];
    for (const id of ids) {
      const viewer = await this.rt.users.viewer(id);
      if (viewer && (await this.rt.access.canSee(viewer, topic))) out.push(id);
    }
    return out;
  }

  /** What the member had read before this view (0: nothing). */
  async lastRead(userId: number, topicId: number): Promise<number | null> {
    return (await this.viewerState(userId, topicId)).lastRead;
  }

  /** Moves the member's read marker forward to `replyId` (never back). */
  async markRead(userId: number, topicId: number, replyId: number, trx: Knex = this.rt.db): Promise<void> {
    const now = Date.now();
    await trx('topic_reads')
      .insert({ user_id: userId, topic_id: topicId, last_read_reply_id: replyId, read_at: now })
      .onConflict(['user_id', 'topic_id'])
      .merge({
        last_read_reply_id: trx.raw('case when topic_reads.last_read_reply_id > ? then topic_reads.last_read_reply_id else ? end', [
          replyId,
          replyId,
        ]),
        read_at: now,
      });
  }
}
