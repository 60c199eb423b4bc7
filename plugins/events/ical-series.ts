/**
 * A recurring event as one iCalendar VEVENT (RFC 5545): DTSTART and DTEND in the organiser's
 * zone (TZID, with its VTIMEZONE), so a calendar keeps the series at 09:00 local across a change
 * of time; RRULE for the dates; EXDATE for the dates cancelled, deleted or hidden from the
 * reader; and an override (RECURRENCE-ID) for each date changed on its own. Never who answered.
 */
import icalGenerator, {
  ICalCalendarMethod,
  ICalEventRepeatingFreq,
  ICalEventStatus,
  type ICalEventData,
  type ICalTemporalZonedDateTimeStub,
} from 'ical-generator';
import { plainTextOf, wallTime, type RucheContext } from '../../core';
import { dateIn, siteOf } from './ical';
import { occurrences, type Repeat } from './recurrence';
import type { ListItem, SeriesDate, SeriesRow } from './model';

const DAY = 86_400_000;
const MINUTE = 60_000;
const FREQ: Record<Repeat, ICalEventRepeatingFreq> = {
  daily: ICalEventRepeatingFreq.DAILY,
  weekly: ICalEventRepeatingFreq.WEEKLY,
  monthly: ICalEventRepeatingFreq.MONTHLY,
};

const pad = (n: number, w = 2): string => String(Math.abs(n)).padStart(w, '0');

/** An instant read in a zone, in the shape ical-generator writes with a TZID (a Temporal ZonedDateTime's). */
function zoned(at: number, zone: string): ICalTemporalZonedDateTimeStub {
  const w = wallTime(at, zone);
  const iso = `${pad(w.y, 4)}-${pad(w.m)}-${pad(w.d)}T${pad(w.h)}:${pad(w.min)}:${pad(w.s)}`;
  const date = { year: w.y, month: w.m, day: w.d, toJSON: () => iso.slice(0, 10), toString: () => iso.slice(0, 10) };
  const fields = { year: w.y, month: w.m, day: w.d, hour: w.h, minute: w.min, second: w.s, toJSON: () => iso, toString: () => iso };
  const self: ICalTemporalZonedDateTimeStub = {
    ...fields,
    timeZoneId: zone,
    withTimeZone: (z) => zoned(at, z),
    toInstant: () => ({
      epochMilliseconds: at,
      toJSON: () => new Date(at).toISOString(),
      toString: () => new Date(at).toISOString(),
      toZonedDateTimeISO: (z) => zoned(at, z),
    }),
    toPlainDateTime: () => ({ ...fields, toPlainDate: () => date, toZonedDateTime: () => self }),
  };
  return self;
}

/** The zone's offset from UTC at an instant, in minutes. */
function offsetAt(at: number, zone: string): number {
  const w = wallTime(at, zone);
  return Math.round((Date.UTC(w.y, w.m - 1, w.d, w.h, w.min) - Math.floor(at / MINUTE) * MINUTE) / MINUTE);
}

const offsetText = (min: number): string => `${min < 0 ? '-' : '+'}${pad(Math.trunc(min / 60))}${pad(min % 60)}`;

/** A local time as iCalendar writes it: YYYYMMDDTHHMMSS. */
function localText(at: number, offset: number): string {
  const d = new Date(at + offset * MINUTE);
  return `${pad(d.getUTCFullYear(), 4)}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}T${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}00`;
}

/**
 * The VTIMEZONE of `zone` over [from, to]: its offset at `from`, then each change of time in
 * between (found day by day, then to the minute), as STANDARD or DAYLIGHT observances.
 */
export function vtimezone(zone: string, from: number, to: number): string {
  const changes: { at: number; from: number; to: number }[] = [];
  const start = from - 2 * DAY;
  let prev = offsetAt(start, zone);
  for (let t = start + DAY; t <= to + 2 * DAY; t += DAY) {
    const now = offsetAt(t, zone);
    if (now === prev) continue;
    let lo = t - DAY;
    let hi = t;
    while (hi - lo > MINUTE) {
      const mid = Math.floor((lo + hi) / 2 / MINUTE) * MINUTE;
      if (offsetAt(mid, zone) === prev) lo = mid;
      else hi = mid;
    }
    changes.push({ at: hi, from: prev, to: now });
    prev = now;
  }
  const first = offsetAt(start, zone);
  const least = Math.min(first, ...changes.map((c) => c.to));
  const observances = [{ at: start, from: first, to: first }, ...changes].map((c) => {
    const kind = c.to > least ? 'DAYLIGHT' : 'STANDARD';
    return [
      `BEGIN:${kind}`,
      `DTSTART:${localText(c.at, c.from)}`,
      `TZOFFSETFROM:${offsetText(c.from)}`,
      `TZOFFSETTO:${offsetText(c.to)}`,
      `END:${kind}`,
    ];
  });
  return ['BEGIN:VTIMEZONE', `TZID:${zone}`, ...observances.flat(), 'END:VTIMEZONE', ''].join('\r\n');
}

/** What a series calendar is made of: the rule, the dates the reader sees, the date the link came from. */
export interface SeriesCalendar {
  series: SeriesRow;
  dates: SeriesDate[];
  shown: ListItem & { body: string };
  href: (id: number) => string;
}

/** The series as an iCalendar text. */
export function seriesCalendar(ctx: RucheContext, { series, dates, shown, href }: SeriesCalendar): string {
  const site = siteOf(ctx).replace(/\/$/, '');
  const host = new URL(ctx.ruche.config.siteUrl).host;
  const zone = series.time_zone;
  const allDay = shown.all_day;
  const at = (ms: number) => (allDay ? dateIn(ms, zone) : zoned(ms, zone));
  const planned = occurrences(series.repeat, series.count, series.starts_at, series.ends_at, zone);
  const byStart = new Map(dates.map((d) => [Number(d.series_start), d]));
  const dropped = planned.filter((p) => byStart.get(p.startsAt)?.status !== 'scheduled').map((p) => at(p.startsAt));
  const last = planned[planned.length - 1]?.endsAt ?? series.ends_at;
  const cal = icalGenerator({
    name: shown.title,
    prodId: { company: 'Ruche', product: 'events', language: 'EN' },
    method: ICalCalendarMethod.PUBLISH,
    timezone: allDay ? null : { name: null, generator: (tz) => vtimezone(tz, series.starts_at, last) },
  });
  const uid = `event-series-${series.id}@${host}`;
  const describe = (ev: ListItem & { body: string }): Partial<ICalEventData> => {
    const url = `${site}${href(ev.id)}`;
    const text = plainTextOf(ev.body).trim();
    return {
      summary: ev.title,
      description: text ? `${text}\n\n${url}` : url,
      location: [ev.place, ev.online_url].filter(Boolean).join(' — ') || undefined,
      url,
    };
  };
  cal.createEvent({
    id: uid,
    start: at(series.starts_at),
    end: at(series.ends_at),
    allDay,
    timezone: allDay ? null : zone,
    repeating: { freq: FREQ[series.repeat], count: series.count, ...(dropped.length ? { exclude: dropped } : {}) },
    status: ICalEventStatus.CONFIRMED,
    stamp: new Date(),
    ...describe(shown),
  });
  // A date changed on its own (moved, renamed, another place): an override of the rule's date.
  for (const d of dates) {
    const plan = planned.find((p) => p.startsAt === d.series_start);
    if (!plan || d.status !== 'scheduled' || (!d.sequence && d.starts_at === plan.startsAt && d.ends_at === plan.endsAt)) continue;
    cal.createEvent({
      id: uid,
      recurrenceId: at(plan.startsAt),
      start: at(d.starts_at),
      end: at(d.ends_at),
      allDay,
      timezone: allDay ? null : zone,
      sequence: d.sequence ?? 0,
      status: ICalEventStatus.CONFIRMED,
      stamp: new Date(),
      ...describe(d),
    });
  }
  return cal.toString();
}
