/**
 * Pages (directory, lists, requests and suggestions) and the forms that follow, connect
 * and so on. Handlers are thin: read the request, call the service, redirect with a flash.
 * Refusals are localised HttpErrors (4xx) thrown by the service before anything changes.
 */
import {
  avatarUrl,
  cursorPager,
  cursorParams,
  sortedCursorParams,
  personCards,
  personCardsOf,
  back,
  link,
  queryParam,
  t,
  type RouteDef,
  type RouteResult,
  type RucheContext,
  titledPage,
} from '../../core';
import type { PersonAction } from '../profiles/hooks';
import { DIRECTORY_CURSORS, isSort, SORTS } from './directory';
import { directoryFilters } from './filters';
import { ConnectionsService, LIST_CURSOR, NEWEST_CURSOR, type Member } from './service';

export const USE = 'connections.use';

const service = (ctx: RucheContext): ConnectionsService => ctx.ruche.container.resolve(ConnectionsService);
const viewerId = (ctx: RucheContext): number => ctx.state.viewer!.id;
const networkId = (ctx: RucheContext): number => ctx.state.network.id;

export const profileHref = (ctx: RucheContext, username: string): string => link(ctx, 'profiles.view', { username });

export function personView<T extends Member>(ctx: RucheContext, m: T): T & { displayName: string; href: string; since: number } {
  // Object.assign, not a spread followed by properties (each about 1 µs on Node 20: issue 18).
  return Object.assign({}, m, { displayName: m.display_name, href: profileHref(ctx, m.username), since: m.created_at });
}

/**
 * Adds avatar, headline (a built-in field: shown where the core's access model lets the
 * viewer see it) and the buttons other plugins offer (`profiles:personActions`: "Message")
 * to people shown in a list.
 */
async function decorate<T extends Member>(
  ctx: RucheContext,
  people: T[],
): Promise<(T & { avatar: string; headline: string; displayName: string; href: string; since: number; isBot: boolean; actions: PersonAction[] })[]> {
  const ids = people.map((p) => p.id);
  const scope = { ctx, networkId: networkId(ctx), viewer: ctx.state.viewer };
  const [cards, headlines, actions] = await Promise.all([
    people.every((p) => p.card)
      ? personCardsOf(
          ctx,
          people.map((p) => p.card!),
        )
      : personCards(ctx, ids),
    ctx.ruche.hooks.filter('profiles:headlines', new Map<number, string>(), { ...scope, userIds: ids }),
    people.length ? ctx.ruche.hooks.filter('profiles:personActions', [], { ...scope, people }) : [],
  ]);
  return people.map((p) => {
    const avatar = cards.get(p.id)?.avatarUrl ?? avatarUrl(ctx, { id: p.id }, 64);
    const mine = actions.filter((a) => a.personId === p.id).sort((a, b) => (a.order ?? 50) - (b.order ?? 50));
    return Object.assign(personView(ctx, p), { avatar, headline: headlines.get(p.id) ?? '', isBot: cards.get(p.id)?.isBot ?? false, actions: mine });
  });
}

async function directoryPage(ctx: RucheContext): Promise<RouteResult> {
  const q = queryParam(ctx, 'q');
  const sortParam = queryParam(ctx, 'sort');
  const sort = isSort(sortParam) ? sortParam : 'name';
  const { clauses, fields } = await directoryFilters(ctx);
  // Each sort pages by its own keyset ("Previous"/"Next" carry a cursor naming the sort: one of another
  // sort is a 400, never rows read in the wrong order; an old `?page=` opens the first page).
  const cursor = sortedCursorParams(ctx, sort, ...DIRECTORY_CURSORS[sort]);
  const result = await service(ctx).directory({ networkId: networkId(ctx), viewer: ctx.state.viewer, q, sort, ...cursor, filters: clauses });
  return titledPage(ctx, 'connections/directory', 'connections.directory.title', {
    q,
    fields,
    // The field filters fold away (phones!) unless one is in use.
    filtersOpen: clauses.length > 0,
    sorts: SORTS.map((s) => ({ value: s, label: t(ctx, `connections.directory.sort.${s}`), selected: s === sort })),
    people: await decorate(ctx, result.items),
    summary: t(ctx, 'connections.directory.count', { count: result.total }),
    pager: cursorPager(ctx, result, cursor, { sort }),
  });
}

const LISTS = ['followers', 'following', 'connections'] as const;

function listRoute(kind: (typeof LISTS)[number]): RouteDef {
  return {
    name: `connections.${kind}`,
    method: 'GET',
    path: `/people/:username/${kind}`,
    capability: USE,
    async handler(ctx) {
      const member = await service(ctx).member(ctx.params?.username ?? '', networkId(ctx));
      const cursor = cursorParams(ctx, ...LIST_CURSOR);
      const result = await service(ctx).list(kind, member.id, networkId(ctx), cursor);
      return titledPage(
        ctx,
        'connections/list',
        `connections.lists.${kind}.title`,
        {
          kind,
          member: personView(ctx, member),
          tabs: LISTS.map((k) => ({
            label: t(ctx, `connections.lists.${k}.tab`),
            href: link(ctx, `connections.${k}`, { username: member.username }),
            current: k === kind,
          })),
          people: await decorate(ctx, result.items),
          empty: t(ctx, `connections.lists.${kind}.empty`, { name: member.display_name }),
          pager: cursorPager(ctx, result, cursor),
        },
        { name: member.display_name },
      );
    },
  };
}

type MemberAction = (s: ConnectionsService, ctx: RucheContext, other: Member) => Promise<string>;

function memberAction(name: string, action: MemberAction): RouteDef {
  return {
    name: `connections.${name}`,
    method: 'POST',
    path: `/people/:username/${name}`,
    capability: USE,
    async handler(ctx) {
      const s = service(ctx);
      const other = await s.member(ctx.params?.username ?? '', networkId(ctx));
      const key = await action(s, ctx, other);
      return back(ctx, profileHref(ctx, other.username), { key, params: { name: other.display_name } });
    },
  };
}

function requestAction(name: 'accept' | 'decline' | 'cancel'): RouteDef {
  return {
    name: `connections.request.${name}`,
    method: 'POST',
    path: `/connections/requests/:id/${name}`,
    capability: USE,
    async handler(ctx) {
      const id = /^\d{1,15}$/.test(ctx.params?.id ?? '') ? Number(ctx.params!.id) : -1;
      const s = service(ctx);
      if (name === 'accept') await s.accept(networkId(ctx), viewerId(ctx), id);
      else if (name === 'decline') await s.decline(networkId(ctx), viewerId(ctx), id);
      else await s.cancel(viewerId(ctx), id);
      const done = { accept: 'connections.flash.accepted', decline: 'connections.flash.declined', cancel: 'connections.flash.cancelled' }[name];
      return back(ctx, link(ctx, 'connections.home'), done);
    },
  };
}

export const connectionsRoutes: RouteDef[] = [
  { name: 'connections.directory', method: 'GET', path: '/people', capability: USE, handler: directoryPage },
  {
    name: 'connections.home',
    method: 'GET',
    path: '/connections',
    capability: USE,
    async handler(ctx) {
      const s = service(ctx);
      const viewer = ctx.state.viewer!;
      const [requests, suggestions, fresh] = await Promise.all([
        s.requests(viewer.id, networkId(ctx)),
        s.suggestions(viewer.id, Object.keys(viewer.roles).map(Number), networkId(ctx)),
        s.newMembers(networkId(ctx), viewer.id, {}, 10),
      ]);
      return titledPage(ctx, 'connections/home', 'connections.home.title', {
        received: requests.received.map((m) => personView(ctx, m)),
        sent: requests.sent.map((m) => personView(ctx, m)),
        friendsOfFriends: (await decorate(ctx, suggestions.friendsOfFriends)).map((m) => ({
          ...m,
          mutualLabel: t(ctx, 'connections.suggestions.mutual', { count: m.mutual }),
        })),
        sameGroups: await decorate(ctx, suggestions.sameGroups),
        sameNetworks: await decorate(ctx, suggestions.sameNetworks),
        newMembers: await decorate(ctx, fresh.items),
        here: ctx.path,
      });
    },
  },
  {
    name: 'connections.newMembers',
    method: 'GET',
    path: '/connections/new-members',
    capability: USE,
    async handler(ctx) {
      const cursor = cursorParams(ctx, ...NEWEST_CURSOR);
      const result = await service(ctx).newMembers(networkId(ctx), ctx.state.viewer!.id, cursor);
      const title = t(ctx, 'connections.newMembers.title');
      return {
        view: 'connections/new-members',
        title,
        data: { pageTitle: title, people: await decorate(ctx, result.items), pager: cursorPager(ctx, result, cursor) },
      };
    },
  },
  ...LISTS.map(listRoute),
  memberAction('follow', async (s, ctx, o) => (await s.follow(networkId(ctx), viewerId(ctx), o.id), 'connections.flash.followed')),
  memberAction('unfollow', async (s, ctx, o) => (await s.unfollow(networkId(ctx), viewerId(ctx), o.id), 'connections.flash.unfollowed')),
  memberAction('connect', async (s, ctx, o) =>
    (await s.request(networkId(ctx), viewerId(ctx), o.id)) === 'accepted' ? 'connections.flash.accepted' : 'connections.flash.requested',
  ),
  memberAction('disconnect', async (s, ctx, o) => (await s.remove(networkId(ctx), viewerId(ctx), o.id), 'connections.flash.removed')),
  requestAction('accept'),
  requestAction('decline'),
  requestAction('cancel'),
];
