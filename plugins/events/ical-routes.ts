/**
 * iCalendar routes: one event's .ics (who sees the event), a member's subscription feed (its
 * secret in the URL; read as that member through the core access model), the guest feed of a
 * public network (events a guest may see), and making or revoking the subscription link.
 */
import { field, HttpError, link, requireMember, t, type RouteDef, type RouteResult, type RucheContext } from '../../core';
import { icalendar, sendCalendar } from './ical';
import { seriesCalendar } from './ical-series';
import { hidden, service, subscriptions, visibleEvent } from './params';
import { MAX_OCCURRENCES } from './recurrence';
import { isScope } from './subscriptions';

const DAY = 86_400_000;
/** A feed holds events that ended less than this long ago, and every later one. */
const FEED_PAST = 90 * DAY;
const FEED_MAX = 500;

const href = (ctx: RucheContext) => (id: number) => link(ctx, 'events.view', { id });

async function oneEvent(ctx: RucheContext): Promise<RouteResult> {
  const ev = await visibleEvent(ctx);
  sendCalendar(ctx, icalendar(ctx, ev.title, [ev], href(ctx)), `event-${ev.id}.ics`);
}

/** A recurring event's whole series (RRULE, EXDATE, overrides): the dates the reader may see. */
async function seriesFile(ctx: RucheContext): Promise<RouteResult> {
  const ev = await visibleEvent(ctx);
  const series = ev.series_id ? await service(ctx).series(ev.series_id) : undefined;
  if (!series) throw hidden(ctx);
  const dates = await service(ctx).lists.seriesDates(ctx.state.viewer, ctx.state.network.id, series.id, 0, MAX_OCCURRENCES);
  sendCalendar(ctx, seriesCalendar(ctx, { series, dates, shown: ev, href: href(ctx) }), `event-series-${series.id}.ics`);
}

async function guestFeed(ctx: RucheContext): Promise<RouteResult> {
  if (!ctx.state.network.allowGuests) throw new HttpError(404, 'events.errors.noPublicFeed');
  const rows = await service(ctx).lists.feed(null, ctx.state.network.id, Date.now() - FEED_PAST, FEED_MAX);
  sendCalendar(ctx, icalendar(ctx, t(ctx, 'events.ical.publicName', { network: ctx.state.network.name }), rows, href(ctx)));
}

async function memberFeed(ctx: RucheContext): Promise<RouteResult> {
  const sub = await subscriptions(ctx).bySecret(String(ctx.params?.secret ?? ''));
  const viewer = sub && sub.networkId === ctx.state.network.id ? await ctx.ruche.users.viewer(sub.userId) : null;
  // A revoked link, another network's, or a member who left or was suspended: nothing there.
  if (!sub || !viewer || viewer.status !== 'active' || !viewer.roles[sub.networkId]) throw new HttpError(404, 'events.errors.noFeed');
  const rows = await service(ctx).lists.feed(viewer, sub.networkId, Date.now() - FEED_PAST, FEED_MAX, sub.scope === 'answered');
  sendCalendar(ctx, icalendar(ctx, t(ctx, 'events.ical.memberName', { network: ctx.state.network.name }), rows, href(ctx)));
}

async function subscribe(ctx: RucheContext): Promise<RouteResult> {
  const viewer = requireMember(ctx);
  const scope = field(ctx, 'scope');
  if (!isScope(scope)) throw new HttpError(400, 'events.errors.scope');
  await subscriptions(ctx).create(viewer.id, ctx.state.network.id, scope);
  return { redirect: `${link(ctx, 'events.mine')}#calendar-link`, flash: 'events.flash.subscribed' };
}

async function unsubscribe(ctx: RucheContext): Promise<RouteResult> {
  const viewer = requireMember(ctx);
  await subscriptions(ctx).revoke(viewer.id, ctx.state.network.id);
  return { redirect: `${link(ctx, 'events.mine')}#calendar-link`, flash: 'events.flash.unsubscribed' };
}

export const icalRoutes: RouteDef[] = [
  { name: 'events.publicFeed', method: 'GET', path: '/events/public.ics', public: true, handler: guestFeed },
  { name: 'events.feed', method: 'GET', path: '/events/feed/:secret/calendar.ics', public: true, handler: memberFeed },
  { name: 'events.subscribe', method: 'POST', path: '/events/subscription', capability: 'core.participate', handler: subscribe },
  { name: 'events.unsubscribe', method: 'POST', path: '/events/subscription/delete', capability: 'core.participate', handler: unsubscribe },
  { name: 'events.ics', method: 'GET', path: '/events/:id/event.ics', public: true, handler: oneEvent },
  { name: 'events.seriesIcs', method: 'GET', path: '/events/:id/series.ics', public: true, handler: seriesFile },
];
