/**
 * Events: validation of the form, create, edit, cancel, delete (soft), and the lists (upcoming,
 * past, a month, a group's, "my events"), which all go through the core access clause. Times
 * are instants (ms UTC) with the organiser's zone kept beside them; pages show them in each
 * viewer's zone. Answers and the waiting list are RsvpService's (rsvp.ts).
 */
import type { Knex } from 'knex';
import {
  articleTags,
  excerptOf,
  fromLocalInput,
  instantOf,
  isTimeZone,
  keysetOrder,
  personalOrContainerPosting,
  readPage,
  renderMarkdown,
  typedRow,
  validateArticle,
  wallTime,
  type ArticleFormService,
  type Cover,
  type ArticleRow,
  type CleanArticle,
  type FieldProblems,
  type KeysetCursor,
  type KeysetOrder,
  type KeysetPage,
  type Runtime,
  type Viewer,
} from '../../core';

import './hooks';
import { readQuestions, saveQuestions } from './questions';
import { isRepeat, MAX_OCCURRENCES, MIN_OCCURRENCES, occurrences, type Repeat } from './recurrence';

export const EVENT = 'event';
export const REMIND_JOB = 'events.remind';
export const MAX_TITLE = 200;
export const MAX_BODY = 50_000;
export const MAX_PLACE = 300;
export const MAX_URL = 500;
export const MAX_CAPACITY = 100_000;
export const MAX_ORGANISERS = 10;
export const PAGE_SIZE = 20;
const DAY = 86_400_000;
const HOUR = 3_600_000;
/** Reminders: a day and an hour before the start. */
export const REMINDERS = { day: DAY, hour: HOUR } as const;
export type Reminder = keyof typeof REMINDERS;

export const reminderKey = (id: number, which: Reminder): string => `${REMIND_JOB}:${id}:${which}`;

/** What the form sends, as typed. */
export interface EventInput {
  title: string;
  body: string;
  tags: string;
  access: string;
  containerId: number | null;
  starts: string;
  ends: string;
  allDay: boolean;
  timeZone: string;
  place: string;
  mapUrl: string;
  onlineUrl: string;
  capacity: string;
  deadline: string;
  hideAttendees: boolean;
  organisers: string;
  /** Questions to attendees, one a line. */
  questions: string;
  removeCover: boolean;
  /** '' (once), daily, weekly or monthly, and how many dates: on creation only. */
  repeat: string;
  repeatCount: string;
}

/** A validated event, ready to save. */
export interface CleanEvent extends CleanArticle {
  startsAt: number;
  endsAt: number;
  allDay: boolean;
  timeZone: string;
  place: string;
  mapUrl: string | null;
  onlineUrl: string | null;
  capacity: number | null;
  deadline: number | null;
  hideAttendees: boolean;
  /** Co-organisers (the author always is one). */
  organiserIds: number[];
  /** Questions to attendees (questions.ts). */
  questions: string[];
  /** A recurring event (recurrence.ts): each of its `repeatCount` dates is an event. */
  repeat?: Repeat | null;
  repeatCount?: number;
}

export interface EventRow extends ArticleRow {
  cover_key: string | null;
  starts_at: number;
  ends_at: number;
  all_day: boolean;
  time_zone: string;
  place: string;
  map_url: string | null;
  online_url: string | null;
  capacity: number | null;
  rsvp_deadline: number | null;
  hide_attendees: boolean;
  status: 'scheduled' | 'cancelled';
  going_count: number;
  sequence: number;
  edited_at: number | null;
  /** The series this date belongs to (`event_series`), and the start it had in it. */
  series_id: number | null;
  series_start: number | null;
}

/** A date of a series as its page and its calendar read it. */
export type SeriesDate = ListItem & Pick<EventRow, 'series_start' | 'sequence' | 'body'>;

/** A recurring event's rule (`event_series`). */
export interface SeriesRow {
  id: number;
  repeat: Repeat;
  count: number;
  starts_at: number;
  ends_at: number;
  time_zone: string;
}

/** An event in a list or a calendar. */
/** A calendar feed's event: a list's columns and its text. */
export type FeedItem = ListItem & Pick<EventRow, 'body'>;

export type ListItem = Pick<
  EventRow,
  | 'id'
  | 'owner_id'
  | 'container_id'
  | 'access'
  | 'title'
  | 'excerpt'
  | 'cover_key'
  | 'starts_at'
  | 'ends_at'
  | 'all_day'
  | 'time_zone'
  | 'place'
  | 'online_url'
  | 'status'
  | 'capacity'
  | 'going_count'
  | 'series_id'
> & { series_repeat?: Repeat | null };

export interface ListQuery {
  containerId?: number;
  /** Where the page starts (keyset, LIST_CURSOR); the first page without one. */
  cursor?: KeysetCursor;
  limit?: number;
}

/** The lists' orders: upcoming soonest first, past latest first, the id breaking ties; their cursors' parts. */
export const LIST_CURSOR = ['int', 'int'] as const;
const startAndId = (r: ListItem) => [Number(r.starts_at), Number(r.id)];
const UPCOMING = keysetOrder(LIST_CURSOR, [{ sql: 'v.starts_at' }, { sql: 'e.id' }], startAndId);
const PAST = keysetOrder(LIST_CURSOR, [{ sql: 'v.starts_at', desc: true }, { sql: 'e.id' }], startAndId);

/** Answers that put the member on the event's list ("my events", the answered calendar). */
export const ANSWERED = ['going', 'maybe', 'waiting'] as const;

/** An http(s) link as typed, or null; '' is no link. */
function readUrl(raw: string): { url: string | null; bad: boolean } {
  const v = raw.trim();
  if (!v) return { url: null, bad: false };
  if (v.length > MAX_URL) return { url: null, bad: true };
  try {
    const u = new URL(v);
    return u.protocol === 'https:' || u.protocol === 'http:' ? { url: u.toString(), bad: false } : { url: null, bad: true };
  } catch {
    return { url: null, bad: true };
  }
}

/** The date part of a `datetime-local` (or `date`) value, at 00:00 in `zone`. */
function dayStart(raw: string, zone: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:T.*)?$/.exec(raw.trim());
  if (!m) return null;
  const at = fromLocalInput(`${m[1]}-${m[2]}-${m[3]}T00:00`, zone);
  return at;
}

/** The repetition asked on the form, or null for an event that happens once. */
function readRepeat(input: EventInput, problems: FieldProblems): { repeat: Repeat; count: number } | null {
  const repeat = input.repeat.trim();
  if (!repeat) return null;
  if (!isRepeat(repeat)) {
    problems.repeat = { key: 'events.errors.repeat' };
    return null;
  }
  const count = /^\d{1,3}$/.test(input.repeatCount.trim()) ? Number(input.repeatCount.trim()) : NaN;
  if (!(count >= MIN_OCCURRENCES && count <= MAX_OCCURRENCES)) {
    problems.repeatCount = { key: 'events.errors.repeatCount', params: { min: MIN_OCCURRENCES, max: MAX_OCCURRENCES } };
    return null;
  }
  return { repeat, count };
}

export class EventsService {
  static readonly uses = ['db', 'access', 'activity', 'containers', 'entities', 'hooks', 'jobs', 'networks', 'pluginState', 'users'] as const;
  private readonly db: Runtime['db'];
  /** Its form's access choices and container check (the core's usual ones). */
  readonly posting: ArticleFormService;
  constructor(private readonly rt: Pick<Runtime, (typeof EventsService.uses)[number]>) {
    this.db = rt.db;
    this.posting = personalOrContainerPosting(rt, 'events');
  }

  /** Checks the form; co-organisers are looked up among the network's active members. */
  async validate(networkId: number, input: EventInput, now: number, existing?: EventRow): Promise<{ clean?: CleanEvent; problems: FieldProblems }> {
    const { clean: article, problems } = validateArticle(input, {
      prefix: 'events',
      maxTitle: MAX_TITLE,
      maxBody: MAX_BODY,
      levels: this.posting.accessLevels(networkId),
      inContainer: !!(existing ? existing.container_id : input.containerId),
      currentAccess: existing?.access,
    });
    const zone = input.timeZone.trim() || 'UTC';
    if (!isTimeZone(zone)) problems.timeZone = { key: 'events.errors.zone' };
    const z = isTimeZone(zone) ? zone : 'UTC';
    let startsAt: number | null;
    let endsAt: number | null;
    if (input.allDay) {
      startsAt = dayStart(input.starts, z);
      const last = input.ends.trim() ? dayStart(input.ends, z) : startsAt;
      // The day after the last one, at 00:00 in the zone (23 or 25 hours on a change of time).
      endsAt =
        last === null
          ? null
          : (() => {
              const w = wallTime(last, z);
              return instantOf(z, w.y, w.m, w.d + 1);
            })();
    } else {
      startsAt = fromLocalInput(input.starts, z);
      endsAt = input.ends.trim() ? fromLocalInput(input.ends, z) : startsAt === null ? null : startsAt + HOUR;
    }
    if (startsAt === null) problems.starts = { key: input.starts.trim() ? 'events.errors.dateInvalid' : 'events.errors.startRequired' };
    else if (!existing && startsAt < now - HOUR) problems.starts = { key: 'events.errors.startPast' };
    // An empty end follows the start: only an end typed wrong is the end's problem.
    if (endsAt === null && input.ends.trim()) problems.ends = { key: 'events.errors.dateInvalid' };
    else if (startsAt !== null && endsAt !== null && endsAt <= startsAt) problems.ends = { key: 'events.errors.endBeforeStart' };
    const place = input.place.trim();
    if (place.length > MAX_PLACE) problems.place = { key: 'events.errors.placeTooLong', params: { max: MAX_PLACE } };
    const map = readUrl(input.mapUrl);
    if (map.bad) problems.mapUrl = { key: 'events.errors.url' };
    const online = readUrl(input.onlineUrl);
    if (online.bad) problems.onlineUrl = { key: 'events.errors.url' };
    let capacity: number | null = null;
    if (input.capacity.trim()) {
      capacity = /^\d{1,6}$/.test(input.capacity.trim()) ? Number(input.capacity.trim()) : NaN;
      if (!Number.isInteger(capacity) || capacity < 1 || capacity > MAX_CAPACITY)
        problems.capacity = { key: 'events.errors.capacity', params: { max: MAX_CAPACITY } };
    }
    let deadline: number | null = null;
    if (input.deadline.trim()) {
      deadline = fromLocalInput(input.deadline, z);
      if (deadline === null) problems.deadline = { key: 'events.errors.dateInvalid' };
      else if (startsAt !== null && deadline > startsAt) problems.deadline = { key: 'events.errors.deadlineAfterStart' };
    }
    const names = [
      ...new Set(
        input.organisers
          .split(/[\s,]+/)
          .map((n) => n.replace(/^@/, '').trim().toLowerCase())
          .filter(Boolean),
      ),
    ];
    const organiserIds: number[] = [];
    if (names.length > MAX_ORGANISERS) problems.organisers = { key: 'events.errors.organisersTooMany', params: { max: MAX_ORGANISERS } };
    else {
      const unknown: string[] = [];
      for (const name of names) {
        const row = await this.rt.users.activeMember(networkId, name);
        if (row) organiserIds.push(Number(row.id));
        else unknown.push(name);
      }
      if (unknown.length) problems.organisers = { key: 'events.errors.organisersUnknown', params: { names: unknown.join(', ') } };
    }
    const questions = readQuestions(input.questions, problems);
    const repeat = existing ? null : readRepeat(input, problems);
    if (!article || Object.keys(problems).length) return { problems };
    return {
      problems,
      clean: {
        ...article,
        startsAt: startsAt!,
        endsAt: endsAt!,
        allDay: input.allDay,
        timeZone: z,
        place,
        mapUrl: map.url,
        onlineUrl: online.url,
        capacity: capacity && Number.isFinite(capacity) ? capacity : null,
        deadline,
        hideAttendees: input.hideAttendees,
        organiserIds,
        questions,
        repeat: repeat?.repeat ?? null,
        repeatCount: repeat?.count ?? 1,
      },
    };
  }

  private columns(ev: CleanEvent, html: string) {
    return {
      title: ev.title,
      body: ev.body,
      body_html: html,
      excerpt: excerptOf(html),
      starts_at: ev.startsAt,
      ends_at: ev.endsAt,
      all_day: ev.allDay,
      time_zone: ev.timeZone,
      place: ev.place,
      map_url: ev.mapUrl,
      online_url: ev.onlineUrl,
      capacity: ev.capacity,
      rsvp_deadline: ev.deadline,
      hide_attendees: ev.hideAttendees,
    };
  }

  /**
   * Saves a new event, or each date of a recurring one (the first is in the activity feed, all
   * share the rule of their `event_series` row). Returns the (first) event's id.
   */
  async create(viewer: Viewer, networkId: number, containerId: number | null, ev: CleanEvent, cover?: Cover): Promise<number> {
    return (await this.createDates(viewer, networkId, containerId, ev, cover))[0];
  }

  /**
   * As `create`, answering every date's id, the first date's first. `held`: the core's
   * screening holds it for review — every date saved withheld (its author's and moderators'
   * only) and announced to nobody until a reviewer publishes it.
   */
  async createDates(viewer: Viewer, networkId: number, containerId: number | null, ev: CleanEvent, cover?: Cover, held = false): Promise<number[]> {
    const now = Date.now();
    const html = renderMarkdown(ev.body);
    const dates = ev.repeat
      ? occurrences(ev.repeat, ev.repeatCount ?? MIN_OCCURRENCES, ev.startsAt, ev.endsAt, ev.timeZone)
      : [{ startsAt: ev.startsAt, endsAt: ev.endsAt }];
    const ids = await this.db.transaction(async (trx) => {
      const seriesId = ev.repeat ? await this.createSeries(trx, networkId, ev, dates.length, now) : null;
      const ids: number[] = [];
      for (const date of dates) {
        const entityId = await this.rt.entities.create(
          { type: EVENT, ownerId: viewer.id, networkId, access: ev.access, containerId, withheld: held },
          trx,
        );
        // A deadline keeps its distance to the start on every date.
        const deadline = ev.deadline === null ? null : ev.deadline + date.startsAt - ev.startsAt;
        await trx('events').insert({
          entity_id: entityId,
          ...this.columns({ ...ev, ...date, deadline }, html),
          cover_key: cover?.hash ?? null,
          series_id: seriesId,
          series_start: seriesId ? date.startsAt : null,
        });
        await this.setOrganisers(entityId, viewer.id, ev.organiserIds, trx);
        await saveQuestions(trx, entityId, ev.questions);
        await this.rt.entities.setTags(entityId, articleTags(ev.tags, html), trx);
        if (!ids.length) await this.rt.activity.record({ verb: 'planned', actorId: viewer.id, entityId, networkId, at: now }, trx);
        await this.scheduleReminders(entityId, date.startsAt, now, trx);
        ids.push(entityId);
      }
      return ids;
    });
    if (!held) for (const entityId of ids) await this.rt.hooks.emit('events:created', { networkId, entityId, authorId: viewer.id });
    return ids;
  }

  private async createSeries(trx: Knex, networkId: number, ev: CleanEvent, count: number, now: number): Promise<number> {
    const [row] = await trx('event_series')
      .insert({
        network_id: networkId,
        repeat: ev.repeat,
        count,
        starts_at: ev.startsAt,
        ends_at: ev.endsAt,
        time_zone: ev.timeZone,
        created_at: now,
      })
      .returning('id');
    return Number(typeof row === 'object' ? row.id : row);
  }

  /**
   * Saves an edit; those who answered hear of a change of time or place. Returns whether they
   * did. `held`: as for `create`, the event becomes withheld (an edit never clears it) and
   * nobody is told.
   */
  async update(viewer: Viewer, old: EventRow, ev: CleanEvent, cover: Cover | undefined, removeCover: boolean, held = false): Promise<boolean> {
    const now = Date.now();
    const html = renderMarkdown(ev.body);
    const moved =
      ev.startsAt !== old.starts_at ||
      ev.endsAt !== old.ends_at ||
      ev.allDay !== old.all_day ||
      ev.place !== old.place ||
      ev.onlineUrl !== old.online_url ||
      ev.mapUrl !== old.map_url;
    await this.db.transaction(async (trx) => {
      await trx('events')
        .where({ entity_id: old.id })
        .update({
          ...this.columns(ev, html),
          cover_key: cover ? cover.hash : removeCover ? null : old.cover_key,
          edited_at: now,
          sequence: Number(old.sequence) + 1,
        });
      await this.setOrganisers(old.id, Number(old.owner_id), ev.organiserIds, trx);
      await saveQuestions(trx, old.id, ev.questions);
      await this.rt.entities.setTags(old.id, articleTags(ev.tags, html), trx);
      if (ev.access !== old.access || held)
        await this.rt.entities.update(
          old.id,
          { ...(ev.access !== old.access ? { access: ev.access } : {}), ...(held ? { withheld: true } : {}) },
          trx,
        );
      if (old.status === 'scheduled') await this.scheduleReminders(old.id, ev.startsAt, now, trx);
    });
    if (moved && old.status === 'scheduled' && !held)
      await this.rt.hooks.emit('events:changed', { networkId: Number(old.network_id), entityId: old.id, byId: viewer.id });
    return moved;
  }

  /** Cancels a scheduled event (kept, shown as cancelled); those who answered are told. */
  async cancel(viewer: Viewer, ev: EventRow): Promise<boolean> {
    const changed = await this.db.transaction(async (trx) => {
      const n = await trx('events')
        .where({ entity_id: ev.id, status: 'scheduled' })
        .update({ status: 'cancelled', sequence: Number(ev.sequence) + 1, edited_at: Date.now() });
      if (Number(n) !== 1) return false;
      await this.cancelReminders(ev.id, trx);
      return true;
    });
    if (changed) await this.rt.hooks.emit('events:cancelled', { networkId: Number(ev.network_id), entityId: ev.id, byId: viewer.id });
    return changed;
  }

  async remove(viewer: Viewer, ev: EventRow): Promise<void> {
    await this.db.transaction(async (trx) => {
      await this.rt.entities.softDelete(ev.id, trx);
      await this.rt.activity.remove(ev.id, {}, trx);
      await this.cancelReminders(ev.id, trx);
    });
    await this.rt.hooks.emit('events:deleted', { networkId: Number(ev.network_id), entityId: ev.id, byId: viewer.id });
  }

  private async setOrganisers(eventId: number, ownerId: number, others: number[], trx: Knex): Promise<void> {
    await trx('event_organisers').where({ event_id: eventId }).del();
    const ids = [...new Set([ownerId, ...others])];
    await trx('event_organisers').insert(ids.map((user_id) => ({ event_id: eventId, user_id })));
  }

  async organisers(eventId: number): Promise<{ id: number; username: string; display_name: string; photo_key: string | null }[]> {
    const rows = await this.db('event_organisers as o')
      .join('users as u', 'u.id', 'o.user_id')
      .where('o.event_id', eventId)
      .where('u.status', 'active')
      .orderBy('u.display_name')
      .select('u.id', 'u.username', 'u.display_name', 'u.photo_key');
    return rows.map((r: { id: number }) => ({ ...r, id: Number(r.id) })) as never;
  }

  async isOrganiser(eventId: number, userId: number): Promise<boolean> {
    return !!(await this.db('event_organisers').where({ event_id: eventId, user_id: userId }).first('user_id'));
  }

  private async scheduleReminders(id: number, startsAt: number, now: number, trx: Knex): Promise<void> {
    for (const which of Object.keys(REMINDERS) as Reminder[]) {
      const runAt = startsAt - REMINDERS[which];
      if (runAt > now) await this.rt.jobs.schedule(REMIND_JOB, { eventId: id, which, startsAt }, { runAt, key: reminderKey(id, which) }, trx);
      else await this.rt.jobs.cancel(reminderKey(id, which), trx);
    }
  }

  private async cancelReminders(id: number, trx: Knex): Promise<void> {
    for (const which of Object.keys(REMINDERS) as Reminder[]) await this.rt.jobs.cancel(reminderKey(id, which), trx);
  }

  /** An event by id (deleted ones included: callers check visibility). */
  async find(id: number): Promise<EventRow | undefined> {
    if (!Number.isSafeInteger(id) || id <= 0) return undefined;
    const row = await this.db('entities as e')
      .join('events as v', 'v.entity_id', 'e.id')
      .where('e.id', id)
      .where('e.type', EVENT)
      .first('e.*', 'v.*');
    return row ? normalise(row as EventRow) : undefined;
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

  async series(id: number): Promise<SeriesRow | undefined> {
    const row = await this.db('event_series').where({ id }).first('id', 'repeat', 'count', 'starts_at', 'ends_at', 'time_zone');
    return row ? typedRow(row as SeriesRow, { numbers: ['id', 'count', 'starts_at', 'ends_at'] }) : undefined;
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

const NUMBERS = [
  'id',
  'owner_id',
  'network_id',
  'container_id',
  'created_at',
  'deleted_at',
  'starts_at',
  'ends_at',
  'capacity',
  'rsvp_deadline',
  'going_count',
  'sequence',
  'edited_at',
  'series_id',
  'series_start',
];

export function normalise<T>(row: T): T {
  const r = typedRow(row as Record<string, unknown>, { numbers: NUMBERS, flags: ['all_day', 'hide_attendees'] });
  if ('id' in r && r.entity_id !== undefined) r.id = Number(r.entity_id);
  return row;
}
