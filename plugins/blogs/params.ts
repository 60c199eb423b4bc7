/** What the blogs route modules share: the capability, reader checks, `:id`, list cards. */
import { avatarUrl, activeViewer, HttpError, idParam, link, t, tagLinks, tagQuery, type RucheContext } from '../../core';
import { coverUrl } from './cover';
import { BlogsService, type ListItem, type PostRow } from './service';

export const WRITE = 'blogs.write';

export const service = (ctx: RucheContext): BlogsService => ctx.ruche.container.resolve(BlogsService);

/** 404 for members, sign-in for guests: never a hint that something exists. */
export const hidden = (ctx: RucheContext): HttpError => (activeViewer(ctx) ? new HttpError(404, 'blogs.errors.notFound') : new HttpError(401));

/** `?tag=` of a list: 404 when it cannot be a tag. */
export const tagParam = (ctx: RucheContext): string | undefined => tagQuery(ctx, 'blogs.errors.notFound');

/**
 * The post of `:id` when the viewer may see it: published and visible under its access
 * level, or a draft/scheduled post of their own (the core's access model decides both).
 * Otherwise 404 (members) or sign-in (guests).
 */
export async function visiblePost(ctx: RucheContext): Promise<PostRow> {
  const post = await service(ctx).find(idParam(ctx));
  const viewer = activeViewer(ctx);
  if (!post || post.network_id !== ctx.state.network.id) throw hidden(ctx);
  if (!(await ctx.ruche.access.canSee(viewer, post))) throw hidden(ctx);
  return post;
}

/** The post of `:id` when the viewer may edit it (its author; moderators once it is published). */
export async function editablePost(ctx: RucheContext): Promise<PostRow> {
  const post = await visiblePost(ctx);
  if (!ctx.ruche.access.canEdit(ctx.state.viewer, post)) throw new HttpError(403, 'blogs.errors.notYours');
  return post;
}

export function statusLabel(ctx: RucheContext, p: { status: string; publish_at: number | null }): string | null {
  return p.status === 'published' ? null : t(ctx, `blogs.status.${p.status}`);
}

/** A post as a list card. */
export function card(ctx: RucheContext, p: ListItem, tags: Map<number, string[]>) {
  return {
    id: p.id,
    title: p.title,
    excerpt: p.excerpt,
    href: link(ctx, 'blogs.view', { id: p.id }),
    cover: coverUrl(ctx, p.id, p.cover_key, 480),
    authorName: p.display_name,
    authorHref: link(ctx, 'blogs.author', { username: p.username }),
    avatar: avatarUrl(ctx, { id: p.owner_id, photo_key: p.photo_key }, 64),
    publishedAt: p.published_at,
    publishAt: p.publish_at,
    status: statusLabel(ctx, p),
    accessLabel: t(ctx, `core.access.${p.access}`),
    tags: tagLinks(ctx, 'blogs.network', tags.get(p.id) ?? []),
  };
}

/** Cards for a page of posts, with their tags in one query. */
export async function cards(ctx: RucheContext, items: ListItem[]) {
  const tags = await ctx.ruche.entities.tagsOf(items.map((i) => i.id));
  return items.map((i) => card(ctx, i, tags));
}
