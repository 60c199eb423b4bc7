/**
 * The JSON API of blogs, through the pages' own lookups (params.ts): the published posts of
 * the network the viewer may see (`GET /api/v1/blogs`, `?tag=`, keyset by an opaque cursor of
 * publication time and id in `next`; `?page=` still taken), and one post as
 * its page shows it (`GET /api/v1/blogs/:id`: a draft to its author only). Writing a post is
 * `POST /api/v1/blogs`, the form's twin (form.ts). A post the viewer may not see is a 404
 * (a 401 for a guest), as its page.
 */
import { API_PAGE_MAX, apiCursorQuery, apiQuery, apiReadRoute, link, nextLink, requireReader, z, type RouteDef, type RucheContext } from '../../core';
import { service, tagParam, visiblePost } from './params';
import { LIST_CURSOR, PAGE_SIZE, STATUSES, type ListItem, type PostRow } from './service';

const postFields = {
  id: z.number().int(),
  title: z.string(),
  href: z.string(),
  access: z.string(),
  containerId: z.number().int().nullable(),
  status: z.enum(STATUSES),
  publishedAt: z.number().nullable(),
  tags: z.array(z.string()),
  author: z.object({ username: z.string(), displayName: z.string(), href: z.string() }),
};
const listQuery = apiCursorQuery(...LIST_CURSOR).extend({
  limit: z.coerce.number().int().min(1).max(API_PAGE_MAX).default(PAGE_SIZE),
  page: z.coerce.number().int().min(1).max(10_000).optional().describe('A numbered page (kept for older clients; `next` carries a cursor).'),
  tag: z.string().max(100).optional(),
});
const apiList = z.object({
  page: z.number().int().nullable().describe('The numbered page asked for; null when paged by cursor.'),
  more: z.boolean(),
  next: z.string().nullable(),
  posts: z.array(z.object({ ...postFields, excerpt: z.string() })),
});
const apiPost = z.object({
  ...postFields,
  body: z.string(),
  html: z.string(),
  publishAt: z.number().nullable(),
  editedAt: z.number().nullable(),
  canEdit: z.boolean(),
});

/** What a post shows in a list and on its page. */
const postOf = (ctx: RucheContext, p: ListItem | PostRow, tags: Map<number, string[]>, author: { username: string; name: string }) => ({
  id: p.id,
  title: p.title,
  href: link(ctx, 'blogs.view', { id: p.id }),
  access: p.access,
  containerId: p.container_id,
  status: p.status,
  publishedAt: p.published_at,
  tags: tags.get(p.id) ?? [],
  author: { username: author.username, displayName: author.name, href: link(ctx, 'blogs.author', { username: author.username }) },
});

export const blogsApiRoutes: RouteDef[] = [
  apiReadRoute({
    name: 'blogs.api.list',
    path: '/api/v1/blogs',
    summary: 'The published blog posts of the network the viewer may see, newest first (?tag=; keyset by `next`).',
    page: 'blogs.network',
    query: listQuery,
    response: apiList,
    async find(ctx) {
      requireReader(ctx);
      const { limit, after, page } = apiQuery(ctx, listQuery);
      const list = await service(ctx).list(ctx.state.viewer, ctx.state.network.id, { tag: tagParam(ctx), limit, after, page: after ? 1 : page });
      return {
        ...list,
        next: list.next ? nextLink(ctx, list.next) : null,
        page: after ? null : (page ?? 1),
        tags: await ctx.ruche.entities.tagsOf(list.items.map((i) => i.id)),
      };
    },
    present: (ctx, { items, more, next, page, tags }) => ({
      page,
      more,
      next,
      posts: items.map((p) => ({ ...postOf(ctx, p, tags, { username: p.username, name: p.display_name }), excerpt: p.excerpt })),
    }),
  }),
  apiReadRoute({
    name: 'blogs.api.post',
    path: '/api/v1/blogs/:id',
    summary: 'A blog post, as its page shows it to the viewer (a draft to its author only).',
    page: 'blogs.view',
    response: apiPost,
    async find(ctx) {
      const post = await visiblePost(ctx);
      const [tags, html] = await Promise.all([
        ctx.ruche.entities.tagsOf([post.id]),
        ctx.ruche.mentions.linkHtml(ctx, { entityId: post.id }, post.body_html),
      ]);
      return { post, tags, html };
    },
    present: (ctx, { post, tags, html }) => ({
      ...postOf(ctx, post, tags, { username: post.author_username, name: post.author_name }),
      body: post.body,
      html,
      publishAt: post.publish_at,
      editedAt: post.edited_at,
      canEdit: ctx.ruche.access.canEdit(ctx.state.viewer, post),
    }),
  }),
];
