/**
 * Recurring events: the dates of a series (daily, weekly or monthly, a number of times), worked
 * out with the `rrule` library on the organiser's wall clock, so a series at 09:00 in Paris stays
 * at 09:00 in Paris across a change of time (its UTC instant moves by an hour). Each date of a
 * series is an event of its own (answers, waiting list, reminders, a change or a cancellation
 * for that date only); `event_series` keeps the rule for the iCalendar RRULE.
 */
import { RRule, type Frequency } from 'rrule';
import { instantOf, oneOf, wallTime } from '../../core';

export const REPEATS = ['daily', 'weekly', 'monthly'] as const;
export type Repeat = (typeof REPEATS)[number];
export const isRepeat = oneOf(REPEATS);
/** A series holds 2 to 52 dates (a year of weeks). */
export const MIN_OCCURRENCES = 2;
export const MAX_OCCURRENCES = 52;

const FREQ: Record<Repeat, Frequency> = { daily: RRule.DAILY, weekly: RRule.WEEKLY, monthly: RRule.MONTHLY };

/** The RRULE value of a series (`FREQ=WEEKLY;COUNT=10`), as the iCalendar export writes it. */
export const ruleText = (repeat: Repeat, count: number): string => `FREQ=${repeat.toUpperCase()};COUNT=${count}`;

/** An instant's wall-clock reading in `zone`, as a UTC Date (what rrule counts on). */
function floating(at: number, zone: string): Date {
  const w = wallTime(at, zone);
  return new Date(Date.UTC(w.y, w.m - 1, w.d, w.h, w.min));
}

/** The instant a floating Date (a wall-clock reading) names in `zone`. */
const anchored = (d: Date, zone: string): number =>
  instantOf(zone, d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate(), d.getUTCHours(), d.getUTCMinutes());

/**
 * The start and end of each date of a series whose first date is [startsAt, endsAt) in `zone`:
 * the same wall-clock start and the same wall-clock length every time. A monthly series on the
 * 31st skips the months without one (RFC 5545), so `count` dates may reach further.
 */
export function occurrences(repeat: Repeat, count: number, startsAt: number, endsAt: number, zone: string): { startsAt: number; endsAt: number }[] {
  const first = floating(startsAt, zone);
  const length = floating(endsAt, zone).getTime() - first.getTime();
  const rule = new RRule({ freq: FREQ[repeat], count, dtstart: first, tzid: null });
  return rule.all().map((d) => ({ startsAt: anchored(d, zone), endsAt: anchored(new Date(d.getTime() + length), zone) }));
}
