/**
 * The thread page of an entity, the forms that comment, reply, edit and delete (all work
 * without JavaScript: POST, then back to a safe local `next`), and the JSON API.
 * Handlers are thin: the service checks access on every read and write.
 */
import {
  acceptAttachments,
  apiCursor,
  apiQuery,
  encodeCursor,
  entityRef,
  field,
  hrefWith,
  HttpError,
  idOf,
  idParam,
  link,
  requireMember,
  safeNext,
  t,
  z,
  type RouteDef,
  type RouteResult,
  type RucheContext,
  type PieceReader,
} from '../../core';
import { PAGE_SIZE, THREAD_CURSOR } from './reads';
import { readerSees, type CommentRow } from './rows';
import { COMMENT_KIND, CommentsService, WRITE } from './service';
import { commentPanels, readerFor, type ThreadInput } from './thread';

const service = (ctx: RucheContext): CommentsService => ctx.ruche.container.resolve(CommentsService);

/** The same place, scrolled to `anchor` unless it already names one. */
/** Back to the safe `next` (else the entity's thread) at `anchor`, with a flash message. */
function backTo(ctx: RucheContext, entityId: number, anchor: string, flash: string): RouteResult {
  const url = safeNext(ctx, link(ctx, 'comments.thread', { id: entityId }));
  return { redirect: `${url.split('#')[0]}#${anchor}`, flash };
}

/** The comment of the address (`:id`) that the viewer wrote, and what it is on; 403 if someone else's. */
async function ownComment(ctx: RucheContext) {
  const viewer = requireMember(ctx);
  const { comment, entity } = await service(ctx).comment(viewer, idParam(ctx));
  if (comment.author_id !== viewer.id) throw new HttpError(403, 'comments.error.notYours');
  return { viewer, comment, entity };
}

async function threadPage(ctx: RucheContext, input: ThreadInput = {}, status?: number): Promise<RouteResult> {
  const entity = await service(ctx).entity(ctx.state.viewer, idParam(ctx));
  const [panel] = await commentPanels(ctx, [entityRef(entity)], 'page', { entityId: Number(entity.id), ...input });
  const title = t(ctx, 'comments.thread.title');
  const back = safeNext(ctx, '');
  return { view: 'comments/thread', title, status, data: { pageTitle: title, panel: panel.data, back: back || null } };
}

const apiCommentSchema = z.object({
  id: z.number().int(),
  entityId: z.number().int(),
  authorId: z.number().int(),
  parentId: z.number().int().nullable(),
  body: z.string().nullable(),
  createdAt: z.number(),
  editedAt: z.number().nullable(),
  deleted: z.literal(true).optional(),
  withheld: z
    .literal(true)
    .optional()
    .describe(
      'Hidden by a moderator: its author and the moderators read it; anyone else gets its place (its replies are under it), without its body.',
    ),
});
const apiCommentList = z.object({
  entityId: z.number().int(),
  count: z.number().int(),
  topLevel: z.number().int(),
  pages: z.number().int().describe('Pages of top-level comments (for `?comments_page=`, kept for older clients).'),
  page: z.number().int().nullable().describe('The numbered page asked for; null when paged by cursor.'),
  next: z.string().nullable().describe('The link to the next top-level comments and their replies (a cursor); null on the last page.'),
  comments: z.array(apiCommentSchema),
});
/** `?after=` (the `next` link's cursor) or the old numbered `?comments_page=`. */
const apiThreadQuery = z.strictObject({
  after: apiCursor(...THREAD_CURSOR).optional(),
  comments_page: z.coerce.number().int().min(1).max(10_000).optional().describe('A numbered page (kept for older clients; `next` carries a cursor).'),
});

/** A comment as the API gives it to `reader`: a deleted one, or one hidden from them, without its body. */
function apiComment(c: CommentRow, reader: PieceReader) {
  const shown = {
    id: c.id,
    entityId: c.entity_id,
    authorId: c.author_id,
    parentId: c.parent_id,
    body: c.body as string | null,
    createdAt: c.created_at,
    editedAt: c.edited_at,
  };
  if (c.deleted_at !== null) return { ...shown, body: null, deleted: true as const };
  if (!c.withheld) return shown;
  return { ...shown, body: readerSees(reader, c) ? c.body : null, withheld: true as const };
}

export const commentsRoutes: RouteDef[] = [
  { name: 'comments.thread', method: 'GET', path: '/entities/:id/comments', public: true, handler: (ctx) => threadPage(ctx) },
  {
    name: 'comments.create',
    method: 'POST',
    path: '/entities/:id/comments',
    capability: WRITE,
    async handler(ctx) {
      const s = service(ctx);
      const viewer = requireMember(ctx);
      const entity = await s.entity(viewer, idParam(ctx));
      const body = field(ctx, 'body');
      const checked = await s.checkBody(body, Number(entity.network_id), viewer.id);
      if (checked.problem) return threadPage(ctx, { body, error: t(ctx, checked.problem.key, checked.problem.params) }, 422);
      // Files sent with the comment are judged before it is saved (core/content/attachments.ts).
      const files = await acceptAttachments(ctx, COMMENT_KIND, {
        networkId: Number(entity.network_id),
        containerId: entity.container_id === null ? null : Number(entity.container_id),
        access: entity.access,
      });
      if (files.problems.length) return threadPage(ctx, { body, error: files.problems.join(' ') }, files.status);
      const parentRaw = field(ctx, 'parent');
      const comment = await s.create(viewer, entity, { body: checked, parentId: parentRaw ? idOf(parentRaw) || -1 : null });
      await files.save({ kind: COMMENT_KIND, id: comment.id, entityId: Number(entity.id) });
      return backTo(ctx, entity.id, `comment-${comment.id}`, comment.parent_id ? 'comments.flash.replied' : 'comments.flash.posted');
    },
  },
  {
    name: 'comments.edit',
    method: 'GET',
    path: '/comments/:id/edit',
    capability: WRITE,
    async handler(ctx) {
      const { comment } = await ownComment(ctx);
      return editPage(ctx, comment, comment.body, null);
    },
  },
  {
    name: 'comments.update',
    method: 'POST',
    path: '/comments/:id/edit',
    capability: WRITE,
    async handler(ctx) {
      const { viewer, comment, entity } = await ownComment(ctx);
      const s = service(ctx);
      const body = field(ctx, 'body');
      const checked = await s.checkBody(body, Number(entity.network_id), viewer.id);
      if (checked.problem) return editPage(ctx, comment, body, t(ctx, checked.problem.key, checked.problem.params), 422);
      await s.update(viewer, comment.id, checked);
      return backTo(ctx, comment.entity_id, `comment-${comment.id}`, 'comments.flash.edited');
    },
  },
  {
    name: 'comments.delete',
    method: 'POST',
    path: '/comments/:id/delete',
    capability: WRITE,
    async handler(ctx) {
      const { comment } = await service(ctx).remove(requireMember(ctx), idParam(ctx));
      return backTo(ctx, comment.entity_id, `comments-${comment.entity_id}`, 'comments.flash.deleted');
    },
  },
  {
    name: 'comments.api.list',
    method: 'GET',
    path: '/api/v1/entities/:id/comments',
    api: {
      summary: 'The comments on a content item: top-level comments oldest first, with their replies (keyset by `next`).',
      query: apiThreadQuery,
      response: apiCommentList,
      page: 'comments.thread',
    },
    public: true,
    async handler(ctx) {
      const entity = await service(ctx).entity(ctx.state.viewer, idParam(ctx));
      const { after, comments_page: numbered } = apiQuery(ctx, apiThreadQuery);
      const reader = readerFor(ctx);
      const page = await service(ctx).pageOf([Number(entity.id)], reader, after ? { after } : { offset: ((numbered ?? 1) - 1) * PAGE_SIZE });
      const all = [...page.top, ...page.replies].sort((a, b) => a.id - b.id).map((c) => apiComment(c, reader));
      const total = page.totals.get(Number(entity.id)) ?? 0;
      return {
        json: {
          entityId: Number(entity.id),
          count: page.counts.get(Number(entity.id)) ?? 0,
          topLevel: total,
          pages: Math.max(1, Math.ceil(total / PAGE_SIZE)),
          page: after ? null : (numbered ?? 1),
          next: page.next ? hrefWith(ctx, { comments_page: null, after: encodeCursor(page.next) }) : null,
          comments: all,
        },
      };
    },
  },
  {
    name: 'comments.api.create',
    method: 'POST',
    path: '/api/v1/entities/:id/comments',
    api: {
      summary: 'Comments on a content item (or replies to a comment with parentId).',
      response: z.object({ comment: apiCommentSchema, count: z.number().int() }),
    },
    capability: WRITE,
    async handler(ctx) {
      const s = service(ctx);
      const entity = await s.entity(ctx.state.viewer, idParam(ctx));
      const parentRaw = (ctx.request as { body?: Record<string, unknown> }).body?.parentId;
      const parentId = typeof parentRaw === 'number' ? parentRaw : typeof parentRaw === 'string' && parentRaw ? idOf(parentRaw) || -1 : null;
      const comment = await s.create(requireMember(ctx), entity, { body: field(ctx, 'body'), parentId });
      const reader = readerFor(ctx);
      return { json: { comment: apiComment(comment, reader), count: await s.count(Number(entity.id), reader) }, status: 201 };
    },
  },
  {
    name: 'comments.api.delete',
    method: 'DELETE',
    path: '/api/v1/comments/:id',
    api: { summary: 'Deletes a comment.', response: z.object({ deleted: z.number().int(), count: z.number().int() }) },
    capability: WRITE,
    async handler(ctx) {
      const { comment } = await service(ctx).remove(requireMember(ctx), idParam(ctx));
      return { json: { deleted: comment.id, count: await service(ctx).count(comment.entity_id, readerFor(ctx)) } };
    },
  },
];

function editPage(ctx: RucheContext, comment: CommentRow, body: string, error: string | null, status?: number): RouteResult {
  const title = t(ctx, 'comments.edit.title');
  const back = safeNext(ctx, link(ctx, 'comments.thread', { id: comment.entity_id }));
  return {
    view: 'comments/edit',
    title,
    status,
    data: {
      pageTitle: title,
      action: link(ctx, 'comments.update', { id: comment.id }),
      body,
      error,
      next: back,
      cancel: back,
      max: service(ctx).maxLength(ctx.state.network.id),
    },
  };
}
