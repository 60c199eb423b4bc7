/**
 * Answers to an event: going, maybe, not going, and the waiting list of those who asked to go
 * when every place was taken. A place is booked by a conditional update of the event's
 * `going_count` (`going_count < capacity`), inside a transaction that first locks the event's
 * row on PostgreSQL (SQLite runs one write transaction at a time), so parallel answers never
 * book more places than there are. A place freed (someone stops going, the capacity grows)
 * goes to the first in the waiting list in the same transaction; they are told afterwards.
 */
import type { Knex } from 'knex';
import { HttpError, oneOf, type Runtime, type Viewer } from '../../core';
import { normalise, type EventRow } from './model';
import './hooks';

export const ANSWERS = ['going', 'maybe', 'not_going'] as const;
export type Answer = (typeof ANSWERS)[number];
export type Stored = Answer | 'waiting';
export const isAnswer = oneOf(ANSWERS);

/** The active members on an event's list (going, maybe, waiting): `r` their answers, `u` the users. */
export const onTheList = (db: Knex, eventId: number): Knex.QueryBuilder =>
  db('event_rsvps as r')
    .join('users as u', 'u.id', 'r.user_id')
    .where('r.event_id', eventId)
    .whereIn('r.answer', ['going', 'maybe', 'waiting'])
    .where('u.status', 'active');

export interface Attendee {
  id: number;
  username: string;
  display_name: string;
  photo_key: string | null;
  answer: Stored;
}

export class RsvpService {
  static readonly uses = ['db', 'dialect', 'hooks'] as const;
  constructor(private readonly rt: Pick<Runtime, (typeof RsvpService.uses)[number]>) {}

  /** Why the viewer may not answer now (an i18n key), or null. */
  closedReason(ev: EventRow, now = Date.now()): string | null {
    if (ev.status === 'cancelled') return 'events.errors.cancelled';
    if (ev.ends_at <= now) return 'events.errors.over';
    if (ev.rsvp_deadline !== null && ev.rsvp_deadline < now) return 'events.errors.deadlinePassed';
    return null;
  }

  /**
   * Records the viewer's answer; `going` becomes `waiting` when no place is left. Returns what
   * was stored. Answering the same twice changes nothing (a double submit answers as the first).
   */
  async answer(viewer: Viewer, ev: EventRow, answer: Answer, now = Date.now()): Promise<Stored> {
    const closed = this.closedReason(ev, now);
    if (closed) throw new HttpError(409, closed);
    const { stored, promoted } = await this.rt.db.transaction(async (trx) => {
      await this.lock(trx, ev.id);
      const prev = (await trx('event_rsvps').where({ event_id: ev.id, user_id: viewer.id }).first('answer', 'waiting_since')) as
        { answer: Stored; waiting_since: number | null } | undefined;
      let stored: Stored = answer;
      if (answer === 'going' && prev?.answer === 'going') return { stored, promoted: [] as number[] };
      if (answer === 'going' && prev?.answer === 'waiting') return { stored: 'waiting' as Stored, promoted: [] as number[] };
      if (answer === 'going') stored = (await this.book(trx, ev.id)) ? 'going' : 'waiting';
      const row = { answer: stored, answered_at: now, waiting_since: stored === 'waiting' ? now : null };
      if (prev) await trx('event_rsvps').where({ event_id: ev.id, user_id: viewer.id }).update(row);
      else await trx('event_rsvps').insert({ event_id: ev.id, user_id: viewer.id, ...row });
      if (prev?.answer === 'going' && stored !== 'going') await trx('events').where({ entity_id: ev.id }).decrement('going_count', 1);
      return { stored, promoted: prev?.answer === 'going' && stored !== 'going' ? await this.promote(trx, ev.id, now) : [] };
    });
    await this.announce(ev, promoted);
    return stored;
  }

  /** Fills free places from the waiting list (after the capacity changed); tells who got one. */
  async fillPlaces(ev: EventRow, now = Date.now()): Promise<number[]> {
    const promoted = await this.rt.db.transaction(async (trx) => {
      await this.lock(trx, ev.id);
      return this.promote(trx, ev.id, now);
    });
    await this.announce(ev, promoted);
    return promoted;
  }

  /** On PostgreSQL, holds the event's row until the transaction ends: answers to one event queue up. */
  private async lock(trx: Knex, eventId: number): Promise<void> {
    if (this.rt.dialect === 'postgres') await trx('events').where({ entity_id: eventId }).forUpdate().first('entity_id');
  }

  /** Takes a place if one is left (a conditional update, so it holds even without the lock). */
  private async book(trx: Knex, eventId: number): Promise<boolean> {
    const n = await trx('events')
      .where({ entity_id: eventId })
      .where((w) => w.whereNull('capacity').orWhere('going_count', '<', trx.ref('capacity')))
      .increment('going_count', 1);
    return Number(n) === 1;
  }

  /** Moves the first waiting members to the free places; their ids. */
  private async promote(trx: Knex, eventId: number, now: number): Promise<number[]> {
    const promoted: number[] = [];
    for (;;) {
      const next = await trx('event_rsvps')
        .where({ event_id: eventId, answer: 'waiting' })
        .orderBy('waiting_since')
        .orderBy('user_id')
        .first('user_id');
      if (!next || !(await this.book(trx, eventId))) return promoted;
      await trx('event_rsvps').where({ event_id: eventId, user_id: next.user_id }).update({ answer: 'going', answered_at: now, waiting_since: null });
      promoted.push(Number(next.user_id));
    }
  }

  private async announce(ev: EventRow, promoted: number[]): Promise<void> {
    for (const userId of promoted) await this.rt.hooks.emit('events:promoted', { networkId: Number(ev.network_id), entityId: ev.id, userId });
  }

  async answerOf(eventId: number, userId: number): Promise<{ answer: Stored; place: number | null } | null> {
    const row = (await this.rt.db('event_rsvps').where({ event_id: eventId, user_id: userId }).first('answer', 'waiting_since')) as
      { answer: Stored; waiting_since: number | string | null } | undefined;
    if (!row) return null;
    if (row.answer !== 'waiting') return { answer: row.answer, place: null };
    const since = Number(row.waiting_since);
    const ahead = await this.rt
      .db('event_rsvps')
      .where({ event_id: eventId, answer: 'waiting' })
      .where((w) => w.where('waiting_since', '<', since).orWhere((x) => x.where('waiting_since', since).where('user_id', '<', userId)))
      .count({ n: '*' })
      .first();
    return { answer: 'waiting', place: Number(ahead?.n ?? 0) + 1 };
  }

  /** Counts per stored answer. */
  async counts(eventId: number): Promise<Record<Stored, number>> {
    const rows = (await this.rt.db('event_rsvps').where({ event_id: eventId }).groupBy('answer').select('answer').count({ n: '*' })) as {
      answer: Stored;
      n: number | string;
    }[];
    const out: Record<Stored, number> = { going: 0, maybe: 0, not_going: 0, waiting: 0 };
    for (const r of rows) out[r.answer] = Number(r.n);
    return out;
  }

  /** Who answered (active members), by answer then name: for the page, when the list is shown. */
  async attendees(eventId: number): Promise<Attendee[]> {
    const rows = await onTheList(this.rt.db, eventId)
      .orderBy('r.answer')
      .orderBy('r.waiting_since')
      .orderBy('u.display_name')
      .limit(500)
      .select('u.id', 'u.username', 'u.display_name', 'u.photo_key', 'r.answer');
    return (rows as Attendee[]).map(normalise);
  }

  /** Members who answered going, maybe or waiting: told of changes, reminded. */
  async answeredIds(eventId: number): Promise<number[]> {
    const rows = await this.rt.db('event_rsvps').where({ event_id: eventId }).whereIn('answer', ['going', 'maybe', 'waiting']).select('user_id');
    return rows.map((r: { user_id: number }) => Number(r.user_id));
  }
}
