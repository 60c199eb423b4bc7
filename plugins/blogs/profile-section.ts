/**
 * The block this plugin adds to a member's profile page (through `profiles:sections`): their
 * three latest posts the viewer may see, and a link to all of them. Nothing when none.
 */
import { link, type RucheContext, type Viewer } from '../../core';
import type { ProfileSection } from '../profiles/hooks';
import { BlogsService } from './service';

export async function profileSection(
  sections: ProfileSection[],
  c: { ctx: RucheContext; networkId: number; viewer: Viewer | null; profileUserId: number },
): Promise<ProfileSection[]> {
  const { ctx, viewer, networkId, profileUserId } = c;
  const { items } = await ctx.ruche.container.resolve(BlogsService).list(viewer, networkId, { ownerId: profileUserId, limit: 3 });
  if (!items.length) return sections;
  const data = {
    posts: items.map((p) => ({ title: p.title, href: link(ctx, 'blogs.view', { id: p.id }), publishedAt: p.published_at })),
    allHref: link(ctx, 'blogs.author', { username: items[0].username }),
  };
  return [...sections, { id: 'blogs', template: 'blogs/partials/profile-section', data, order: 30 }];
}
