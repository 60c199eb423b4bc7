/**
 * An event as the plugin keeps it: its limits, what the form sends and what validation makes of
 * it, its row (`entities` with `events`), a series' rule, the columns of lists and feeds, and
 * `normalise`, which reads a row's numbers and flags alike on SQLite and PostgreSQL.
 */
import { typedRow, type ArticleRow, type CleanArticle, type KeysetCursor } from '../../core';
import type { Repeat } from './recurrence';

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
export const HOUR = 3_600_000;
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

/** A calendar feed's event: a list's columns and its text. */
export type FeedItem = ListItem & Pick<EventRow, 'body'>;

/** An event in a list or a calendar. */
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
