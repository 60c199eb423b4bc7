/**
 * Events in the activity feed (the activity plugin's `activity:describe` filter): one query
 * for every event of the page; a deleted event gets no summary, so the feed leaves it out.
 * And the Events tab of a group page (`groups:tabs`).
 */
import { byEntityId, describeEach, idList, link, perDialect, preparedRead, t, type RucheContext } from '../../core';
import type { FeedEntry } from '../activity/hooks';
import type { GroupTab } from '../groups/hooks';
import { covers, statusBadge, whenText } from './params';
import { EVENT } from './model';

interface Summary {
  entity_id: number;
  title: string;
  excerpt: string;
  cover_key: string | null;
  starts_at: number;
  ends_at: number;
  all_day: boolean | number;
  time_zone: string;
  place: string;
  online_url: string | null;
  status: 'scheduled' | 'cancelled';
}

const SUMMARIES = preparedRead<Summary>(
  perDialect(
    (ids) =>
      `select entity_id, title, excerpt, cover_key, starts_at, ends_at, all_day, time_zone, place, online_url, status from events where ${ids('entity_id')}`,
  ),
);

const summaries = (ctx: RucheContext) => async (ids: number[]) => byEntityId(await SUMMARIES.all(ctx.ruche.db, [idList(ids)]));

export const describeEvents = (entries: FeedEntry[], { ctx }: { ctx: RucheContext }): Promise<FeedEntry[]> =>
  describeEach(entries, EVENT, summaries(ctx), (e, r) => {
    const ev = {
      starts_at: Number(r.starts_at),
      ends_at: Number(r.ends_at),
      all_day: r.all_day === true || Number(r.all_day) === 1,
      time_zone: r.time_zone,
    };
    const href = link(ctx, 'events.view', { id: e.entityId });
    const now = Date.now();
    return {
      href,
      summary: {
        template: 'events/partials/summary',
        data: {
          title: r.title,
          excerpt: r.excerpt,
          href,
          cover: covers.url(ctx, e.entityId, r.cover_key, 480),
          when: whenText(ctx, ev).text,
          place: r.place || (r.online_url ? t(ctx, 'events.event.online') : ''),
          status: statusBadge(ctx, { status: r.status, ends_at: ev.ends_at }, now),
        },
        // Versioned (core/hooks/map.ts: a write of its row bumps the version, migration 005) once time
        // no longer changes it: cancelled, or over ("past" for good). Before that, described every time.
        versioned: r.status === 'cancelled' || ev.ends_at <= now,
      },
    };
  });

export function groupTab(tabs: GroupTab[], c: { ctx: RucheContext; group: { id: number } }): GroupTab[] {
  return [...tabs, { id: 'events', label: t(c.ctx, 'events.tab'), href: link(c.ctx, 'events.container', { containerId: c.group.id }), order: 45 }];
}
