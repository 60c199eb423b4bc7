/**
 * Status posts: create, edit, delete, pin as an announcement; mentions and hashtags;
 * hashtag follows. Every refusal is a localised HttpError thrown before anything changes.
 * Mention events fire after the transaction, only for members who can see the post.
 */
import type { Knex } from 'knex';
import {
  BOT_KIND,
  attachmentsDeleted,
  contentScreened,
  extractHashtags,
  HttpError,
  idList,
  isAccessLevel,
  likePrefix,
  MAX_RANGES,
  perDialect,
  preparedBuilder,
  preparedRead,
  screenContent,
  type AccessLevel,
  type FeedQuery,
  type Screening,
  type RiverRanges,
  type Runtime,
  type Viewer,
} from '../../core';
import { followeesOf } from '../connections/api';

export const STATUS = 'status';

/**
 * Status posts' bodies with their entity's version (core migration 049) and their mentioned
 * (active) members, one row per mention; kept prepared.
 */
const BODIES = preparedRead<{
  entity_id: number;
  body: string;
  edited_at: number | string | null;
  version: number | string;
  username: string | null;
}>(
  perDialect(
    (ids) => `select s.entity_id, s.body, s.edited_at, e.version, u.username from status_posts as s
join entities as e on e.id = s.entity_id
left join content_mentions as m on m.entity_id = s.entity_id and m.object_id = 0
left join users as u on u.id = m.user_id and u.status = 'active'
where ${ids('s.entity_id')}`,
  ),
);

/** A status post's body as its views read it; `version` is its entity's (`entities.version`). */
export interface StatusBody {
  body: string;
  editedAt: number | null;
  version: number;
  mentions: string[];
}

/** The `connected` acts of connection entities (their object is the other member); kept prepared. */
const CONNECTED = preparedRead<{ entity_id: number; object_id: number | null }>(
  perDialect((ids) => `select entity_id, object_id from activity where ${ids('entity_id')} and verb = 'connected'`),
);

/** Entities pinned in a network until later than now (by their own index); kept prepared. */
const PINNED = preparedRead<{ id: number }>('select id from entities where pinned_until > ? and network_id = ? and deleted_at is null limit 200');

/** Kinds of the home feed's source lists (`SOURCE_LISTS`): by actor, by container, by entity, a followed tag's network. */
const BY_ACTOR = 1;
const BY_CONTAINER = 2;
const BY_ENTITY = 3;
const TAG_NETWORK = 4;

/**
 * The lists of a member's home feed sources in one statement, kept prepared (issue 18): people I
 * follow and my connections (by actor), my groups (by container), what I own and where I am
 * mentioned (by entity), the networks where I follow a tag. The same lists as `homeSources`' clause;
 * no more rows than the river reads as ranges (more, and it walks).
 */
const SOURCE_LISTS = preparedBuilder<{ k: number | string; v: number | string }>((db, me) => {
  const list = (kind: number, table: string, where: Record<string, unknown>, column: string) =>
    db(table)
      .where(where)
      .select(db.raw(`${kind} as k`), `${column} as v`);
  return db
    .from(followeesOf(db, me).as('f'))
    .select(db.raw(`${BY_ACTOR} as k`), 'followee_id as v')
    .unionAll(list(BY_ACTOR, 'user_relations', { user_id: me, kind: 'friend' }, 'other_id'))
    .unionAll(list(BY_CONTAINER, 'container_members', { user_id: me }, 'container_id'))
    .unionAll(list(BY_ENTITY, 'entities', { owner_id: me }, 'id'))
    .unionAll(list(BY_ENTITY, 'content_mentions', { user_id: me }, 'entity_id'))
    .unionAll(list(TAG_NETWORK, 'tag_follows', { user_id: me }, 'network_id'))
    .limit(MAX_RANGES + 1);
});

export interface StatusInput {
  body: string;
  access: string;
  containerId?: number | null;
  /** Set by validate(): the core's screening of the body (`content:saving`), for create/edit to report. */
  screened?: Screening;
}

export interface StatusRow {
  id: number;
  owner_id: number;
  network_id: number;
  container_id: number | null;
  access: string;
  deleted_at: number | null;
  pinned_until: number | null;
  published: boolean | number;
  withheld: boolean | number;
  created_at: number;
  body: string;
  edited_at: number | null;
  type: string;
}

export class StatusService {
  /** The core services it uses: all it is given (`registerService` in plugin.ts). */
  static readonly uses = ['db', 'access', 'activity', 'containers', 'entities', 'hooks', 'mentions', 'pluginState', 'users'] as const;
  private readonly db: Runtime['db'];
  constructor(private readonly rt: Pick<Runtime, (typeof StatusService.uses)[number]>) {
    this.db = rt.db;
  }

  /** Home feed sources: me, people I follow, my connections, my groups, tags I follow, mentions of me. */
  homeSources(viewer: Viewer, networkId: number): Required<Pick<FeedQuery, 'where' | 'whereKey' | 'ranges'>> {
    const db = this.db;
    // The key names the clauses below, all a function of the viewer's id and the network's.
    const whereKey = `home:${viewer.id}:${networkId}`;
    const where = (qb: Knex.QueryBuilder): Knex.QueryBuilder =>
      qb.where((w) => {
        // Every test reads the act's own columns (`activity.container_id` repeats its entity's,
        // migration 016), which core migration 044 puts in the index the river walks: SQLite drops
        // the acts from elsewhere on the index entry, before it reads their row, entity and actor
        // (715 acts walked for 61 kept on the bench's home feed). One list per column (people I
        // follow with my connections, what I own with where I am mentioned): a walked act is looked
        // up in three lists, not five.
        w.where('a.actor_id', viewer.id)
          .orWhereIn(
            'a.actor_id',
            followeesOf(db, viewer.id).unionAll(db('user_relations').where({ user_id: viewer.id, kind: 'friend' }).select('other_id')),
          )
          .orWhereIn('a.container_id', this.rt.containers.idsOf(viewer.id))
          .orWhereIn(
            'a.entity_id',
            db('entities').where('owner_id', viewer.id).select('id').unionAll(db('content_mentions').where('user_id', viewer.id).select('entity_id')),
          )
          // Tags I follow: the first test does not depend on the row, so the database answers it
          // once and skips the per-row lookup for the many members who follow no tag.
          .orWhere((tags) =>
            tags
              .whereExists((s) => s.select(db.raw('1')).from('tag_follows as tg').where('tg.user_id', viewer.id).where('tg.network_id', networkId))
              .whereExists((s) =>
                s
                  .select(db.raw('1'))
                  .from('entity_tags as ht')
                  .join('tag_follows as tf', 'tf.tag', 'ht.tag')
                  .where('ht.entity_id', db.ref('a.entity_id'))
                  .where('tf.user_id', viewer.id)
                  .where('tf.network_id', networkId),
              ),
          );
      });
    return { where, whereKey, ranges: () => this.homeRanges(viewer.id, networkId) };
  }

  /**
   * The home feed's sources as lists for the river's ranges (`FeedQuery.ranges`): the clause's lists
   * read once; null (the river walks) when they are long or I follow a tag in the network (a source with no range of its own).
   */
  private async homeRanges(userId: number, networkId: number): Promise<RiverRanges | null> {
    const actorIds = [userId];
    const containerIds: number[] = [];
    const entityIds: number[] = [];
    const rows = await SOURCE_LISTS.all(this.db, userId);
    if (rows.length > MAX_RANGES) return null;
    for (const row of rows) {
      const kind = Number(row.k);
      const value = Number(row.v);
      if (kind === TAG_NETWORK && value === networkId) return null;
      if (kind === BY_ACTOR) actorIds.push(value);
      else if (kind === BY_CONTAINER) containerIds.push(value);
      else if (kind === BY_ENTITY) entityIds.push(value);
    }
    return { actorIds, containerIds, entityIds };
  }

  /** Bodies of status posts with the usernames of their active mentioned members, in one query. */
  async bodies(ids: readonly number[]): Promise<Map<number, StatusBody>> {
    const out = new Map<number, StatusBody>();
    if (!ids.length) return out;
    const rows = await BODIES.all(this.db, [idList(ids)]);
    for (const r of rows) {
      const id = Number(r.entity_id);
      const post = out.get(id) ?? {
        body: r.body,
        editedAt: r.edited_at === null || r.edited_at === undefined ? null : Number(r.edited_at),
        version: Number(r.version),
        mentions: [],
      };
      if (r.username) post.mentions.push(r.username);
      out.set(id, post);
    }
    return out;
  }

  /** Entities pinned in a network until later than now (at most 200), by their own index. */
  async pinnedIds(networkId: number): Promise<number[]> {
    return (await PINNED.all(this.db, [Date.now(), networkId])).map((r) => Number(r.id));
  }

  /** The other member of each connection entity (by entity id), the object of its `connected` act. */
  async connectedWith(connectionIds: readonly number[]): Promise<Map<number, number>> {
    const out = new Map<number, number>();
    if (!connectionIds.length) return out;
    const rows = await CONNECTED.all(this.db, [idList(connectionIds)]);
    for (const r of rows) if (r.object_id !== null) out.set(Number(r.entity_id), Number(r.object_id));
    return out;
  }

  maxLength(networkId: number): number {
    return Number(this.rt.pluginState.settings('activity', networkId).maxLength ?? 1000);
  }

  defaultAccess(networkId: number): AccessLevel {
    const v = this.rt.pluginState.settings('activity', networkId).defaultAccess;
    return isAccessLevel(v) ? v : 'members';
  }

  /** Field errors (i18n keys) for a status form; empty when it may be saved. */
  async validate(viewer: Viewer, networkId: number, input: StatusInput): Promise<Record<string, { key: string; params?: Record<string, unknown> }>> {
    const errors: Record<string, { key: string; params?: Record<string, unknown> }> = {};
    const body = input.body.trim();
    const max = this.maxLength(networkId);
    if (!body) errors.body = { key: 'activity.errors.empty' };
    else if (body.length > max) errors.body = { key: 'activity.errors.tooLong', params: { max } };
    if (!isAccessLevel(input.access)) errors.access = { key: 'activity.errors.access' };
    else if (input.access === 'group' && !input.containerId) errors.access = { key: 'activity.errors.groupOnly' };
    if (input.containerId) {
      const policy = await this.rt.containers.policy(viewer, input.containerId, networkId);
      if (!policy.canPost) errors.access = { key: 'activity.errors.container' };
      else if (!policy.allowedAccess.includes(input.access as AccessLevel)) errors.access = { key: 'activity.errors.access' };
    }
    if (!errors.body) {
      // Every piece of content goes through the core's screening before it is saved (core/content/screening.ts).
      const screened = await screenContent(this.rt, { networkId, authorId: viewer.id, kind: STATUS, texts: { body } });
      if (screened.problems.body) errors.body = screened.problems.body;
      else Object.assign(input, { body: screened.texts.body, screened });
    }
    return errors;
  }

  async create(viewer: Viewer, networkId: number, input: StatusInput): Promise<number> {
    const body = input.body.trim();
    const mentions = await this.rt.mentions.prepare({ networkId, authorId: viewer.id, text: body });
    const id = await this.db.transaction(async (trx) => {
      const entityId = await this.rt.entities.create(
        { type: STATUS, ownerId: viewer.id, networkId, access: input.access as AccessLevel, containerId: input.containerId ?? null },
        trx,
      );
      await trx('status_posts').insert({ entity_id: entityId, body });
      await this.rt.entities.setTags(entityId, extractHashtags(body), trx);
      await this.rt.mentions.save(mentions, { entityId }, trx);
      await this.rt.activity.record({ verb: 'posted', actorId: viewer.id, entityId, networkId }, trx);
      return entityId;
    });
    if (input.screened) await contentScreened(this.rt, input.screened, { entityId: id });
    await this.rt.hooks.emit('activity:posted', { networkId, entityId: id, actorId: viewer.id });
    await this.rt.mentions.notify(mentions, { entityId: id, source: STATUS });
    return id;
  }

  async edit(viewer: Viewer, post: StatusRow, body: string, screened?: Screening): Promise<void> {
    body = body.trim();
    const networkId = Number(post.network_id);
    const mentions = await this.rt.mentions.prepare({ networkId, authorId: viewer.id, text: body });
    await this.db.transaction(async (trx) => {
      await trx('status_posts').where({ entity_id: post.id }).update({ body, edited_at: Date.now() });
      await this.rt.entities.setTags(post.id, extractHashtags(body), trx);
      await this.rt.mentions.save(mentions, { entityId: post.id }, trx);
      await this.rt.entities.update(post.id, {}, trx);
    });
    if (screened) await contentScreened(this.rt, screened, { entityId: post.id });
    await this.rt.mentions.notify(mentions, { entityId: post.id, source: STATUS });
  }

  async remove(post: StatusRow): Promise<void> {
    await this.db.transaction(async (trx) => {
      await this.rt.entities.softDelete(post.id, trx);
      await this.rt.activity.remove(post.id, {}, trx);
    });
    // Its attached files (and its comments') go with it.
    await attachmentsDeleted(this.rt, Number(post.network_id), { entityIds: [post.id] });
  }

  async pin(post: StatusRow, until: number | null): Promise<void> {
    await this.rt.entities.update(post.id, { pinnedUntil: until });
    if (until) await this.rt.hooks.emit('activity:announced', { networkId: Number(post.network_id), entityId: post.id, until });
  }

  /** A status post by id (deleted ones included: callers check visibility). */
  async find(id: number): Promise<StatusRow | undefined> {
    if (!Number.isSafeInteger(id) || id <= 0) return undefined;
    const row = (await this.db('entities as e')
      .join('status_posts as s', 's.entity_id', 'e.id')
      .where('e.id', id)
      .where('e.type', STATUS)
      .first('e.*', 's.body', 's.edited_at')) as StatusRow | undefined;
    return row ? { ...row, id: Number(row.id) } : undefined;
  }

  async followTag(userId: number, networkId: number, tag: string): Promise<boolean> {
    const exists = await this.db('tag_follows').where({ user_id: userId, network_id: networkId, tag }).first('tag');
    if (exists) return false;
    await this.db('tag_follows').insert({ user_id: userId, network_id: networkId, tag, created_at: Date.now() });
    return true;
  }

  async unfollowTag(userId: number, networkId: number, tag: string): Promise<boolean> {
    return Number(await this.db('tag_follows').where({ user_id: userId, network_id: networkId, tag }).delete()) > 0;
  }

  async followsTag(userId: number, networkId: number, tag: string): Promise<boolean> {
    return !!(await this.db('tag_follows').where({ user_id: userId, network_id: networkId, tag }).first('tag'));
  }

  async followedTags(userId: number, networkId: number): Promise<string[]> {
    return (await this.db('tag_follows').where({ user_id: userId, network_id: networkId }).orderBy('tag').pluck('tag')) as string[];
  }

  /** Members the viewer may mention, for the autocomplete (prefix of username or name). */
  async suggestMentions(
    viewer: Viewer,
    networkId: number,
    prefix: string,
    limit = 8,
  ): Promise<{ username: string; displayName: string; isBot: boolean }[]> {
    if (!prefix) return [];
    const p = likePrefix(prefix);
    const rows = (await this.db('users as u')
      .join('memberships as m', 'm.user_id', 'u.id')
      .where('m.network_id', networkId)
      .where('u.status', 'active')
      .whereNot('u.id', viewer.id)
      .where((w) => w.whereRaw("u.username_lower like ? escape '\\'", [p]).orWhereRaw("lower(u.display_name) like ? escape '\\'", [p]))
      .orderBy('u.username_lower')
      .limit(limit)
      .select('u.username', 'u.display_name', 'u.kind')) as { username: string; display_name: string; kind: string }[];
    return rows.map((r) => ({ username: r.username, displayName: r.display_name, isBot: r.kind === BOT_KIND }));
  }
}

export function notFound(): HttpError {
  return new HttpError(404, 'activity.errors.notFound');
}
