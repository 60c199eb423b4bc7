// Helpers for the events tests: an installed app, members with roles and time zones,
// containers (groups without the groups plugin), friends, signed-in agents, events written
// straight through the service, and iCalendar text parsed back with ical.js.
import ICAL from 'ical.js';
import type { Response } from 'supertest';
import { makeApp, type TestAgent } from '../../helpers/app';
import { eachAppOf } from '../../helpers/each-app';
import type { TestDatabase } from '../../helpers/databases';
import { recordEvents, type PluginTestApp } from '../../helpers/plugin-app';
import { befriend, capitalised, createMember, pageAgent, signedIn, testContainer, type PageAgent } from '../../helpers/members';
import { EventsService, type CleanEvent } from '../../../plugins/events/service';
import { RsvpService } from '../../../plugins/events/rsvp';

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;

export interface EventApp extends PluginTestApp {
  svc: EventsService;
  rsvp: RsvpService;
  member(username: string, opts?: { role?: 'member' | 'moderator' | 'admin'; locale?: string; timeZone?: string }): Promise<number>;
  as(username: string): Promise<PageAgent>;
  guest(): TestAgent;
  container(ownerId: number, memberIds: number[]): Promise<number>;
  befriend(a: number, b: number): Promise<void>;
  /** Writes an event straight through the service (fast set-up), starting in a week unless told. */
  plan(ownerId: number, ev?: Partial<CleanEvent>, containerId?: number | null): Promise<number>;
  allowGuests(allow: boolean): Promise<void>;
}

export async function eventApp(db: TestDatabase): Promise<EventApp> {
  const app = await makeApp(db);
  const rt = app.app.ruche;
  const events = recordEvents(rt, ['events:created', 'events:changed', 'events:cancelled', 'events:deleted', 'events:promoted']);
  const self: EventApp = {
    ...app,
    rt,
    db: rt.db,
    svc: rt.container.resolve(EventsService),
    rsvp: rt.container.resolve(RsvpService),
    events,
    async member(username, opts = {}) {
      const { timeZone, ...rest } = opts;
      const id = await createMember(rt, username, { displayName: capitalised(username), ...rest });
      if (timeZone) await rt.db('users').where({ id }).update({ time_zone: timeZone });
      return id;
    },
    as: async (username) => pageAgent(await signedIn(app, username), '/events'),
    guest: () => app.agent(),
    container: (ownerId, memberIds) => testContainer(rt, ownerId, memberIds),
    befriend: (a, b) => befriend(rt, a, b),
    async plan(ownerId, ev = {}, containerId = null) {
      const viewer = await rt.users.viewer(ownerId);
      const startsAt = ev.startsAt ?? Date.now() + 7 * DAY;
      const full: CleanEvent = {
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
        ...ev,
      };
      return self.svc.create(viewer!, rt.networks.root().id, containerId, full);
    },
    async allowGuests(allow) {
      await rt.networks.update(rt.networks.root().id, { allowGuests: allow });
    },
  };
  return self;
}

export const eachEventApp = eachAppOf(eventApp);

/** The id of the event a create form redirected to. */
export function createdId(res: Response): number {
  const m = /\/events\/(\d+)$/.exec(String(res.headers.location ?? ''));
  if (!m) throw new Error(`no event in redirect (status ${res.status}, location ${res.headers.location})`);
  return Number(m[1]);
}

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
