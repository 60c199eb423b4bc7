/**
 * What pages show of a recurring event: on a date's page, the rule and the other dates to come
 * (each a link, cancelled ones marked) with the series' calendar file; on a list's card, the
 * next few dates after the one shown. Only dates the viewer may see, through the access clause.
 */
import { formatInZone, link, t, type RucheContext } from '../../core';
import { service, viewerZone } from './params';
import type { EventRow, ListItem } from './model';

const SHORT: Intl.DateTimeFormatOptions = { weekday: 'short', day: 'numeric', month: 'short', hour: 'numeric', minute: '2-digit' };
const SHORT_DAY: Intl.DateTimeFormatOptions = { weekday: 'short', day: 'numeric', month: 'short' };
/** Dates listed on a date's page, and after a card. */
const PAGE_DATES = 12;
const CARD_DATES = 3;

function dateLink(ctx: RucheContext, d: ListItem, currentId?: number) {
  const zone = d.all_day ? d.time_zone : viewerZone(ctx, d.time_zone);
  return {
    href: link(ctx, 'events.view', { id: d.id }),
    when: formatInZone(d.starts_at, zone, ctx.state.locale, d.all_day ? SHORT_DAY : SHORT),
    iso: new Date(d.starts_at).toISOString(),
    current: d.id === currentId,
    cancelled: d.status === 'cancelled',
  };
}

/** A date's series for its page: the rule, the dates to come, the calendar file; null for an event that happens once. */
export async function seriesBlock(ctx: RucheContext, ev: EventRow) {
  if (!ev.series_id) return null;
  const series = await service(ctx).series(ev.series_id);
  if (!series) return null;
  const dates = await service(ctx).lists.seriesDates(ctx.state.viewer, ctx.state.network.id, series.id, Date.now(), PAGE_DATES);
  return {
    summary: t(ctx, 'events.series.summary', { repeat: t(ctx, `events.repeat.${series.repeat}`), count: series.count }),
    dates: dates.map((d) => dateLink(ctx, d, ev.id)),
    icsHref: link(ctx, 'events.seriesIcs', { id: ev.id }),
  };
}

/** The next dates after each card of a series (a list shows a series once, by its next date). */
export async function nextDates(ctx: RucheContext, items: ListItem[]): Promise<Map<number, ReturnType<typeof dateLink>[]>> {
  const out = new Map<number, ReturnType<typeof dateLink>[]>();
  for (const item of items) {
    if (!item.series_id) continue;
    const dates = await service(ctx).lists.seriesDates(ctx.state.viewer, ctx.state.network.id, item.series_id, item.ends_at - 1, CARD_DATES + 1);
    out.set(
      item.id,
      dates
        .filter((d) => d.id !== item.id && d.starts_at >= item.starts_at)
        .slice(0, CARD_DATES)
        .map((d) => dateLink(ctx, d)),
    );
  }
  return out;
}
