/**
 * The JSON API under /api/v1/ (session or bearer token), with the same access rules as the
 * pages: list topics (network or `?container=`), read a topic with one page of replies,
 * reply (starting a topic is the form's twin, form.ts). Errors are JSON 4xx.
 */
import {
  activeViewer,
  API_PAGE_MAX,
  apiCursorQuery,
  apiMember,
  apiProblems,
  apiQuery,
  apiReadRoute,
  field,
  hrefWith,
  HttpError,
  link,
  nextLink,
  pageParam,
  queryParam,
  requireReader,
  z,
  type RouteDef,
  type RucheContext,
} from '../../core';
import { acceptedOf, pagesOf } from './reading';
import type { PageReply } from './replies';
import { LIST_CURSOR, PAGE_SIZE, type TopicItem, type TopicRow } from './service';
import { WRITE, filterParam, hidden, replies, tagParam, topics, visibleTopic } from './params';

const topicFields = {
  id: z.number().int(),
  title: z.string(),
  href: z.string(),
  containerId: z.number().int().nullable(),
  access: z.string(),
  locked: z.boolean(),
  pinned: z.boolean(),
  acceptedReplyId: z.number().int().nullable(),
  replyCount: z.number().int(),
  lastActivityAt: z.number(),
  createdAt: z.number(),
};
/** `?after=` (the `next` link's cursor), `?limit=`, the old numbered `?page=` and the list's filters. */
const listQuery = apiCursorQuery(...LIST_CURSOR).extend({
  limit: z.coerce.number().int().min(1).max(API_PAGE_MAX).default(PAGE_SIZE),
  page: z.coerce.number().int().min(1).max(10_000).optional().describe('A numbered page (kept for older clients; `next` carries a cursor).'),
  container: z.string().max(20).optional(),
  filter: z.string().max(20).optional(),
  tag: z.string().max(100).optional(),
});
const apiTopicList = z.object({
  page: z.number().int().nullable().describe('The numbered page asked for; null when paged by cursor.'),
  more: z.boolean(),
  next: z.string().nullable(),
  topics: z.array(z.object({ ...topicFields, unread: z.boolean(), author: apiMember })),
});
const apiTopicPage = z.object({
  topic: z.object({ ...topicFields, body: z.string(), html: z.string(), ownerId: z.number().int() }),
  page: z.number().int(),
  pages: z.number().int(),
  /** The next page of replies (pages follow reply positions, so a permalink keeps its page), null on the last. */
  next: z.string().nullable(),
  replies: z.array(
    z.union([
      z.object({ id: z.number().int(), position: z.number().int(), deleted: z.literal(true) }),
      z.object({
        id: z.number().int(),
        position: z.number().int(),
        author: apiMember,
        body: z.string(),
        html: z.string(),
        createdAt: z.number(),
        editedAt: z.number().nullable(),
        /** Hidden by a moderator: only its author and the moderators read it. */
        withheld: z.boolean(),
      }),
    ]),
  ),
});

const apiTopic = (ctx: RucheContext, p: TopicItem | TopicRow) => ({
  id: p.id,
  title: p.title,
  href: link(ctx, 'discussions.view', { id: p.id }),
  containerId: p.container_id,
  access: p.access,
  locked: p.locked,
  pinned: p.pinned,
  acceptedReplyId: p.accepted_reply_id,
  replyCount: p.reply_count,
  lastActivityAt: p.last_activity_at,
  createdAt: p.created_at,
});

const apiReply = (r: PageReply) =>
  r.deleted_at !== null
    ? { id: r.id, position: r.position, deleted: true }
    : {
        id: r.id,
        position: r.position,
        author: { id: r.author_id, username: r.username, displayName: r.display_name },
        body: r.body,
        html: r.body_html,
        createdAt: r.created_at,
        editedAt: r.edited_at,
        withheld: r.withheld,
      };

export const apiRoutes: RouteDef[] = [
  apiReadRoute({
    name: 'discussions.api.list',
    path: '/api/v1/discussions',
    summary: 'Discussion topics of the network or of one container (?container=), pinned first, then by last activity (keyset by `next`).',
    page: 'discussions.network',
    query: listQuery,
    response: apiTopicList,
    async find(ctx) {
      requireReader(ctx);
      const raw = queryParam(ctx, 'container');
      let containerId: number | undefined;
      if (raw) {
        containerId = /^\d{1,15}$/.test(raw) ? Number(raw) : 0;
        const c = await ctx.ruche.entities.get(containerId);
        if (!c || Number(c.network_id) !== ctx.state.network.id || !(await ctx.ruche.access.canSee(activeViewer(ctx), c))) throw hidden(ctx);
      }
      const { limit, after, page } = apiQuery(ctx, listQuery);
      const list = await topics(ctx).list(activeViewer(ctx), ctx.state.network.id, {
        containerId,
        filter: filterParam(ctx),
        tag: tagParam(ctx),
        limit,
        ...(after ? { after } : { page }),
      });
      return { ...list, page: after ? null : (page ?? 1), next: list.next ? nextLink(ctx, list.next) : null };
    },
    present: (ctx, { items, more, next, page }) => ({
      page,
      more,
      next,
      topics: items.map((i) => ({
        ...apiTopic(ctx, i),
        unread: i.unread,
        author: { id: i.owner_id, username: i.username, displayName: i.display_name },
      })),
    }),
  }),
  apiReadRoute({
    name: 'discussions.api.topic',
    path: '/api/v1/discussions/:id',
    summary: 'A topic with one page of its replies.',
    page: 'discussions.view',
    response: apiTopicPage,
    async find(ctx) {
      const topic = await visibleTopic(ctx);
      const size = topics(ctx).repliesPerPage(topic.network_id);
      // The topic as the viewer reads it: a reply a moderator hid is its author's and the moderators' only (reading.ts).
      const reading = await replies(ctx).reading(ctx, topic);
      const pages = pagesOf(topic, reading, size);
      const page = Math.min(pageParam(ctx), pages);
      const viewer = activeViewer(ctx);
      const list = await replies(ctx).page(topic, reading, page, size);
      const accepted = await acceptedOf(ctx.ruche.db, topic, reading);
      const maxId = list.reduce((m, r) => Math.max(m, r.id), 0);
      const lastRead = viewer ? await replies(ctx).lastRead(viewer.id, topic.id) : null;
      if (viewer && (lastRead === null || maxId > lastRead)) await replies(ctx).markRead(viewer.id, topic.id, maxId);
      return { topic: { ...topic, reply_count: reading.count, accepted_reply_id: accepted?.id ?? null }, page, pages, list };
    },
    present: (ctx, { topic, page, pages, list }) => ({
      topic: { ...apiTopic(ctx, topic), body: topic.body, html: topic.body_html, ownerId: topic.owner_id },
      page,
      pages,
      next: page < pages ? hrefWith(ctx, { page: page + 1 }) : null,
      replies: list.map(apiReply),
    }),
  }),
  {
    name: 'discussions.api.reply',
    method: 'POST',
    path: '/api/v1/discussions/:id/replies',
    api: { summary: 'Replies to a topic.', response: z.object({ id: z.number().int(), position: z.number().int(), href: z.string() }) },
    capability: WRITE,
    async handler(ctx) {
      const topic = await visibleTopic(ctx);
      if (topic.locked) throw new HttpError(403, 'discussions.errors.locked', {}, 'locked');
      const { body, problem, screened } = await replies(ctx).validate(field(ctx, 'body'), topic.network_id, ctx.state.viewer!.id);
      if (!body) throw apiProblems(ctx, { body: problem! });
      const reply = await replies(ctx).create(ctx.state.viewer!, topic, body, screened);
      return { status: 201, json: { id: reply.id, position: reply.position, href: link(ctx, 'discussions.reply.view', { id: reply.id }) } };
    },
  },
];
