/**
 * iCalendar (RFC 5545) of events, written with ical-generator: one event's .ics, a member's
 * subscription feed and a public network's guest feed. Times are written in UTC (all-day
 * events as dates of the organiser's zone). A calendar says what the event is, when, where,
 * whether it is cancelled, and links to its page — never who answered.
 */
import icalGenerator, { ICalCalendarMethod, ICalEventStatus } from 'ical-generator';
import { networkUrl, plainTextOf, wallTime, type RucheContext } from '../../core';
import type { EventRow } from './model';

/** What a calendar says of an event. */
export type IcalEvent = Pick<
  EventRow,
  'id' | 'title' | 'body' | 'starts_at' | 'ends_at' | 'all_day' | 'time_zone' | 'place' | 'online_url' | 'status'
> &
  Partial<Pick<EventRow, 'sequence'>>;

/** The date (as a UTC midnight) an instant falls on in `zone`: what an all-day DTSTART/DTEND holds. */
export function dateIn(at: number, zone: string): Date {
  const w = wallTime(at, zone);
  return new Date(Date.UTC(w.y, w.m - 1, w.d));
}

/** The site's address as the request sees it (the network's host or path). */
export function siteOf(ctx: RucheContext): string {
  return ctx.state.basePath ? ctx.ruche.config.siteUrl : networkUrl(ctx.ruche.config.siteUrl, ctx.state.network);
}

export function icalendar(ctx: RucheContext, name: string, events: IcalEvent[], eventHref: (id: number) => string): string {
  const site = siteOf(ctx).replace(/\/$/, '');
  const host = new URL(ctx.ruche.config.siteUrl).host;
  const cal = icalGenerator({ name, prodId: { company: 'Ruche', product: 'events', language: 'EN' }, method: ICalCalendarMethod.PUBLISH });
  for (const ev of events) {
    const url = `${site}${eventHref(ev.id)}`;
    const text = plainTextOf(ev.body).trim();
    cal.createEvent({
      id: `event-${ev.id}@${host}`,
      sequence: ev.sequence ?? 0,
      start: ev.all_day ? dateIn(ev.starts_at, ev.time_zone) : new Date(ev.starts_at),
      end: ev.all_day ? dateIn(ev.ends_at, ev.time_zone) : new Date(ev.ends_at),
      allDay: ev.all_day,
      summary: ev.title,
      description: text ? `${text}\n\n${url}` : url,
      location: [ev.place, ev.online_url].filter(Boolean).join(' — ') || undefined,
      url,
      status: ev.status === 'cancelled' ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
      stamp: new Date(),
    });
  }
  return cal.toString();
}

/** Sends a calendar as the response (`inline`: a subscription; otherwise a download named `file`). */
export function sendCalendar(ctx: RucheContext, body: string, file?: string): void {
  ctx.type = 'text/calendar; charset=utf-8';
  ctx.set('Cache-Control', 'private, no-store');
  if (file) ctx.set('Content-Disposition', `attachment; filename="${file}"`);
  ctx.body = body;
}
