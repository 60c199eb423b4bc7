/**
 * Events: create (a date or each date of a series), edit, cancel, delete (soft), organisers and
 * reminders; the form's checks are validation.ts's, the lists (upcoming, past, a month, a
 * group's, "my events", feeds) lists.ts's, the rows and limits model.ts's. Times are instants
 * (ms UTC) with the organiser's zone kept beside them; pages show them in each viewer's zone.
 * Answers and the waiting list are RsvpService's (rsvp.ts).
 */
import type { Knex } from 'knex';
import {
  articleTags,
  excerptOf,
  personalOrContainerPosting,
  renderMarkdown,
  typedRow,
  type ArticleFormService,
  type Cover,
  type FieldProblems,
  type Runtime,
  type Viewer,
} from '../../core';

import './hooks';
import { EventLists } from './lists';
import {
  EVENT,
  normalise,
  REMINDERS,
  reminderKey,
  REMIND_JOB,
  type CleanEvent,
  type EventInput,
  type EventRow,
  type Reminder,
  type SeriesRow,
} from './model';
import { saveQuestions } from './questions';
import { MIN_OCCURRENCES, occurrences } from './recurrence';
import { validateEvent } from './validation';

export class EventsService {
  static readonly uses = ['db', 'access', 'activity', 'containers', 'entities', 'hooks', 'jobs', 'networks', 'pluginState', 'users'] as const;
  private readonly db: Runtime['db'];
  /** Its form's access choices and container check (the core's usual ones). */
  readonly posting: ArticleFormService;
  /** The lists of events the viewer may see (lists.ts). */
  readonly lists: EventLists;
  constructor(private readonly rt: Pick<Runtime, (typeof EventsService.uses)[number]>) {
    this.db = rt.db;
    this.posting = personalOrContainerPosting(rt, 'events');
    this.lists = new EventLists(rt);
  }

  /** Checks the form (validation.ts). */
  validate(networkId: number, input: EventInput, now: number, existing?: EventRow): Promise<{ clean?: CleanEvent; problems: FieldProblems }> {
    return validateEvent(this.rt.users, this.posting, networkId, input, now, existing);
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

  async series(id: number): Promise<SeriesRow | undefined> {
    const row = await this.db('event_series').where({ id }).first('id', 'repeat', 'count', 'starts_at', 'ends_at', 'time_zone');
    return row ? typedRow(row as SeriesRow, { numbers: ['id', 'count', 'starts_at', 'ends_at'] }) : undefined;
  }
}
