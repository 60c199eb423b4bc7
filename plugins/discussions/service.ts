/**
 * Topics: validation, create, edit (every version kept in discussion_revisions), delete
 * (soft), lock, pin, move between containers, and the lists (network or container, sorted
 * by last activity, pinned first, with per-member unread markers), which all go through the
 * core access clause.
 */
import type { Knex } from 'knex';
import {
  pieceReader,
  attachmentsDeleted,
  articleTags,
  excerptOf,
  HttpError,
  idList,
  isAccessLevel,
  keysetOrder,
  pageRequest,
  perDialect,
  preparedRead,
  readPage,
  renderMarkdown,
  typedRow,
  validateArticle,
  type AccessLevel,
  type ArticleRow,
  type CleanArticle,
  type FieldProblems,
  type Runtime,
  type Viewer,
  type KeysetPage,
} from '../../core';
import { replyCountFor, unansweredFor } from './reading';
import './hooks';

/** What feed entries show of topics, and of replies that are not deleted: kept prepared, one text for any number. */
const FEED_TOPICS = preparedRead<{ entity_id: number; title: string; excerpt: string; reply_count: number; accepted_reply_id: number | null }>(
  perDialect((ids) => `select entity_id, title, excerpt, reply_count, accepted_reply_id from discussion_topics where ${ids('entity_id')}`),
);
const FEED_REPLIES = preparedRead<{ id: number; body: string }>(
  perDialect((ids) => `select id, body from discussion_replies where ${ids('id')} and deleted_at is null`),
);

export const TOPIC = 'topic';

/** A topic by id (every page about a topic starts here): kept prepared. */
const TOPIC_BY_ID = preparedRead<TopicRow>(
  `select e.*, d.* from entities e join discussion_topics d on d.entity_id = e.id where e.id = ? and e.type = '${TOPIC}'`,
);
/**
 * The topic page's read (issue 18): the topic, its author's card, where the viewer (id, 0 for
 * nobody) stands (subscription, read marker), how many replies are withheld (through the partial
 * index of withheld rows) and whether it has tags: one statement. Most topics have neither withheld
 * replies nor tags, and then there is nothing more to read for them.
 */
const TOPIC_PAGE = preparedRead<TopicRow & Record<`author_${'username' | 'display_name' | 'photo_key'}` | `page_${string}`, unknown>>(
  `select e.*, d.*, u.username as author_username, u.display_name as author_display_name, u.photo_key as author_photo_key,
  (select active from discussion_subscriptions where topic_id = e.id and user_id = ?) as page_subscribed,
  (select last_read_reply_id from topic_reads where topic_id = e.id and user_id = ?) as page_last_read,
  (select count(*) from discussion_replies where topic_id = e.id and withheld) as page_withheld,
  (select count(*) from entity_tags where entity_id = e.id) as page_tags
  from entities e join discussion_topics d on d.entity_id = e.id join users u on u.id = e.owner_id where e.id = ? and e.type = '${TOPIC}'`,
);

/** A topic as its page reads it (`TopicsService.findForPage`). */
export interface TopicPage {
  topic: TopicRow;
  author: { username: string; display_name: string; photo_key: string | null };
  subscribed: boolean;
  lastRead: number | null;
  /** The topic's withheld replies (deleted ones included): none means nothing is hidden from anyone. */
  withheld: number;
  /** Whether it has tags (`entities.tagsOf`). */
  tagged: boolean;
}

export const MAX_TITLE = 200;
export const MAX_BODY = 50_000;
export const PAGE_SIZE = 20;
export const FILTERS = ['all', 'unanswered'] as const;
export type Filter = (typeof FILTERS)[number];

export type Problems = FieldProblems;

export interface TopicInput {
  title: string;
  body: string;
  tags: string;
  access: string;
  containerId: number | null;
}

export type CleanTopic = CleanArticle;

export interface TopicRow extends ArticleRow {
  locked: boolean;
  pinned: boolean;
  accepted_reply_id: number | null;
  reply_seq: number;
  reply_count: number;
  last_reply_id: number | null;
  last_activity_at: number;
  edited_at: number | null;
}

export interface TopicItem {
  id: number;
  owner_id: number;
  container_id: number | null;
  access: string;
  title: string;
  excerpt: string;
  locked: boolean;
  pinned: boolean;
  accepted_reply_id: number | null;
  reply_count: number;
  last_reply_id: number | null;
  last_activity_at: number;
  created_at: number;
  username: string;
  display_name: string;
  photo_key: string | null;
  /** The viewer has not read the topic, or it has replies newer than what they read. */
  unread: boolean;
}

export interface ListQuery {
  /** undefined: every topic of the network; a number: only that container's. */
  containerId?: number;
  filter?: Filter;
  tag?: string;
  page?: number;
  limit?: number;
  /** Keyset instead of `page`: the topics after (or before) this one's sort key (`LIST_CURSOR`). */
  after?: readonly [number, number, number];
  before?: readonly [number, number, number];
}

/** The lists' order: pinned first, then by last activity, the id breaking ties; the kinds of its cursor's parts (pinned as 1 or 0). */
export const LIST_CURSOR = ['int', 'int', 'int'] as const;
const LIST_ORDER = keysetOrder(
  LIST_CURSOR,
  [
    { sql: 'd.pinned', desc: true },
    { sql: 'd.last_activity_at', desc: true },
    { sql: 'd.entity_id', desc: true },
  ],
  (r: TopicItem) => [r.pinned ? 1 : 0, Number(r.last_activity_at), Number(r.id)],
);

/** The `discussion_topics` row of a new topic, without replies yet. */
export function newTopicRow(
  entityId: number,
  networkId: number,
  containerId: number | null,
  topic: { title: string; body: string },
  at: number,
): Record<string, unknown> {
  const html = renderMarkdown(topic.body);
  return {
    entity_id: entityId,
    network_id: networkId,
    container_id: containerId,
    title: topic.title,
    body: topic.body,
    body_html: html,
    excerpt: excerptOf(html),
    locked: false,
    pinned: false,
    reply_seq: 0,
    reply_count: 0,
    last_activity_at: at,
  };
}

const NUMERIC = [
  'id',
  'owner_id',
  'network_id',
  'created_at',
  'deleted_at',
  'container_id',
  'accepted_reply_id',
  'reply_seq',
  'reply_count',
  'last_reply_id',
  'last_activity_at',
  'edited_at',
  'last_read_reply_id',
];

export const normalise = <T>(row: T): T => typedRow(row, { numbers: NUMERIC, flags: ['locked', 'pinned', 'unread', 'withheld'] });

export class TopicsService {
  /** The core services it uses: all it is given (`registerService` in plugin.ts). */
  static readonly uses = ['db', 'access', 'activity', 'containers', 'entities', 'hooks', 'mentions', 'networks', 'pluginState'] as const;
  private readonly db: Runtime['db'];
  constructor(private readonly rt: Pick<Runtime, (typeof TopicsService.uses)[number]>) {
    this.db = rt.db;
  }

  defaultAccess(networkId: number): AccessLevel {
    const v = this.rt.pluginState.settings('discussions', networkId).defaultAccess;
    return isAccessLevel(v) && this.accessLevels(networkId).includes(v) ? v : 'members';
  }

  repliesPerPage(networkId: number): number {
    const v = Number(this.rt.pluginState.settings('discussions', networkId).repliesPerPage);
    return Number.isInteger(v) && v >= 5 && v <= 100 ? v : PAGE_SIZE;
  }

  /** Levels offered outside a container: never friends or private (a discussion is for others). */
  accessLevels(networkId: number): AccessLevel[] {
    return this.rt.access.offeredLevels(networkId, { personal: false });
  }

  /** A member may post into a container when they belong to it, or moderate the network. */
  async canPostIn(viewer: Viewer | null, containerId: number, networkId: number): Promise<boolean> {
    if (!viewer) return false;
    const c = await this.rt.containers.policy(viewer, containerId, networkId);
    if (c.type === null || c.type === TOPIC) return false;
    // A container is an entity with members; moderators may post into any container of their network.
    if (!c.role && !(c.hasMembers && this.rt.access.canModerate(viewer, { network_id: networkId }))) return false;
    // A group answers for itself (an archived group takes no topics); other containers go by membership.
    return c.type !== 'group' || c.canPost;
  }

  async requireContainer(viewer: Viewer, containerId: number, networkId: number): Promise<void> {
    if (!(await this.canPostIn(viewer, containerId, networkId))) throw new HttpError(404, 'discussions.errors.noContainer');
  }

  validate(networkId: number, input: TopicInput, existing?: TopicRow): { clean?: CleanTopic; problems: Problems } {
    const containerId = existing ? existing.container_id : input.containerId;
    return validateArticle(input, {
      prefix: 'discussions',
      maxTitle: MAX_TITLE,
      maxBody: MAX_BODY,
      levels: this.accessLevels(networkId),
      inContainer: !!containerId,
      currentAccess: existing?.access,
    });
  }

  /**
   * Starts a topic. `held`: the core's screening holds it for review — saved withheld (its
   * author's and moderators' only) and announced to nobody until a reviewer publishes it.
   */
  async create(viewer: Viewer, networkId: number, containerId: number | null, topic: CleanTopic, held = false): Promise<number> {
    const now = Date.now();
    const access = containerId ? 'group' : topic.access;
    const mentions = await this.rt.mentions.prepare({ networkId, authorId: viewer.id, text: topic.body, markdown: true });
    const id = await this.db.transaction(async (trx) => {
      const entityId = await this.rt.entities.create(
        { type: TOPIC, ownerId: viewer.id, networkId, access, containerId, createdAt: now, withheld: held },
        trx,
      );
      const row = newTopicRow(entityId, networkId, containerId, topic, now);
      await trx('discussion_topics').insert(row);
      await this.rt.entities.setTags(entityId, articleTags(topic.tags, String(row.body_html)), trx);
      await this.rt.mentions.save(mentions, { entityId }, trx);
      await trx('discussion_revisions').insert({
        topic_id: entityId,
        reply_id: null,
        title: topic.title,
        body: topic.body,
        editor_id: viewer.id,
        created_at: now,
      });
      await trx('discussion_subscriptions').insert({ topic_id: entityId, user_id: viewer.id, active: true, created_at: now });
      await trx('topic_reads').insert({ user_id: viewer.id, topic_id: entityId, last_read_reply_id: 0, read_at: now });
      await this.rt.activity.record({ verb: 'started', actorId: viewer.id, entityId, networkId, at: now }, trx);
      return entityId;
    });
    if (held) return id;
    await this.rt.hooks.emit('discussions:started', { networkId, topicId: id, authorId: viewer.id, containerId });
    await this.rt.mentions.notify(mentions, { entityId: id, source: 'topic' });
    return id;
  }

  /** Saves an edit (`held`: as for `create`, the topic becomes withheld; an edit never clears it). */
  async update(viewer: Viewer, old: TopicRow, topic: CleanTopic, held = false): Promise<void> {
    const now = Date.now();
    const html = renderMarkdown(topic.body);
    const changed = topic.title !== old.title || topic.body !== old.body;
    const mentions = await this.rt.mentions.prepare({
      networkId: Number(old.network_id),
      authorId: Number(old.owner_id),
      text: topic.body,
      markdown: true,
    });
    await this.db.transaction(async (trx) => {
      await trx('discussion_topics')
        .where({ entity_id: old.id })
        .update({ title: topic.title, body: topic.body, body_html: html, excerpt: excerptOf(html), edited_at: changed ? now : old.edited_at });
      await this.rt.entities.setTags(old.id, articleTags(topic.tags, html), trx);
      await this.rt.mentions.save(mentions, { entityId: old.id }, trx);
      await this.rt.entities.update(
        old.id,
        { ...(topic.access !== old.access && !old.container_id ? { access: topic.access } : {}), ...(held ? { withheld: true } : {}) },
        trx,
      );
      if (changed)
        await trx('discussion_revisions').insert({
          topic_id: old.id,
          reply_id: null,
          title: topic.title,
          body: topic.body,
          editor_id: viewer.id,
          created_at: now,
        });
    });
    if (!held) await this.rt.mentions.notify(mentions, { entityId: old.id, source: 'topic' });
  }

  async remove(topic: TopicRow): Promise<void> {
    await this.db.transaction(async (trx) => {
      await this.rt.entities.softDelete(topic.id, trx);
      await this.rt.activity.remove(topic.id, {}, trx);
    });
    // Its replies' attached files go with it.
    await attachmentsDeleted(this.rt, topic.network_id, { entityIds: [topic.id] });
  }

  async setFlag(topic: TopicRow, flag: 'locked' | 'pinned', on: boolean): Promise<void> {
    await this.db('discussion_topics')
      .where({ entity_id: topic.id })
      .update({ [flag]: on });
  }

  /**
   * Moves a topic into a container (it takes the `group` level, as every topic posted there)
   * or out to the network (a `group` topic becomes the network's default level).
   */
  async move(topic: TopicRow, containerId: number | null): Promise<void> {
    const access: AccessLevel = containerId
      ? 'group'
      : topic.access === 'group'
        ? this.defaultAccess(topic.network_id)
        : (topic.access as AccessLevel);
    await this.db.transaction(async (trx) => {
      await this.rt.entities.update(topic.id, { containerId, access }, trx);
      await trx('discussion_topics').where({ entity_id: topic.id }).update({ container_id: containerId });
    });
  }

  /** What feed entries show of these topics, and of the (not deleted) replies among `replyIds`: two statements. */
  feedSummaries(
    ids: readonly number[],
    replyIds: readonly number[],
  ): Promise<
    [{ entity_id: number; title: string; excerpt: string; reply_count: number; accepted_reply_id: number | null }[], { id: number; body: string }[]]
  > {
    return Promise.all([
      FEED_TOPICS.all(this.db, [idList(ids)]),
      replyIds.length ? FEED_REPLIES.all(this.db, [idList(replyIds)]) : Promise.resolve([]),
    ]);
  }

  /** Containers of the network a topic may move to: ones with members, by id. */
  async moveTargets(networkId: number, except: number | null): Promise<{ id: number; type: string; members: number }[]> {
    return (await this.rt.containers.ofNetwork(networkId, [TOPIC])).filter((c) => c.id !== except);
  }

  /** A topic by id (deleted ones included: callers check visibility). */
  async find(id: number, trx: Knex = this.db): Promise<TopicRow | undefined> {
    if (!Number.isSafeInteger(id) || id <= 0) return undefined;
    const row = await TOPIC_BY_ID.first(trx, [id]);
    return row ? normalise({ ...row, id }) : undefined;
  }

  /** A topic by id (deleted ones included: callers check visibility) as its page reads it, for viewer `viewerId` (0: nobody). */
  async findForPage(id: number, viewerId: number): Promise<TopicPage | undefined> {
    if (!Number.isSafeInteger(id) || id <= 0) return undefined;
    const row = await TOPIC_PAGE.first(this.db, [viewerId, viewerId, id]);
    if (!row) return undefined;
    const { author_username, author_display_name, author_photo_key, page_subscribed, page_last_read, page_withheld, page_tags, ...topic } = row;
    return {
      topic: normalise({ ...topic, id }),
      author: {
        username: String(author_username),
        display_name: String(author_display_name),
        photo_key: (author_photo_key as string | null) ?? null,
      },
      subscribed: page_subscribed === true || Number(page_subscribed) === 1,
      lastRead: page_last_read == null ? null : Number(page_last_read),
      withheld: Number(page_withheld),
      tagged: Number(page_tags) > 0,
    };
  }

  /**
   * Topics the viewer may see, pinned first, then by last activity; one page by keyset (the
   * pages' and the API's cursors); a numbered page (older API clients) skips rows.
   */
  async list(viewer: Viewer | null, networkId: number, q: ListQuery = {}): Promise<KeysetPage<TopicItem> & { more: boolean }> {
    const { cursor, limit } = pageRequest(q, PAGE_SIZE);
    const db = this.db;
    const query = db('discussion_topics as d')
      .join('entities as e', 'e.id', 'd.entity_id')
      .join('users as u', 'u.id', 'e.owner_id')
      .where('d.network_id', networkId)
      .where('u.status', 'active')
      .modify(this.rt.access.visibleTo(viewer, 'e'))
      .select(
        'e.id',
        'e.owner_id',
        'e.container_id',
        'e.access',
        'e.created_at',
        'd.title',
        'd.excerpt',
        'd.locked',
        'd.pinned',
        'd.accepted_reply_id',
        'd.last_reply_id',
        'd.last_activity_at',
        'u.username',
        'u.display_name',
        'u.photo_key',
      );
    const reader = pieceReader(this.rt, viewer, networkId);
    query.select(replyCountFor(db, reader));
    if (q.containerId !== undefined) query.where('d.container_id', q.containerId);
    // The replies the reader sees, as the counts: a topic whose only reply is hidden from them is unanswered to them.
    if (q.filter === 'unanswered') query.modify(unansweredFor(db, reader));
    if (q.tag !== undefined)
      query.whereExists((s) => s.select(db.raw('1')).from('entity_tags as et').where('et.entity_id', db.ref('e.id')).where('et.tag', q.tag!));
    if (viewer) {
      query.leftJoin('topic_reads as tr', (j) => j.on('tr.topic_id', '=', 'd.entity_id').andOn('tr.user_id', '=', db.raw('?', [viewer.id])));
      query.select(db.raw('case when tr.user_id is null or coalesce(d.last_reply_id, 0) > tr.last_read_reply_id then 1 else 0 end as unread'));
    }
    const listed = await readPage(query, LIST_ORDER, cursor, limit, async (built) =>
      ((await built) as TopicItem[]).map((r) => normalise({ ...r, unread: viewer ? r.unread : false })),
    );
    return { ...listed, more: listed.next !== null };
  }

  async revisions(
    topicId: number,
    replyId: number | null,
  ): Promise<{ id: number; title: string | null; body: string; created_at: number; display_name: string; username: string }[]> {
    const q = this.db('discussion_revisions as r')
      .join('users as u', 'u.id', 'r.editor_id')
      .where('r.topic_id', topicId)
      .orderBy('r.id', 'desc')
      .select('r.id', 'r.title', 'r.body', 'r.created_at', 'u.display_name', 'u.username');
    if (replyId === null) q.whereNull('r.reply_id');
    else q.where('r.reply_id', replyId);
    return (await q).map((r: Record<string, unknown>) => ({ ...r, id: Number(r.id), created_at: Number(r.created_at) })) as never;
  }
}
