/**
 * Reading pages: the network's blog, an author's, a container's (group), a post with the
 * panels other plugins add under it (comments, likes), its cover, its revisions. Handlers
 * are thin; BlogsService holds the rules and every list goes through the access clause.
 */
import {
  cursorPager,
  cursorParams,
  HttpError,
  link,
  listRoutes,
  requireReader,
  t,
  type RouteDef,
  type RouteResult,
  type RucheContext,
  titledPage,
} from '../../core';
import { serveCover } from './cover';
import { formRoutes } from './form';
import { postPage } from './post-page';
import { LIST_CURSOR } from './service';
import { WRITE, cards, editablePost, hidden, service, tagParam, visiblePost } from './params';

async function listPage(
  ctx: RucheContext,
  opts: { title: string; lead?: string; ownerId?: number; containerId?: number; writeHref?: string | null; drafts?: boolean },
): Promise<RouteResult> {
  // Newest first by keyset: "Newer"/"Older" carry a cursor (an old `?page=` link opens the first page).
  const cursor = cursorParams(ctx, ...LIST_CURSOR);
  const tag = tagParam(ctx);
  const svc = service(ctx);
  const listed = await svc.list(ctx.state.viewer, ctx.state.network.id, { ownerId: opts.ownerId, containerId: opts.containerId, tag, ...cursor });
  const drafts = opts.drafts && opts.ownerId !== undefined ? await cards(ctx, await svc.unpublished(opts.ownerId, ctx.state.network.id)) : [];
  return {
    view: 'blogs/list',
    title: opts.title,
    data: {
      pageTitle: opts.title,
      lead: opts.lead ?? null,
      tag: tag ?? null,
      clearTag: tag ? ctx.path : null,
      posts: await cards(ctx, listed.items),
      drafts,
      pager: cursorPager(ctx, listed, cursor),
      writeHref: opts.writeHref ?? null,
    },
  };
}

function canWrite(ctx: RucheContext): boolean {
  return ctx.ruche.permissions.can(ctx.state.viewer, WRITE, ctx.state.network.id);
}

/** The network's blog (containerId null) or a container's. */
async function networkOrContainerList(ctx: RucheContext, containerId: number | null): Promise<RouteResult> {
  requireReader(ctx);
  if (containerId !== null) return containerList(ctx, containerId);
  return listPage(ctx, { title: t(ctx, 'blogs.list.title'), writeHref: canWrite(ctx) ? link(ctx, 'blogs.new') : null });
}

async function authorList(ctx: RucheContext): Promise<RouteResult> {
  requireReader(ctx);
  const row = await ctx.ruche.users.activeMember(ctx.state.network.id, String(ctx.params?.username ?? ''));
  if (!row) throw new HttpError(404, 'blogs.errors.noMember');
  const own = ctx.state.viewer?.id === Number(row.id);
  return listPage(ctx, {
    title: t(ctx, 'blogs.list.byAuthor', { name: row.display_name }),
    ownerId: Number(row.id),
    drafts: own,
    writeHref: own && canWrite(ctx) ? link(ctx, 'blogs.new') : null,
  });
}

async function containerList(ctx: RucheContext, id: number): Promise<RouteResult> {
  const container = await ctx.ruche.entities.get(id);
  if (!container || Number(container.network_id) !== ctx.state.network.id || !(await ctx.ruche.access.canSee(ctx.state.viewer, container)))
    throw hidden(ctx);
  const viewer = ctx.state.viewer;
  const member = viewer ? (await ctx.ruche.containers.policy(viewer, id, ctx.state.network.id)).role : null;
  return listPage(ctx, {
    title: t(ctx, 'blogs.list.inContainer'),
    containerId: id,
    writeHref: member && canWrite(ctx) ? `${link(ctx, 'blogs.new')}?container=${id}` : null,
  });
}

async function coverFile(ctx: RucheContext): Promise<RouteResult> {
  const post = await visiblePost(ctx);
  await serveCover(ctx, post.cover_key);
}

async function revisionsPage(ctx: RucheContext): Promise<RouteResult> {
  const post = await editablePost(ctx);
  const revisions = await service(ctx).revisions(post.id);
  return titledPage(
    ctx,
    'blogs/revisions',
    'blogs.revisions.title',
    {
      postHref: link(ctx, 'blogs.view', { id: post.id }),
      revisions: revisions.map((r, i) => ({ ...r, current: i === 0, number: revisions.length - i })),
    },
    { title: post.title },
  );
}

export const blogsRoutes: RouteDef[] = [
  ...listRoutes({ network: 'blogs.network', container: 'blogs.container' }, '/blogs', networkOrContainerList),
  ...formRoutes,
  { name: 'blogs.author', method: 'GET', path: '/blogs/by/:username', public: true, handler: authorList },
  { name: 'blogs.view', method: 'GET', path: '/blogs/:id', public: true, handler: postPage },
  { name: 'blogs.cover', method: 'GET', path: '/blogs/:id/cover/:file', public: true, handler: coverFile },
  { name: 'blogs.revisions', method: 'GET', path: '/blogs/:id/revisions', capability: WRITE, handler: revisionsPage },
];
