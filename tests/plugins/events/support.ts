// Helpers for the events tests: an installed app, members with roles and time zones,
// containers (groups without the groups plugin), friends, signed-in agents, events written
// straight through the service, and iCalendar text parsed back with ical.js.
import ICAL from 'ical.js';
import type { Response } from 'supertest';
import type { ConfigInput } from '../../../core';
import { makeApp } from '../../helpers/app';
import { eachAppOf } from '../../helpers/each-app';
import type { TestDatabase } from '../../helpers/databases';
import { recordEvents, type PluginTestApp } from '../../helpers/plugin-app';
import { MEMBER_PASSWORD, memberWorld, redirectedId, type MemberWorld } from '../../helpers/members';
import type { CleanEvent } from '../../../plugins/events/model';
import { EventsService } from '../../../plugins/events/service';
import { RsvpService } from '../../../plugins/events/rsvp';

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;

export interface EventApp extends PluginTestApp, Omit<MemberWorld, 'member'> {
  svc: EventsService;
  rsvp: RsvpService;
  /** A member, in `timeZone` when given. */
  member(username: string, opts?: { role?: 'member' | 'moderator' | 'admin'; locale?: string; timeZone?: string }): Promise<number>;
  /** Writes an event straight through the service (fast set-up), starting in a week unless told. */
  plan(ownerId: number, ev?: Partial<CleanEvent>, containerId?: number | null): Promise<number>;
}

/** A valid event as the form would make it, a week ahead for two hours, with `ev` on top. */
export function eventDraft(ev: Partial<CleanEvent> = {}): CleanEvent {
  const startsAt = ev.startsAt ?? Date.now() + 7 * DAY;
  return {
    title: 'An event',
    body: 'Come *along*',
    tags: [],
    access: 'members',
    startsAt,
    endsAt: startsAt + 2 * HOUR,
    allDay: false,
    timeZone: 'Europe/Paris',
    place: 'The hall',
    mapUrl: null,
    onlineUrl: null,
    capacity: null,
    deadline: null,
    hideAttendees: false,
    organiserIds: [],
    questions: [],
    ...ev,
  };
}

/** The app on `db`; `config` adds to the test config (a mail server). */
export async function eventApp(db: TestDatabase, config?: ConfigInput): Promise<EventApp> {
  const app = await makeApp(db, { config });
  const rt = app.app.ruche;
  const events = recordEvents(rt, ['events:created', 'events:changed', 'events:cancelled', 'events:deleted', 'events:promoted']);
  const world = memberWorld(app, '/events');
  const self: EventApp = {
    ...app,
    rt,
    db: rt.db,
    svc: rt.container.resolve(EventsService),
    rsvp: rt.container.resolve(RsvpService),
    events,
    ...world,
    async member(username, opts = {}) {
      const { timeZone, ...rest } = opts;
      const id = await world.member(username, rest);
      if (timeZone) await rt.db('users').where({ id }).update({ time_zone: timeZone });
      return id;
    },
    async plan(ownerId, ev = {}, containerId = null) {
      const viewer = await rt.users.viewer(ownerId);
      return self.svc.create(viewer!, rt.networks.root().id, containerId, eventDraft(ev));
    },
  };
  return self;
}

export const eachEventApp = eachAppOf((db) => eventApp(db));

/** The fields of a valid event form in Paris from `starts` to `ends` (`YYYY-MM-DDTHH:MM`), with `fields` over them. */
export const eventForm = (starts: string, ends: string, fields: Record<string, string> = {}): Record<string, string> => ({
  ...{ title: 'An event', body: 'Come along.', access: 'members', time_zone: 'Europe/Paris' },
  starts,
  ends,
  ...fields,
});

/** Olga (Paris) and Marc (Montreal), accounts of a browser test's app with the members' password; their ids. */
export async function olgaAndMarc(rt: PluginTestApp['rt']): Promise<{ olga: number; marc: number }> {
  const made: Record<string, number> = {};
  for (const [username, displayName, zone] of [
    ['olga', 'Olga Martin', 'Europe/Paris'],
    ['marc', 'Marc Tremblay', 'America/Montreal'],
  ] as const) {
    const u = await rt.users.create({ username, email: `${username}@example.com`, password: MEMBER_PASSWORD, displayName });
    if (!('id' in u)) throw new Error(`no ${username}`);
    made[username] = u.id;
    await rt.db('users').where({ id: u.id }).update({ time_zone: zone });
  }
  return { olga: made.olga, marc: made.marc };
}

/** The id of the event a create form redirected to. */
export const createdId = (res: Response): number => redirectedId(res, '/events');

export interface ParsedEvent {
  uid: string;
  summary: string;
  description: string;
  location: string;
  status: string;
  start: ICAL.Time;
  end: ICAL.Time;
}

/** An iCalendar text parsed by ical.js (throws on text that is not RFC 5545). */
export function parseCalendar(text: string): { name: string | null; events: ParsedEvent[] } {
  const cal = new ICAL.Component(ICAL.parse(text));
  const events = cal.getAllSubcomponents('vevent').map((c) => {
    const e = new ICAL.Event(c);
    return {
      uid: e.uid,
      summary: e.summary,
      description: e.description ?? '',
      location: e.location ?? '',
      status: String(c.getFirstPropertyValue('status') ?? ''),
      start: e.startDate,
      end: e.endDate,
    };
  });
  return { name: (cal.getFirstPropertyValue('x-wr-calname') as string | null) ?? null, events };
}
