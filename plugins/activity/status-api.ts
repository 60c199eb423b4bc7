/**
 * The JSON API of one status post: read it (`GET /api/v1/status/:id`, what its page shows the
 * viewer), edit its text (`PATCH`, as its edit form: its author only, the same checks) and
 * delete it (`DELETE`, as its page's Delete button: its author, or a moderator of its network). Posting is `POST /api/v1/status` (atom.ts). Same lookups and access checks
 * as the pages (routes.ts): a post the viewer may not see is a 404 (a 401 for a guest).
 */
import { apiProblems, apiReadRoute, field, HttpError, link, z, type RouteDef } from '../../core';
import { POST } from './params';
import { findVisible, ownPost } from './routes';
import { StatusService, type StatusInput } from './service';

const apiStatus = z.object({
  id: z.number().int(),
  body: z.string(),
  access: z.string(),
  containerId: z.number().int().nullable(),
  createdAt: z.number(),
  edited: z.boolean(),
  author: z.object({ username: z.string(), displayName: z.string(), href: z.string(), isBot: z.boolean() }),
  href: z.string(),
  canDelete: z.boolean(),
});

export const statusApiRoutes: RouteDef[] = [
  apiReadRoute({
    name: 'activity.api.status',
    path: '/api/v1/status/:id',
    summary: 'A status post, as its page shows it to the viewer.',
    page: 'activity.status.view',
    response: apiStatus,
    async find(ctx) {
      const post = await findVisible(ctx);
      const author = await ctx.ruche.users.byId(post.owner_id);
      if (!author) throw new HttpError(404, 'activity.errors.notFound');
      return { post, author };
    },
    present: (ctx, { post, author }) => ({
      id: post.id,
      body: post.body,
      access: post.access,
      containerId: post.container_id === null ? null : Number(post.container_id),
      createdAt: Number(post.created_at),
      edited: post.edited_at !== null,
      author: {
        username: author.username,
        displayName: author.display_name,
        href: link(ctx, 'profiles.view', { username: author.username }),
        isBot: author.is_bot,
      },
      href: link(ctx, 'activity.status.view', { id: post.id }),
      canDelete: ctx.ruche.access.canEdit(ctx.state.viewer, post),
    }),
  }),
  {
    name: 'activity.api.edit',
    method: 'PATCH',
    path: '/api/v1/status/:id',
    api: {
      summary: 'Edits a status post’s text (its author only, as its edit form).',
      body: z.object({ body: z.string() }),
      response: z.object({ id: z.number().int(), body: z.string(), href: z.string() }),
    },
    capability: POST,
    async handler(ctx) {
      const post = await ownPost(ctx);
      const s = ctx.ruche.container.resolve(StatusService);
      const input: StatusInput = {
        body: field(ctx, 'body'),
        access: post.access,
        containerId: post.container_id === null ? null : Number(post.container_id),
      };
      const errors = await s.validate(ctx.state.viewer!, ctx.state.network.id, input);
      if (errors.body) throw apiProblems(ctx, { body: errors.body });
      await s.edit(ctx.state.viewer!, post, input.body, input.screened);
      return { json: { id: post.id, body: input.body, href: link(ctx, 'activity.status.view', { id: post.id }) } };
    },
  },
  {
    name: 'activity.api.delete',
    method: 'DELETE',
    path: '/api/v1/status/:id',
    api: { summary: 'Deletes a status post (its author, or a moderator of its network).', response: z.object({ deleted: z.number().int() }) },
    capability: POST,
    async handler(ctx) {
      const post = await findVisible(ctx);
      if (!ctx.ruche.access.canEdit(ctx.state.viewer, post)) throw new HttpError(403, 'activity.errors.notYours');
      await ctx.ruche.container.resolve(StatusService).remove(post);
      return { json: { deleted: post.id } };
    },
  },
];
