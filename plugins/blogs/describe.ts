/**
 * Blog posts in the activity feed (the activity plugin's `activity:describe` filter): one
 * query for every blog entry of the page, whatever its size. Posts that are no longer
 * published get no summary, so the feed leaves them out. And the Blog tab of a group page.
 */
import { byEntityId, describeEach, idList, link, perDialect, preparedRead, t, type RucheContext } from '../../core';
import type { FeedEntry } from '../activity/hooks';
import type { GroupTab } from '../groups/hooks';
import { coverUrl } from './cover';
import { BLOG_POST } from './service';

/** The published posts among a feed's entries, kept prepared (one text for any number of posts). */
const SUMMARIES = preparedRead<{ entity_id: number; title: string; excerpt: string; cover_key: string | null }>(
  perDialect((ids) => `select entity_id, title, excerpt, cover_key from blog_posts where ${ids('entity_id')} and status = 'published'`),
);

const summaries = (ctx: RucheContext) => async (ids: number[]) => byEntityId(await SUMMARIES.all(ctx.ruche.db, [idList(ids)]));

export const describePosts = (entries: FeedEntry[], { ctx }: { ctx: RucheContext }): Promise<FeedEntry[]> =>
  describeEach(entries, BLOG_POST, summaries(ctx), (e, r) => {
    const href = link(ctx, 'blogs.view', { id: e.entityId });
    const cover = coverUrl(ctx, e.entityId, r.cover_key, 480);
    // Versioned (core/hooks/map.ts): a write of the post's row bumps its entity's version (migration 003).
    return { href, summary: { template: 'blogs/partials/summary', data: { title: r.title, excerpt: r.excerpt, href, cover }, versioned: true } };
  });

/** A group's page gets a Blog tab (the `groups:tabs` filter, run only when the groups plugin is there). */
export function groupTab(tabs: GroupTab[], c: { ctx: RucheContext; group: { id: number } }): GroupTab[] {
  return [...tabs, { id: 'blogs', label: t(c.ctx, 'blogs.tab'), href: link(c.ctx, 'blogs.container', { containerId: c.group.id }), order: 40 }];
}
