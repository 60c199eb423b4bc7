/**
 * The JSON API of one status post: read it (`GET /api/v1/status/:id`, what its page shows the
 * viewer) and delete it (`DELETE`, as its page's Delete button: its author, or a moderator of
 * its network). Posting is `POST /api/v1/status` (atom.ts). Same lookups and access checks
 * as the pages (routes.ts): a post the viewer may not see is a 404 (a 401 for a guest).
 */
import { HttpError, link, z, type RouteDef } from '../../core';
import { POST } from './params';
import { findVisible } from './routes';
import { StatusService } from './service';

const apiStatus = z.object({
  id: z.number().int(),
  body: z.string(),
  access: z.string(),
  containerId: z.number().int().nullable(),
  createdAt: z.number(),
  edited: z.boolean(),
  author: z.object({ username: z.string(), displayName: z.string(), href: z.string() }),
  href: z.string(),
  canDelete: z.boolean(),
});

export const statusApiRoutes: RouteDef[] = [
  {
    name: 'activity.api.status',
    method: 'GET',
    path: '/api/v1/status/:id',
    api: { summary: 'A status post, as its page shows it to the viewer.', response: apiStatus, page: 'activity.status.view' },
    public: true,
    async handler(ctx) {
      const post = await findVisible(ctx);
      const author = await ctx.ruche.users.byId(post.owner_id);
      if (!author) throw new HttpError(404, 'activity.errors.notFound');
      return {
        json: {
          id: post.id,
          body: post.body,
          access: post.access,
          containerId: post.container_id === null ? null : Number(post.container_id),
          createdAt: Number(post.created_at),
          edited: post.edited_at !== null,
          author: { username: author.username, displayName: author.display_name, href: link(ctx, 'profiles.view', { username: author.username }) },
          href: link(ctx, 'activity.status.view', { id: post.id }),
          canDelete: ctx.ruche.access.canEdit(ctx.state.viewer, post),
        },
      };
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
