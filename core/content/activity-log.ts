/**
 * The river. Plugins record one row per meaningful act (posted, published, commented,
 * liked, joined, connected) about an entity; every read joins the entity and applies the
 * access clause in the same query, so a row is never seen by someone who cannot see its
 * entity. Rows of members who are no longer active are left out. Pages are keyset
 * ("older than id N"), never OFFSET.
 */
import type { Knex } from 'knex';
import type { Access } from '../access/access';
import type { Viewer } from '../auth/viewer';
import { idList, KeptBuilds, perDialect, preparedRead } from '../db/statements';
import { MAX_RANGES, RangeMerge, rangeCount, type RiverRanges } from './river-ranges';

export type { RiverRanges } from './river-ranges';

export interface ActivityInput {
  verb: string;
  actorId: number;
  entityId: number;
  networkId: number;
  /** What the act produced inside the entity, e.g. the comment of a `commented` row. */
  objectId?: number | null;
  at?: number;
}

export interface ActivityItem {
  id: number;
  verb: string;
  actorId: number;
  entityId: number;
  objectId: number | null;
  networkId: number;
  createdAt: number;
  entityType: string;
  ownerId: number;
  containerId: number | null;
  access: string;
  pinnedUntil: number | null;
  /** The entity's version (`entities.version`): a kept card's key before any describe (plugins/activity/feed.ts). */
  entityVersion: number;
}

export interface FeedQuery {
  /** Only rows recorded in these networks. */
  networkIds?: readonly number[];
  actorId?: number;
  /** Only rows about these entities (found first through an index of their own). */
  entityIds?: readonly number[];
  /** Only rows about entities in this container (a group). */
  containerId?: number;
  /** Only rows about entities carrying this tag. */
  tag?: string;
  entityTypes?: readonly string[];
  verbs?: readonly string[];
  /**
   * Extra conditions on `a` (activity), `e` (entities), e.g. the home feed's "people I
   * follow or my groups". Receives the query builder; must only add where clauses.
   */
  where?: (qb: Knex.QueryBuilder) => void;
  /**
   * Names `where` fully for the viewer the feed is read for (the same name, the same clauses):
   * with it the river's statement is built once per viewer and filters and kept (without it, a
   * `where` makes the text be built on each call).
   */
  whereKey?: string;
  /**
   * The `where`'s sources as lists (issue 18), read when a page is asked for: when they are few, the
   * river reads each one's newest acts on its own index and applies its statement to those alone
   * (the same rows as the walk of the network's acts); null, or too many, and it walks.
   */
  ranges?: () => Promise<RiverRanges | null>;
  /** Keyset: rows with an id below this one. */
  before?: number;
  limit?: number;
}

export interface FeedPage {
  items: ActivityItem[];
  /** The `before` value of the next (older) page, or null at the end. */
  older: number | null;
}

export const FEED_PAGE_SIZE = 20;

/** Texts of the river kept by viewer and filters: a page of it no longer pays knex's build (issue 18). */
const RIVER = new KeptBuilds(512);

/** The river among a list of acts (the candidates of its ranges), bound as one JSON array. */
const IDS = perDialect((ids) => ids('a.id'));
const IDS_MARKER = '\u0000river-candidates';
/** The lowest act of a bounded walk (`rows`' `after`), a binding of each call. */
const AFTER_MARKER = -7_340_033_161;

/**
 * How many of the network's newest acts the home feed walks before it reads its sources' ranges
 * (issue 18): a member whose sources make much of the traffic has a page there, at the walk's cost.
 */
const WALK_FIRST = 8000;

/** The newest act's id (the first page's top). */
const NEWEST = preparedRead<{ id: number | string | null }>('select max(id) as id from activity');

/** Longest key of a kept river text; longer filters (long id lists) are built on each call. */
const MAX_KEY = 4096;

export class ActivityLog {
  /** How many act ids below the page's top the home feed walks before it reads its sources' ranges (tests lower it). */
  walkFirst = WALK_FIRST;

  constructor(
    private readonly db: Knex,
    private readonly access: Access,
  ) {}

  async record(a: ActivityInput, trx: Knex = this.db): Promise<number> {
    const [row] = await trx('activity')
      .insert({
        verb: a.verb,
        actor_id: a.actorId,
        entity_id: a.entityId,
        network_id: a.networkId,
        object_id: a.objectId ?? null,
        // The entity's container, read in the same statement (a group's feed pages by it).
        container_id: trx('entities').where('id', a.entityId).select('container_id'),
        created_at: a.at ?? Date.now(),
      })
      .returning('id');
    return Number(typeof row === 'object' ? row.id : row);
  }

  /** Removes rows about an entity (or only those about one object inside it). */
  async remove(entityId: number, opts: { verb?: string; objectId?: number; actorId?: number } = {}, trx: Knex = this.db): Promise<void> {
    const q = trx('activity').where({ entity_id: entityId });
    if (opts.verb) q.where({ verb: opts.verb });
    if (opts.objectId !== undefined) q.where({ object_id: opts.objectId });
    if (opts.actorId !== undefined) q.where({ actor_id: opts.actorId });
    await q.delete();
  }

  async list(viewer: Viewer | null, query: FeedQuery = {}): Promise<FeedPage> {
    const limit = Math.min(Math.max(query.limit ?? FEED_PAGE_SIZE, 1), 100);
    const rows = query.ranges ? await this.bySources(viewer, query, limit + 1) : await this.rows(viewer, query, limit + 1);
    const more = rows.length > limit;
    const items = rows.slice(0, limit).map(toItem);
    return { items, older: more ? items[items.length - 1].id : null };
  }

  /**
   * The newest `n` rows of a river with `ranges`: its newest `walkFirst` acts walked first (enough
   * when the sources make much of the traffic: the walk of today), then, below them, the sources'
   * ranges when they are few, else the walk on. The work is bounded by `walkFirst` and the page.
   */
  private async bySources(viewer: Viewer | null, query: FeedQuery, n: number): Promise<Record<string, unknown>[]> {
    // Acts are numbered across networks: the `walkFirst` ids below `before` hold at most as many of this network's.
    const top = query.before ?? Number((await NEWEST.first(this.db, []))?.id ?? 0) + 1;
    const after = top - this.walkFirst;
    const first = await this.rows(viewer, query, n, { after: Math.max(after, 0) });
    if (first.length >= n || after <= 0) return first;
    const below = { ...query, before: after };
    const sources = await query.ranges!();
    const rest =
      sources && rangeCount(sources) <= MAX_RANGES
        ? await this.byRanges(viewer, below, sources, n - first.length)
        : await this.rows(viewer, below, n - first.length);
    return first.concat(rest);
  }

  /**
   * The newest `n` rows of the river from its sources' ranges: the statement applied to the acts
   * the merge hands out (twice as many as wanted: an access clause drops some), page after page
   * below their floor until `n` rows (or the walk after a few), so the rows are those `rows` answers.
   */
  private async byRanges(viewer: Viewer | null, query: FeedQuery, sources: RiverRanges, n: number): Promise<Record<string, unknown>[]> {
    const merge = new RangeMerge(this.db, sources, query.before);
    const rows: Record<string, unknown>[] = [];
    // The candidates are below `before` already: without it, the statement's text is the same on every page.
    const among = { ...query, before: undefined };
    for (let pass = 0; pass < 3; pass++) {
      const found = await merge.next(Math.max(16, 2 * (n - rows.length)));
      if (!found) break;
      if (found.ids.length) rows.push(...(await this.rows(viewer, among, n - rows.length, { ids: found.ids })));
      if (rows.length >= n || found.floor === 0) return rows;
      query = { ...query, before: found.floor };
    }
    return rows.concat(await this.rows(viewer, query, n - rows.length));
  }

  /** The newest `n` rows of the river (among the acts `ids`, or from the act `after` up, when given), newest first. */
  private async rows(
    viewer: Viewer | null,
    query: FeedQuery,
    n: number,
    { ids, after }: { ids?: readonly number[]; after?: number } = {},
  ): Promise<Record<string, unknown>[]> {
    const build = (): Knex.QueryBuilder => {
      const q = this.db('activity as a')
        .join('entities as e', 'e.id', 'a.entity_id')
        .join('users as u', 'u.id', 'a.actor_id')
        .where('u.status', 'active')
        .modify(this.access.visibleTo(viewer, 'e'))
        .select(
          'a.id',
          'a.verb',
          'a.actor_id',
          'a.entity_id',
          'a.object_id',
          'a.network_id',
          'a.created_at',
          'e.type',
          'e.owner_id',
          'e.container_id',
          'e.access',
          'e.pinned_until',
          'e.version',
        )
        .orderBy('a.id', 'desc')
        .limit(n);
      if (query.networkIds) q.whereIn('a.network_id', [...query.networkIds]);
      if (query.actorId !== undefined) q.where('a.actor_id', query.actorId);
      if (query.entityIds) q.whereIn('a.entity_id', [...query.entityIds]);
      // By the row's own copy of the container: its index reads a group's newest acts first.
      if (query.containerId !== undefined) q.where('a.container_id', query.containerId);
      if (query.entityTypes) q.whereIn('e.type', [...query.entityTypes]);
      if (query.verbs) q.whereIn('a.verb', [...query.verbs]);
      if (query.tag !== undefined)
        q.whereExists((s) =>
          s.select(this.db.raw('1')).from('entity_tags as et').where('et.entity_id', this.db.ref('a.entity_id')).where('et.tag', query.tag!),
        );
      if (query.before !== undefined) q.where('a.id', '<', query.before);
      if (query.where) q.where(query.where);
      if (ids) q.whereRaw(this.db.client.config.client === 'sqlite3' ? IDS.sqlite : IDS.postgres, [IDS_MARKER]);
      if (after !== undefined) q.where('a.id', '>=', AFTER_MARKER);
      return q;
    };
    // Run as a prepared read; its text, a function of the viewer and the filters, is built once per key.
    // Lists as arrays in the key whatever iterable was given (a Set's JSON would be {}).
    const { networkIds, entityIds, entityTypes, verbs, ranges, ...rest } = query;
    const lists = [networkIds, entityIds, entityTypes, verbs].map((l) => (l ? [...l] : null));
    const key =
      query.where && query.whereKey === undefined
        ? null
        : JSON.stringify([this.access.visibilityKey(viewer), { ...rest, where: undefined }, lists, n, !!ids, after !== undefined, !!ranges]);
    const vary = new Map<unknown, unknown>([
      [IDS_MARKER, ids ? idList(ids) : null],
      [AFTER_MARKER, after ?? null],
    ]);
    return RIVER.read<Record<string, unknown>>(this.db, key !== null && key.length <= MAX_KEY ? key : null, build, vary);
  }
}

function toItem(r: Record<string, unknown>): ActivityItem {
  const n = (v: unknown): number => Number(v);
  const nn = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
  return {
    id: n(r.id),
    verb: String(r.verb),
    actorId: n(r.actor_id),
    entityId: n(r.entity_id),
    objectId: nn(r.object_id),
    networkId: n(r.network_id),
    createdAt: n(r.created_at),
    entityType: String(r.type),
    ownerId: n(r.owner_id),
    containerId: nn(r.container_id),
    access: String(r.access),
    pinnedUntil: nn(r.pinned_until),
    entityVersion: n(r.version ?? 0),
  };
}
