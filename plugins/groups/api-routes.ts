/**
 * The JSON API of a group: `GET /api/v1/groups/:id`, what its page's header tells the viewer
 * (name, description, visibility, category, member count, their role and what they may do),
 * through the page's own lookup (params.ts `loadGroup`): a secret group the viewer may not see
 * is a 404, as its page.
 */
import { link, z, type RouteDef } from '../../core';
import { memberCounts } from './member-counts';
import { loadGroup, USE } from './params';

const apiGroup = z.object({
  id: z.number().int(),
  name: z.string(),
  description: z.string(),
  visibility: z.enum(['open', 'closed', 'secret']),
  category: z.string(),
  archived: z.boolean(),
  members: z.number().int(),
  role: z.enum(['admin', 'member']).nullable(),
  canPost: z.boolean(),
  canManage: z.boolean(),
  href: z.string(),
});

export const groupApiRoutes: RouteDef[] = [
  {
    name: 'groups.api.view',
    method: 'GET',
    path: '/api/v1/groups/:id',
    api: { summary: 'A group, as its page’s header shows it to the viewer.', response: apiGroup, page: 'groups.view' },
    capability: USE,
    async handler(ctx) {
      const { g, info } = await loadGroup(ctx);
      const counts = await memberCounts(ctx.ruche.db, [g.id]);
      return {
        json: {
          id: g.id,
          name: g.name,
          description: g.description,
          visibility: g.visibility,
          category: g.category,
          archived: info.archived,
          members: counts.get(g.id) ?? 0,
          role: info.role,
          canPost: info.canPost,
          canManage: info.canManage,
          href: link(ctx, 'groups.view', { id: g.id }),
        },
      };
    },
  },
];
