/**
 * The month calendar: a table of weeks (Monday first) with each day's events as links, in the
 * viewer's zone, and links to the month before and after — plain HTML, no JavaScript. With
 * `?container=<id>` it is a group's calendar (the group's events only).
 */
import {
  activeViewer,
  formatInZone,
  HttpError,
  instantOf,
  link,
  queryParam,
  requireReader,
  t,
  wallTime,
  zoneOr,
  type RouteResult,
  type RucheContext,
} from '../../core';
import { listTabs, service, statusBadge, visibleContainer } from './params';
import type { ListItem } from './model';

const MONTH = /^(\d{4})-(\d{2})$/;

const pad = (n: number): string => String(n).padStart(2, '0');

/** `?month=YYYY-MM`, or the viewer's current month; a 400 when it is no month. */
function monthParam(ctx: RucheContext, zone: string): { y: number; m: number } {
  const raw = queryParam(ctx, 'month');
  if (!raw) {
    const now = wallTime(Date.now(), zone);
    return { y: now.y, m: now.m };
  }
  const m = MONTH.exec(raw);
  const y = m ? Number(m[1]) : 0;
  const mo = m ? Number(m[2]) : 0;
  if (!m || y < 1970 || y > 9999 || mo < 1 || mo > 12) throw new HttpError(400, 'events.errors.month');
  return { y, m: mo };
}

export async function monthPage(ctx: RucheContext): Promise<RouteResult> {
  requireReader(ctx);
  const zone = zoneOr(ctx.state.viewer?.timeZone);
  const rawContainer = queryParam(ctx, 'container');
  let containerId: number | undefined;
  if (rawContainer) {
    if (!/^\d{1,15}$/.test(rawContainer)) throw new HttpError(404, 'events.errors.notFound');
    containerId = await visibleContainer(ctx, Number(rawContainer));
  }
  const { y, m } = monthParam(ctx, zone);
  const from = instantOf(zone, y, m, 1);
  const to = instantOf(zone, y, m + 1, 1);
  const events = await service(ctx).lists.between(ctx.state.viewer, ctx.state.network.id, from, to, { containerId });
  const daysInMonth = new Date(Date.UTC(y, m, 0)).getUTCDate();
  const lead = (wallTime(from, zone).weekday + 6) % 7; // Monday first
  const today = wallTime(Date.now(), zone);
  const locale = ctx.state.locale;
  const q = containerId ? `&container=${containerId}` : '';
  const monthHref = (yy: number, mm: number): string => `${link(ctx, 'events.calendar')}?month=${yy}-${pad(mm)}${q}`;
  const item = (e: ListItem, start: number) => ({
    title: e.title,
    href: link(ctx, 'events.view', { id: e.id }),
    time: e.all_day || e.starts_at < start ? null : formatInZone(e.starts_at, zone, locale, { hour: 'numeric', minute: '2-digit' }),
    status: statusBadge(ctx, e),
    cancelled: e.status === 'cancelled',
  });
  const cells: ({ day: number; dayName: string; today: boolean; events: ReturnType<typeof item>[] } | null)[] = Array.from(
    { length: lead },
    () => null,
  );
  for (let d = 1; d <= daysInMonth; d++) {
    const start = instantOf(zone, y, m, d);
    const end = instantOf(zone, y, m, d + 1);
    cells.push({
      day: d,
      dayName: formatInZone(start, zone, locale, { weekday: 'long', day: 'numeric', month: 'long' }),
      today: today.y === y && today.m === m && today.d === d,
      events: events.filter((e) => e.starts_at < end && e.ends_at > start).map((e) => item(e, start)),
    });
  }
  while (cells.length % 7) cells.push(null);
  const weeks = Array.from({ length: cells.length / 7 }, (_, i) => cells.slice(i * 7, i * 7 + 7));
  // Weekday names from a known Monday (5 January 2026).
  const weekdays = Array.from({ length: 7 }, (_, i) => ({
    short: formatInZone(Date.UTC(2026, 0, 5 + i, 12), 'UTC', locale, { weekday: 'short' }),
    long: formatInZone(Date.UTC(2026, 0, 5 + i, 12), 'UTC', locale, { weekday: 'long' }),
  }));
  const title = formatInZone(from, zone, locale, { month: 'long', year: 'numeric' });
  const prev = m === 1 ? monthHref(y - 1, 12) : monthHref(y, m - 1);
  const next = m === 12 ? monthHref(y + 1, 1) : monthHref(y, m + 1);
  const pageTitle = t(ctx, containerId ? 'events.calendar.groupTitle' : 'events.calendar.title', { month: title });
  return {
    view: 'events/calendar',
    title: pageTitle,
    data: {
      pageTitle,
      month: title,
      tabs: listTabs(ctx, 'month', containerId),
      weekdays,
      weeks,
      days: cells.filter((c) => c && c.events.length),
      prev,
      next,
      zone,
      zoneNote: activeViewer(ctx) && !ctx.state.viewer?.timeZone,
    },
  };
}
