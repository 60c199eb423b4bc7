/**
 * The JSON API of groups, through the pages' own lookups and services (params.ts `loadGroup`,
 * queries.ts, the GroupsService), so each viewer is answered as the pages answer them:
 *
 *   - `GET /api/v1/groups`: the directory (`?q=`, `?category=`; keyset by an opaque cursor of
 *     name and id in `next`, `?page=` still taken), the groups the viewer may know of, by name;
 *   - `GET /api/v1/groups/:id`: what the group page's header tells the viewer;
 *   - `GET /api/v1/groups/:id/members`: its active members, admins first, then by name (keyset
 *     by an opaque cursor of role, name and id in `next`, `?page=` still taken; an empty list
 *     with `readable: false` where its page shows the closed-group notice instead);
 *   - `POST /api/v1/groups/:id/join` (joined, or a request sent for a closed group) and
 *     `POST /api/v1/groups/:id/leave`, as the page's buttons, with the same refusals.
 *
 * A secret group the viewer may not see is a 404, as its page.
 */
import { apiCursorQuery, apiMemberFields, apiQuery, apiReadRoute, link, nextLink, z, type RouteDef, type RucheContext } from '../../core';
import { readsContent } from './api';
import { memberCounts } from './member-counts';
import { loadGroup, service, USE } from './params';
import { directory, DIRECTORY_CURSOR, MEMBER_CURSOR, members, type GroupListItem } from './queries';
import { CATEGORIES, type GroupRow } from './service';

/** What a group shows wherever it is listed. */
const groupFields = {
  id: z.number().int(),
  name: z.string(),
  description: z.string(),
  visibility: z.enum(['open', 'closed', 'secret']),
  category: z.string(),
  archived: z.boolean(),
  members: z.number().int(),
  href: z.string(),
};
const apiGroup = z.object({
  ...groupFields,
  role: z.enum(['admin', 'member']).nullable(),
  canPost: z.boolean(),
  canManage: z.boolean(),
});

/** A numbered page of a list: where it is, and the link to the next one (null on the last). */
const numbered = { page: z.number().int(), pages: z.number().int(), total: z.number().int(), next: z.string().nullable() };
const pageQuery = { page: z.coerce.number().int().min(1).optional() };

const membersQuery = apiCursorQuery(...MEMBER_CURSOR).extend(pageQuery);
const directoryQuery = apiCursorQuery(...DIRECTORY_CURSOR).extend({
  ...pageQuery,
  q: z.string().max(100).optional(),
  category: z.enum(CATEGORIES).optional(),
});
const apiDirectory = z.object({
  ...numbered,
  page: z.number().int().nullable().describe('The numbered page asked for (`?page=`, kept for older clients); null when paged by cursor.'),
  groups: z.array(z.object(groupFields)),
});

const apiMembers = z.object({
  ...numbered,
  page: apiDirectory.shape.page,
  readable: z.boolean(),
  members: z.array(
    z.object({
      ...apiMemberFields,
      role: z.enum(['admin', 'member']),
      since: z.number(),
      href: z.string(),
    }),
  ),
});

const placeOf = <S extends z.ZodType>(state: S) => z.object({ group: z.number().int(), state });

/** A group's listed fields. */
const groupOf = (ctx: RucheContext, g: GroupRow | GroupListItem, members: number, archived: boolean) => ({
  id: g.id,
  name: g.name,
  description: g.description,
  visibility: g.visibility,
  category: g.category,
  archived,
  members,
  href: link(ctx, 'groups.view', { id: g.id }),
});

export const groupApiRoutes: RouteDef[] = [
  apiReadRoute({
    name: 'groups.api.directory',
    path: '/api/v1/groups',
    summary: 'The group directory: the groups the viewer may know of, by name (?q=, ?category=; keyset by `next`).',
    page: 'groups.directory',
    query: directoryQuery,
    response: apiDirectory,
    capability: USE,
    find: (ctx) => directory(ctx.ruche, ctx.state.viewer, ctx.state.network.id, apiQuery(ctx, directoryQuery)),
    present: (ctx, result) => ({
      page: apiQuery(ctx, directoryQuery).after ? null : result.page,
      pages: result.pages,
      total: result.total,
      next: result.next ? nextLink(ctx, result.next) : null,
      groups: result.items.map((g) => groupOf(ctx, g, g.members, g.archived_at !== null)),
    }),
  }),
  apiReadRoute({
    name: 'groups.api.view',
    path: '/api/v1/groups/:id',
    summary: 'A group, as its page’s header shows it to the viewer.',
    page: 'groups.view',
    response: apiGroup,
    capability: USE,
    async find(ctx) {
      const { g, info } = await loadGroup(ctx);
      return { g, info, counts: await memberCounts(ctx.ruche.db, [g.id]) };
    },
    present: (ctx, { g, info, counts }) => ({
      ...groupOf(ctx, g, counts.get(g.id) ?? 0, info.archived),
      role: info.role,
      canPost: info.canPost,
      canManage: info.canManage,
    }),
  }),
  apiReadRoute({
    name: 'groups.api.members',
    path: '/api/v1/groups/:id/members',
    summary:
      'The active members of a group, admins first, then by name (keyset by `next`; readable: false where its content is closed to the viewer).',
    page: 'groups.members',
    query: membersQuery,
    response: apiMembers,
    capability: USE,
    async find(ctx) {
      const { g, info } = await loadGroup(ctx);
      if (!readsContent(ctx.ruche, ctx.state.viewer, info)) return null;
      const { limit, after, page } = apiQuery(ctx, membersQuery);
      const [list, counts] = await Promise.all([
        members(ctx.ruche, g.id, after ? { after } : { offset: ((page ?? 1) - 1) * limit }, limit),
        memberCounts(ctx.ruche.db, [g.id]),
      ]);
      return { list, total: counts.get(g.id) ?? 0, page: after ? null : (page ?? 1), limit };
    },
    present: (ctx, result) =>
      result
        ? {
            page: result.page,
            pages: Math.max(1, Math.ceil(result.total / result.limit)),
            total: result.total,
            next: result.list.next ? nextLink(ctx, result.list.next) : null,
            readable: true,
            members: result.list.items.map((m) => ({
              id: m.id,
              username: m.username,
              displayName: m.display_name,
              role: m.role,
              since: m.since,
              href: link(ctx, 'profiles.view', { username: m.username }),
            })),
          }
        : { page: 1, pages: 1, total: 0, next: null, readable: false, members: [] },
  }),
  {
    name: 'groups.api.join',
    method: 'POST',
    path: '/api/v1/groups/:id/join',
    api: {
      summary: 'Joins a group (an open one, or one the viewer is invited to), or asks its admins to (a closed one).',
      response: placeOf(z.enum(['joined', 'requested'])),
      status: 200,
    },
    capability: USE,
    async handler(ctx) {
      const { g } = await loadGroup(ctx);
      return { json: { group: g.id, state: await service(ctx).join(ctx.state.viewer!, g) } };
    },
  },
  {
    name: 'groups.api.leave',
    method: 'POST',
    path: '/api/v1/groups/:id/leave',
    api: { summary: 'Leaves a group (its last admin cannot).', response: placeOf(z.literal('left')), status: 200 },
    capability: USE,
    async handler(ctx) {
      const { g } = await loadGroup(ctx);
      await service(ctx).leave(ctx.state.viewer!, g);
      return { json: { group: g.id, state: 'left' } };
    },
  },
];
