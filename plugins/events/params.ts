/** What the events route modules share: the capability, reader checks, `:id`, how times read, list cards. */
import { activeViewer, coverImages, formatInZone, HttpError, idParam, link, t, zoneOr, type RucheContext } from '../../core';
import { QuestionsService } from './questions';
import { RsvpService } from './rsvp';
import { CalendarSubscriptions } from './subscriptions';
import type { EventRow, ListItem } from './model';
import { EventsService } from './service';
import type { OrganiserAttendees } from './hooks';

export const WRITE = 'events.write';
export const covers = coverImages('events');

export const service = (ctx: RucheContext): EventsService => ctx.ruche.container.resolve(EventsService);
export const rsvps = (ctx: RucheContext): RsvpService => ctx.ruche.container.resolve(RsvpService);
export const questions = (ctx: RucheContext): QuestionsService => ctx.ruche.container.resolve(QuestionsService);
export const subscriptions = (ctx: RucheContext): CalendarSubscriptions => ctx.ruche.container.resolve(CalendarSubscriptions);

/** 404 for members, sign-in for guests: never a hint that something exists. */
export const hidden = (ctx: RucheContext): HttpError => (activeViewer(ctx) ? new HttpError(404, 'events.errors.notFound') : new HttpError(401));

/** The event of `:id` when the viewer may see it (the core's access model decides); 404 / sign-in otherwise. */
export async function visibleEvent(ctx: RucheContext): Promise<EventRow> {
  const ev = await service(ctx).find(idParam(ctx));
  if (!ev || ev.network_id !== ctx.state.network.id) throw hidden(ctx);
  if (!(await ctx.ruche.access.canSee(activeViewer(ctx), ev))) throw hidden(ctx);
  return ev;
}

/** Whether the viewer may change the event: its author and moderators (core), or a co-organiser. */
export async function mayEdit(ctx: RucheContext, ev: EventRow): Promise<boolean> {
  const viewer = activeViewer(ctx);
  if (!viewer) return false;
  if (ctx.ruche.access.canEdit(viewer, ev)) return true;
  return ctx.ruche.permissions.can(viewer, WRITE, ctx.state.network.id) && service(ctx).isOrganiser(ev.id, viewer.id);
}

export async function editableEvent(ctx: RucheContext): Promise<EventRow> {
  const ev = await visibleEvent(ctx);
  if (!(await mayEdit(ctx, ev))) throw new HttpError(403, 'events.errors.notYours');
  return ev;
}

/** The zone the viewer reads times in: theirs (account page), else the event's. */
export const viewerZone = (ctx: RucheContext, fallback: string): string => zoneOr(ctx.state.viewer?.timeZone, fallback);

const DAY_FMT: Intl.DateTimeFormatOptions = { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric' };
const TIME_FMT: Intl.DateTimeFormatOptions = { hour: 'numeric', minute: '2-digit' };

/**
 * When an event happens, as the viewer reads it: in their zone (named), e.g. "Fri, 5 Jun 2026,
 * 03:00 – 05:00"; an all-day event as its dates (the organiser's calendar days).
 */
export function whenText(
  ctx: RucheContext,
  ev: Pick<EventRow, 'starts_at' | 'ends_at' | 'all_day' | 'time_zone'>,
  zone = viewerZone(ctx, ev.time_zone),
) {
  const locale = ctx.state.locale;
  if (ev.all_day) {
    const first = formatInZone(ev.starts_at, ev.time_zone, locale, DAY_FMT);
    const last = formatInZone(ev.ends_at - 1, ev.time_zone, locale, DAY_FMT);
    return { text: first === last ? first : `${first} – ${last}`, zone: null };
  }
  const day1 = formatInZone(ev.starts_at, zone, locale, DAY_FMT);
  const day2 = formatInZone(ev.ends_at, zone, locale, DAY_FMT);
  const t1 = formatInZone(ev.starts_at, zone, locale, TIME_FMT);
  const t2 = formatInZone(ev.ends_at, zone, locale, TIME_FMT);
  return { text: day1 === day2 ? `${day1}, ${t1} – ${t2}` : `${day1}, ${t1} – ${day2}, ${t2}`, zone };
}

export function statusBadge(ctx: RucheContext, ev: Pick<ListItem, 'status' | 'ends_at'>, now = Date.now()): string | null {
  if (ev.status === 'cancelled') return t(ctx, 'events.status.cancelled');
  return ev.ends_at <= now ? t(ctx, 'events.status.past') : null;
}

/** An event as a list card; a date of a series says how it repeats, and its next dates when given. */
export function card(ctx: RucheContext, ev: ListItem & { answer?: string | null }, next: { href: string; when: string }[] = []) {
  const when = whenText(ctx, ev);
  return {
    repeat: ev.series_repeat ? t(ctx, `events.repeat.${ev.series_repeat}`) : null,
    next,
    id: ev.id,
    title: ev.title,
    excerpt: ev.excerpt,
    href: link(ctx, 'events.view', { id: ev.id }),
    cover: covers.url(ctx, ev.id, ev.cover_key, 480),
    when: when.text,
    zone: when.zone,
    startsIso: new Date(ev.starts_at).toISOString(),
    place: ev.place || (ev.online_url ? t(ctx, 'events.event.online') : ''),
    status: statusBadge(ctx, ev),
    cancelled: ev.status === 'cancelled',
    answer: ev.answer ? t(ctx, `events.answer.${ev.answer}`) : null,
    full: ev.capacity !== null && ev.going_count >= ev.capacity && ev.status === 'scheduled',
    accessLabel: t(ctx, `core.access.${ev.access}`),
  };
}

/** The tabs over every list: upcoming, past, month, mine. */
export function listTabs(ctx: RucheContext, current: string, containerId?: number) {
  const q = containerId ? `?container=${containerId}` : '';
  const tabs = containerId
    ? [
        { id: 'upcoming', href: link(ctx, 'events.container', { containerId }) },
        { id: 'month', href: `${link(ctx, 'events.calendar')}${q}` },
      ]
    : [
        { id: 'upcoming', href: link(ctx, 'events.network') },
        { id: 'past', href: link(ctx, 'events.past') },
        { id: 'month', href: link(ctx, 'events.calendar') },
        ...(activeViewer(ctx) ? [{ id: 'mine', href: link(ctx, 'events.mine') }] : []),
      ];
  return tabs.map((tab) => ({ ...tab, label: t(ctx, `events.tabs.${tab.id}`), current: tab.id === current }));
}

/** The container of `?container=` / `:containerId` when the viewer may see it; 404 / sign-in otherwise. */
export async function visibleContainer(ctx: RucheContext, id: number): Promise<number> {
  const container = await ctx.ruche.entities.get(id);
  if (!container || Number(container.network_id) !== ctx.state.network.id || !(await ctx.ruche.access.canSee(activeViewer(ctx), container)))
    throw hidden(ctx);
  return id;
}

/** `events:attendeesForOrganiser`: the event's "going" members when the viewer may see and change it, else null. */
export async function attendeesForOrganiser(
  _value: OrganiserAttendees | null,
  c: { ctx: RucheContext; eventId: number },
): Promise<OrganiserAttendees | null> {
  const { ctx, eventId } = c;
  const ev = await service(ctx).find(eventId);
  if (!ev || ev.network_id !== ctx.state.network.id || !(await ctx.ruche.access.canSee(activeViewer(ctx), ev)) || !(await mayEdit(ctx, ev)))
    return null;
  const going = (await rsvps(ctx).attendees(ev.id)).filter((a) => a.answer === 'going');
  const attendees = going
    .map((a) => ({ id: a.id, username: a.username, displayName: a.display_name }))
    .sort((a, b) => a.displayName.localeCompare(b.displayName));
  return { eventId: ev.id, title: ev.title, startsAt: ev.starts_at, endsAt: ev.ends_at, attendees };
}
