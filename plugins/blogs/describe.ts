/**
 * Blog posts in the activity feed (the activity plugin's `activity:describe` filter): one
 * query for every blog entry of the page, whatever its size. Posts that are no longer
 * published get no summary, so the feed leaves them out. And the Blog tab of a group page.
 */
import { idList, link, perDialect, preparedRead, t, type RucheContext } from '../../core';
import type { FeedEntry } from '../activity/hooks';
import type { GroupTab } from '../groups/hooks';
import { coverUrl } from './cover';
import { BLOG_POST } from './service';

/** The published posts among a feed's entries, kept prepared (one text for any number of posts). */
const SUMMARIES = preparedRead<{ entity_id: number; title: string; excerpt: string; cover_key: string | null }>(
  perDialect((ids) => `select entity_id, title, excerpt, cover_key from blog_posts where ${ids('entity_id')} and status = 'published'`),
);

export async function describePosts(entries: FeedEntry[], c: { ctx: RucheContext }): Promise<FeedEntry[]> {
  const ids = [...new Set(entries.filter((e) => e.entityType === BLOG_POST).map((e) => e.entityId))];
  if (!ids.length) return entries;
  const { ctx } = c;
  const rows = await SUMMARIES.all(ctx.ruche.db, [idList(ids)]);
  const byId = new Map(rows.map((r) => [Number(r.entity_id), r]));
  for (const e of entries) {
    if (e.entityType !== BLOG_POST) continue;
    const r = byId.get(e.entityId);
    if (!r) continue;
    e.href = link(ctx, 'blogs.view', { id: e.entityId });
    e.summary = {
      template: 'blogs/partials/summary',
      data: { title: r.title, excerpt: r.excerpt, href: e.href, cover: coverUrl(ctx, e.entityId, r.cover_key, 480) },
    };
  }
  return entries;
}

/** A group's page gets a Blog tab (the `groups:tabs` filter, run only when the groups plugin is there). */
export function groupTab(tabs: GroupTab[], c: { ctx: RucheContext; group: { id: number } }): GroupTab[] {
  return [...tabs, { id: 'blogs', label: t(c.ctx, 'blogs.tab'), href: link(c.ctx, 'blogs.container', { containerId: c.group.id }), order: 40 }];
}
