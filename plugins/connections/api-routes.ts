/**
 * The JSON API of connections and follows, through the pages' service calls and refusals:
 *
 *   - `GET /api/v1/people/:username/followers|following|connections`: a member's lists, as
 *     their pages show them, by name (keyset by an opaque cursor of name and id in `next`,
 *     `?page=` still taken);
 *   - `GET /api/v1/connections/requests`: the viewer's pending requests, received and sent;
 *   - `POST /api/v1/people/:username/follow|unfollow|connect|disconnect`: as the profile's
 *     buttons (`connect` answers `requested`, or `connected` when they had asked first);
 *   - `POST /api/v1/connections/requests/:id/accept|decline|cancel`: a request of the viewer's.
 */
import { apiCursorQuery, apiMemberFields, apiQuery, apiReadRoute, idOf, link, nextLink, z, type RouteDef, type RucheContext } from '../../core';
import { USE } from './routes';
import { ConnectionsService, LIST_CURSOR, type Member } from './service';

const service = (ctx: RucheContext): ConnectionsService => ctx.ruche.container.resolve(ConnectionsService);
const networkId = (ctx: RucheContext): number => ctx.state.network.id;
const listQuery = apiCursorQuery(...LIST_CURSOR).extend({
  page: z.coerce.number().int().min(1).optional().describe('A numbered page (kept for older clients; `next` carries a cursor).'),
});

const person = { ...apiMemberFields, href: z.string() };
const personOf = (ctx: RucheContext, m: Member) => ({
  id: m.id,
  username: m.username,
  displayName: m.display_name,
  href: link(ctx, 'profiles.view', { username: m.username }),
});

const apiList = z.object({
  page: z.number().int().nullable().describe('The numbered page asked for (`?page=`, kept for older clients); null when paged by cursor.'),
  pages: z.number().int(),
  total: z.number().int(),
  next: z.string().nullable(),
  people: z.array(z.object(person)),
});
const pending = z.array(z.object({ ...person, requestId: z.number().int() }));

const LISTS = ['followers', 'following', 'connections'] as const;

const listRoute = (kind: (typeof LISTS)[number]): RouteDef =>
  apiReadRoute({
    name: `connections.api.${kind}`,
    path: `/api/v1/people/:username/${kind}`,
    summary: `A member’s ${kind}, by name (keyset by \`next\`).`,
    page: `connections.${kind}`,
    query: listQuery,
    response: apiList,
    capability: USE,
    async find(ctx) {
      const s = service(ctx);
      const member = await s.member(ctx.params?.username ?? '', networkId(ctx));
      const { limit, after, page } = apiQuery(ctx, listQuery);
      const [list, total] = await Promise.all([
        s.list(kind, member.id, networkId(ctx), after ? { after } : { offset: ((page ?? 1) - 1) * limit }, limit),
        s.total(kind, member.id, networkId(ctx)),
      ]);
      return { list, total, limit, page: after ? null : (page ?? 1) };
    },
    present: (ctx, { list, total, limit, page }) => ({
      page,
      pages: Math.max(1, Math.ceil(total / limit)),
      total,
      next: list.next ? nextLink(ctx, list.next) : null,
      people: list.items.map((m) => personOf(ctx, m)),
    }),
  });

type PersonAction = (s: ConnectionsService, ctx: RucheContext, other: Member) => Promise<string>;

const personRoute = (name: string, states: [string, ...string[]], act: PersonAction): RouteDef => ({
  name: `connections.api.${name}`,
  method: 'POST',
  path: `/api/v1/people/:username/${name}`,
  api: { summary: `As the profile’s ${name} button.`, response: z.object({ username: z.string(), state: z.enum(states) }), status: 200 },
  capability: USE,
  async handler(ctx) {
    const s = service(ctx);
    const other = await s.member(ctx.params?.username ?? '', networkId(ctx));
    return { json: { username: other.username, state: await act(s, ctx, other) } };
  },
});

const requestRoute = (
  name: 'accept' | 'decline' | 'cancel',
  state: string,
  act: (s: ConnectionsService, ctx: RucheContext, id: number) => Promise<void>,
): RouteDef => ({
  name: `connections.api.request.${name}`,
  method: 'POST',
  path: `/api/v1/connections/requests/:id/${name}`,
  api: {
    summary: `${name[0].toUpperCase()}${name.slice(1)}s a pending connection request of the viewer’s.`,
    response: z.object({ request: z.number().int(), state: z.literal(state) }),
    status: 200,
  },
  capability: USE,
  async handler(ctx) {
    const id = idOf(String(ctx.params?.id ?? '')) || -1;
    await act(service(ctx), ctx, id);
    return { json: { request: id, state } };
  },
});

const viewerId = (ctx: RucheContext): number => ctx.state.viewer!.id;

export const connectionsApiRoutes: RouteDef[] = [
  ...LISTS.map(listRoute),
  apiReadRoute({
    name: 'connections.api.requests',
    path: '/api/v1/connections/requests',
    summary: 'The viewer’s pending connection requests, received and sent.',
    page: 'connections.home',
    response: z.object({ received: pending, sent: pending }),
    capability: USE,
    find: (ctx) => service(ctx).requests(viewerId(ctx), networkId(ctx)),
    present: (ctx, { received, sent }) => ({
      received: received.map((m) => ({ ...personOf(ctx, m), requestId: m.requestId })),
      sent: sent.map((m) => ({ ...personOf(ctx, m), requestId: m.requestId })),
    }),
  }),
  personRoute('follow', ['following'], async (s, ctx, o) => (await s.follow(networkId(ctx), viewerId(ctx), o.id), 'following')),
  personRoute('unfollow', ['not-following'], async (s, ctx, o) => (await s.unfollow(networkId(ctx), viewerId(ctx), o.id), 'not-following')),
  personRoute('connect', ['requested', 'connected'], async (s, ctx, o) =>
    (await s.request(networkId(ctx), viewerId(ctx), o.id)) === 'accepted' ? 'connected' : 'requested',
  ),
  personRoute('disconnect', ['not-connected'], async (s, ctx, o) => (await s.remove(networkId(ctx), viewerId(ctx), o.id), 'not-connected')),
  requestRoute('accept', 'accepted', (s, ctx, id) => s.accept(networkId(ctx), viewerId(ctx), id)),
  requestRoute('decline', 'declined', (s, ctx, id) => s.decline(networkId(ctx), viewerId(ctx), id)),
  requestRoute('cancel', 'cancelled', (s, ctx, id) => s.cancel(viewerId(ctx), id)),
];
