/**
 * Reading pages: the network's topics, a container's (group), a topic with one page of its
 * replies, the panels other plugins add under it (reactions) and the reply form; revisions
 * of a topic or a reply. Handlers are thin; the services hold the rules and every list goes
 * through the access clause.
 */
import {
  activeViewer,
  cursorPager,
  cursorParams,
  link,
  listRoutes,
  requireReader,
  t,
  type RouteDef,
  type RouteResult,
  type RucheContext,
} from '../../core';
import { actionRoutes } from './actions';
import { apiRoutes } from './api';
import { formRoutes } from './form';
import { threadSearchPage } from './thread-search';
import { topicView } from './view';
import { LIST_CURSOR, type TopicRow } from './service';
import {
  WRITE,
  editableReply,
  editableTopic,
  filterParam,
  hidden,
  replyHref,
  rows,
  tagParam,
  topics,
  visibleReply,
  visibleTopicPage,
} from './params';

async function listPage(ctx: RucheContext, opts: { title: string; containerId?: number; newHref: string | null }): Promise<RouteResult> {
  // Pinned first, then by last activity, by keyset: "Newer"/"Older" carry a cursor (an old `?page=` link opens the first page).
  const cursor = cursorParams(ctx, ...LIST_CURSOR);
  const tag = tagParam(ctx);
  const filter = filterParam(ctx);
  const listed = await topics(ctx).list(activeViewer(ctx), ctx.state.network.id, { containerId: opts.containerId, tag, filter, ...cursor });
  const base = ctx.path;
  return {
    view: 'discussions/list',
    title: opts.title,
    data: {
      pageTitle: opts.title,
      tag: tag ?? null,
      clearTag: tag ? base : null,
      filters: [
        { label: t(ctx, 'discussions.list.all'), href: base, current: filter === 'all' },
        { label: t(ctx, 'discussions.list.unanswered'), href: `${base}?filter=unanswered`, current: filter === 'unanswered' },
      ],
      unansweredHint: filter === 'unanswered' ? t(ctx, 'discussions.list.unansweredHint') : null,
      topics: await rows(ctx, listed.items),
      pager: cursorPager(ctx, listed, cursor, { drop: ['quote'] }),
      newHref: opts.newHref,
      signedIn: !!activeViewer(ctx),
    },
  };
}

const canWrite = (ctx: RucheContext): boolean => ctx.ruche.permissions.can(activeViewer(ctx), WRITE, ctx.state.network.id);

/** The network's topics (containerId null) or a container's. */
async function networkOrContainerList(ctx: RucheContext, containerId: number | null): Promise<RouteResult> {
  requireReader(ctx);
  if (containerId !== null) return containerList(ctx, containerId);
  return listPage(ctx, { title: t(ctx, 'discussions.list.title'), newHref: canWrite(ctx) ? link(ctx, 'discussions.new') : null });
}

async function containerList(ctx: RucheContext, id: number): Promise<RouteResult> {
  const container = await ctx.ruche.entities.get(id);
  if (!container || Number(container.network_id) !== ctx.state.network.id || !(await ctx.ruche.access.canSee(activeViewer(ctx), container)))
    throw hidden(ctx);
  const may = canWrite(ctx) && (await topics(ctx).canPostIn(activeViewer(ctx), id, ctx.state.network.id));
  return listPage(ctx, {
    title: t(ctx, 'discussions.list.inContainer'),
    containerId: id,
    newHref: may ? `${link(ctx, 'discussions.new')}?container=${id}` : null,
  });
}

async function topicPage(ctx: RucheContext): Promise<RouteResult> {
  const page = await visibleTopicPage(ctx);
  return { view: 'discussions/topic', title: page.topic.title, data: await topicView(ctx, page) };
}

async function revisionsPage(ctx: RucheContext, topic: TopicRow, replyId: number | null, back: string): Promise<RouteResult> {
  const list = await topics(ctx).revisions(topic.id, replyId);
  const title = replyId
    ? t(ctx, 'discussions.revisions.replyTitle', { title: topic.title })
    : t(ctx, 'discussions.revisions.title', { title: topic.title });
  return {
    view: 'discussions/revisions',
    title,
    data: { pageTitle: title, backHref: back, revisions: list.map((r, i) => ({ ...r, current: i === 0, number: list.length - i })) },
  };
}

export const discussionsRoutes: RouteDef[] = [
  ...listRoutes({ network: 'discussions.network', container: 'discussions.container' }, '/discussions', networkOrContainerList),
  ...formRoutes,
  { name: 'discussions.view', method: 'GET', path: '/discussions/:id', public: true, handler: topicPage },
  { name: 'discussions.search', method: 'GET', path: '/discussions/:id/search', public: true, handler: threadSearchPage },
  {
    name: 'discussions.revisions',
    method: 'GET',
    path: '/discussions/:id/revisions',
    capability: WRITE,
    async handler(ctx) {
      const topic = await editableTopic(ctx);
      return revisionsPage(ctx, topic, null, link(ctx, 'discussions.view', { id: topic.id }));
    },
  },
  {
    name: 'discussions.reply.view',
    method: 'GET',
    path: '/discussions/replies/:id',
    public: true,
    async handler(ctx) {
      const { reply, topic } = await visibleReply(ctx);
      return { redirect: await replyHref(ctx, topic, reply) };
    },
  },
  {
    name: 'discussions.reply.revisions',
    method: 'GET',
    path: '/discussions/replies/:id/revisions',
    capability: WRITE,
    async handler(ctx) {
      const { reply, topic } = await editableReply(ctx);
      return revisionsPage(ctx, topic, reply.id, await replyHref(ctx, topic, reply));
    },
  },
  ...actionRoutes,
  ...apiRoutes,
];
