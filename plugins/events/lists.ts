/**
 * The lists of events, each through the core access clause: upcoming (a series once, by its
 * next date seen), past, a month of the calendar, "my events", a series' dates and the calendar
 * feeds; keyset pages by start then id.
 */
import type { Knex } from 'knex';
import { keysetOrder, readPage, type KeysetOrder, type KeysetPage, type Runtime, type Viewer } from '../../core';
import { EVENT, normalise, PAGE_SIZE, type FeedItem, type ListItem, type ListQuery, type SeriesDate } from './model';

/** The lists' orders: upcoming soonest first, past latest first, the id breaking ties; their cursors' parts. */
export const LIST_CURSOR = ['int', 'int'] as const;
const startAndId = (r: ListItem) => [Number(r.starts_at), Number(r.id)];
const UPCOMING = keysetOrder(LIST_CURSOR, [{ sql: 'v.starts_at' }, { sql: 'e.id' }], startAndId);
const PAST = keysetOrder(LIST_CURSOR, [{ sql: 'v.starts_at', desc: true }, { sql: 'e.id' }], startAndId);

/** Answers that put the member on the event's list ("my events", the answered calendar). */
export const ANSWERED = ['going', 'maybe', 'waiting'] as const;

export class EventLists {
  private readonly db: Runtime['db'];
  constructor(private readonly rt: Pick<Runtime, 'db' | 'access'>) {
    this.db = rt.db;
  }

  /** Events the viewer may see that have not ended yet, soonest first. */
  async upcoming(viewer: Viewer | null, networkId: number, q: ListQuery = {}, now = Date.now()): Promise<KeysetPage<ListItem>> {
    const query = this.visible(viewer, networkId, q)
      .where('v.ends_at', '>', now)
      .where((w) => w.whereNull('v.series_id').orWhereNotExists(this.earlierDate(viewer, now)));
    return this.page(query, UPCOMING, q);
  }

  /** A date of the same series, still to come, before this one and seen by the viewer: a list shows a series once, by its next date. */
  private earlierDate(viewer: Viewer | null, now: number): Knex.QueryBuilder {
    return this.db('events as v2')
      .join('entities as e2', 'e2.id', 'v2.entity_id')
      .select(this.db.raw('1'))
      .where('v2.series_id', this.db.ref('v.series_id'))
      .where('v2.ends_at', '>', now)
      .where((w) =>
        w
          .where('v2.starts_at', '<', this.db.ref('v.starts_at'))
          .orWhere((x) => x.where('v2.starts_at', this.db.ref('v.starts_at')).where('v2.entity_id', '<', this.db.ref('v.entity_id'))),
      )
      .modify(this.rt.access.visibleTo(viewer, 'e2'));
  }

  /** The dates of a series the viewer may see, from `from` on, soonest first. */
  async seriesDates(viewer: Viewer | null, networkId: number, seriesId: number, from: number, limit = 60): Promise<SeriesDate[]> {
    const rows = await this.visible(viewer, networkId, {})
      .where('v.series_id', seriesId)
      .where('v.ends_at', '>', from)
      .orderBy('v.starts_at')
      .limit(limit);
    return (rows as SeriesDate[]).map(normalise);
  }

  /** Events that have ended, latest first. */
  async past(viewer: Viewer | null, networkId: number, q: ListQuery = {}, now = Date.now()): Promise<KeysetPage<ListItem>> {
    return this.page(this.visible(viewer, networkId, q).where('v.ends_at', '<=', now), PAST, q);
  }

  /** Events overlapping [from, to), by start (a month of the calendar). */
  async between(viewer: Viewer | null, networkId: number, from: number, to: number, q: ListQuery = {}): Promise<ListItem[]> {
    const rows = await this.visible(viewer, networkId, q)
      .where('v.starts_at', '<', to)
      .where('v.ends_at', '>', from)
      .orderBy('v.starts_at')
      .limit(500);
    return (rows as ListItem[]).map(normalise);
  }

  /** Upcoming events the member organises or answered going, maybe or waiting. */
  async mine(viewer: Viewer, networkId: number, now = Date.now()): Promise<(ListItem & { answer: string | null })[]> {
    const rows = await this.visible(viewer, networkId, {})
      .leftJoin('event_rsvps as r', (j) => j.on('r.event_id', 'e.id').andOn('r.user_id', this.db.raw('?', [viewer.id])))
      .where('v.ends_at', '>', now)
      .where((w) => w.whereIn('r.answer', [...ANSWERED]).orWhereExists(this.organisedBy(viewer.id)))
      .orderBy('v.starts_at')
      .limit(200)
      .select('r.answer');
    return (rows as (ListItem & { answer: string | null })[]).map(normalise);
  }

  /**
   * A calendar feed's events: those the viewer may see that ended after `since`, soonest first, at
   * most `limit`; `answeredOnly`, those they organise or answered going, maybe or waiting.
   */
  async feed(viewer: Viewer | null, networkId: number, since: number, limit: number, answeredOnly = false): Promise<FeedItem[]> {
    const query = this.visible(viewer, networkId, {}).where('v.ends_at', '>', since).orderBy('v.starts_at').limit(limit);
    if (answeredOnly && viewer)
      query.where((w) =>
        w
          .whereExists((s) =>
            s
              .select(this.db.raw('1'))
              .from('event_rsvps as r')
              .where('r.event_id', this.db.ref('e.id'))
              .where('r.user_id', viewer.id)
              .whereIn('r.answer', [...ANSWERED]),
          )
          .orWhereExists(this.organisedBy(viewer.id)),
      );
    return ((await query) as FeedItem[]).map(normalise);
  }

  /** The `exists` subquery of "this member organises the event" (`e`), for `mine` and `feed`. */
  private organisedBy(viewerId: number): (s: Knex.QueryBuilder) => void {
    return (s) => {
      s.select(this.db.raw('1')).from('event_organisers as o').where('o.event_id', this.db.ref('e.id')).where('o.user_id', viewerId);
    };
  }

  /** Every event the viewer may see, in a network, with its columns for lists and feeds. */
  visible(viewer: Viewer | null, networkId: number, q: ListQuery): Knex.QueryBuilder {
    const query = this.db('entities as e')
      .join('events as v', 'v.entity_id', 'e.id')
      .leftJoin('event_series as s', 's.id', 'v.series_id')
      .where('e.type', EVENT)
      .where('e.network_id', networkId)
      .modify(this.rt.access.visibleTo(viewer, 'e'))
      .select(
        'e.id',
        'e.owner_id',
        'e.container_id',
        'e.access',
        'v.title',
        'v.excerpt',
        'v.cover_key',
        'v.starts_at',
        'v.ends_at',
        'v.all_day',
        'v.time_zone',
        'v.place',
        'v.online_url',
        'v.status',
        'v.capacity',
        'v.going_count',
        'v.sequence',
        'v.body',
        'v.series_id',
        'v.series_start',
        's.repeat as series_repeat',
      );
    if (q.containerId !== undefined) query.where('e.container_id', q.containerId);
    return query;
  }

  /** One page of `query` in `order` (keyset: by start, then id), where `q.cursor` says. */
  private async page(query: Knex.QueryBuilder, order: KeysetOrder<ListItem>, q: ListQuery): Promise<KeysetPage<ListItem>> {
    const size = Math.max(1, Math.min(q.limit ?? PAGE_SIZE, 100));
    const page = await readPage(query, order, q.cursor ?? {}, size);
    return { ...page, items: page.items.map(normalise) };
  }
}
