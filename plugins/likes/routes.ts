/**
 * React and withdraw (forms that work without JavaScript: POST, then back to a safe local
 * `next`), the who-reacted page, and the JSON API. Every handler checks the entity with the
 * access model first: what the viewer cannot see answers 404 (a guest: 401).
 */
import {
  API_PAGE_MAX,
  apiCursorQuery,
  apiMemberFields,
  apiQuery,
  avatarUrl,
  bodyOf,
  cursorPager,
  cursorParams,
  idParam,
  isSafeNext,
  link,
  nextLink,
  requireMember,
  queryParam,
  safeNext,
  setFlash,
  t,
  z,
  type RouteDef,
  type RouteResult,
  type RucheContext,
} from '../../core';
import { CATALOGUE, emojiOf, isKnownReaction } from './reactions';
import { panelData } from './panels';
import { LikesService, PEOPLE_PAGE_SIZE, REACT, REACTOR_CURSOR, type Outcome } from './service';

const service = (ctx: RucheContext): LikesService => ctx.ruche.container.resolve(LikesService);

/** Where to go after a form: its `next` field when it is a local path, else the default. */
function back(ctx: RucheContext, fallback: string, anchor: string): RouteResult {
  return { redirect: `${safeNext(ctx, fallback).split('#')[0]}#${anchor}` };
}

const reactionOf = (ctx: RucheContext): string => {
  const reaction = bodyOf(ctx).reaction;
  return typeof reaction === 'string' ? reaction : '';
};

/** Reacts to (or withdraws from) the entity of `:id`, which the viewer must see: the forms' and the API's one step. */
async function act(ctx: RucheContext, how: 'react' | 'withdraw'): Promise<{ entity: { id: number }; outcome: Outcome }> {
  const s = service(ctx);
  const entity = await s.entity(ctx.state.viewer, idParam(ctx));
  const outcome =
    how === 'react' ? await s.react(requireMember(ctx), entity, reactionOf(ctx), ctx.state.network.id) : await s.withdraw(requireMember(ctx), entity);
  return { entity: { id: Number(entity.id) }, outcome };
}

/** The reactions to an entity as the API answers them (`changed`, `previous` after a reaction). */
const apiSummary = z.object({
  entityId: z.number().int(),
  counts: z.record(z.string(), z.number().int()),
  total: z.number().int(),
  mine: z.string().nullable(),
  enabled: z.array(z.string()),
  changed: z.boolean().optional(),
  previous: z.string().nullable().optional(),
});
/** Who reacted, through the API: a page of 30 by default, one reaction or all, by cursor (`?page=` kept for older clients). */
const peopleQuery = apiCursorQuery(...REACTOR_CURSOR).extend({
  limit: z.coerce.number().int().min(1).max(API_PAGE_MAX).default(PEOPLE_PAGE_SIZE),
  page: z.coerce.number().int().min(1).optional().describe('A numbered page (kept for older clients; `people.next` carries a cursor).'),
  reaction: z.string().max(40).optional().describe('One reaction only (an unknown one lists every reaction).'),
});
const apiPeople = apiSummary.extend({
  people: z.object({
    page: z.number().int().nullable().describe('The numbered page asked for (`?page=`); null when paged by cursor.'),
    next: z.string().nullable(),
    pages: z.number().int(),
    total: z.number().int(),
    items: z.array(z.object({ ...apiMemberFields, reaction: z.string(), at: z.number() })),
  }),
});

async function summary(ctx: RucheContext, entityId: number, outcome?: Outcome) {
  const s = service(ctx);
  const viewer = ctx.state.viewer;
  const [counts, mine] = await Promise.all([
    s.counts([entityId]),
    viewer ? s.mine(viewer.id, [entityId]) : Promise.resolve(new Map<number, string>()),
  ]);
  const c = counts.get(entityId) ?? new Map<string, number>();
  return {
    entityId,
    counts: Object.fromEntries(c),
    total: [...c.values()].reduce((a, b) => a + b, 0),
    mine: mine.get(entityId) ?? null,
    enabled: s.enabled(ctx.state.network.id),
    ...(outcome ? { changed: outcome.changed, previous: outcome.previous } : {}),
  };
}

async function whoPage(ctx: RucheContext): Promise<RouteResult> {
  const s = service(ctx);
  const entity = await s.entity(ctx.state.viewer, idParam(ctx));
  const id = Number(entity.id);
  const filterRaw = queryParam(ctx, 'reaction');
  const filter = isKnownReaction(filterRaw) ? filterRaw : null;
  const viewer = ctx.state.viewer;
  const cursor = cursorParams(ctx, ...REACTOR_CURSOR);
  const [result, counts, mine] = await Promise.all([
    s.people(id, filter, cursor),
    s.counts([id]),
    viewer ? s.mine(viewer.id, [id]) : Promise.resolve(new Map<number, string>()),
  ]);
  const c = counts.get(id) ?? new Map<string, number>();
  const total = [...c.values()].reduce((a, b) => a + b, 0);
  const base = link(ctx, 'likes.who', { id });
  const nextRaw = queryParam(ctx, 'next');
  const backTo = isSafeNext(nextRaw, ctx.state.basePath) ? nextRaw : null;
  const href = (reaction: string | null): string => {
    const params = new URLSearchParams();
    if (backTo) params.set('next', backTo);
    if (reaction) params.set('reaction', reaction);
    const qs = params.toString();
    return qs ? `${base}?${qs}` : base;
  };
  const tabs = [
    { label: t(ctx, 'likes.who.all', { count: total }), href: href(null), current: filter === null, emoji: '' },
    ...CATALOGUE.filter((r) => (c.get(r.id) ?? 0) > 0).map((r) => ({
      label: t(ctx, 'likes.who.tab', { reaction: t(ctx, `likes.reaction.${r.id}`), count: c.get(r.id) }),
      href: href(r.id),
      current: filter === r.id,
      emoji: r.emoji,
    })),
  ];
  const title = t(ctx, 'likes.who.title');
  const canReact = !!viewer && ctx.ruche.permissions.can(viewer, REACT, ctx.state.network.id);
  return {
    view: 'likes/who',
    title,
    data: {
      pageTitle: title,
      // The picker a feed card links to: every enabled reaction, back to the card after.
      picker: canReact
        ? panelData(ctx, id, 'page', {
            counts: c,
            mine: mine.get(id) ?? null,
            enabled: s.enabled(ctx.state.network.id),
            canReact,
            next: backTo ?? base,
            picker: true,
          })
        : null,
      tabs,
      people: result.items.map((p) => ({
        name: p.display_name,
        href: link(ctx, 'profiles.view', { username: p.username }),
        avatar: avatarUrl(ctx, { id: p.id, photo_key: p.photo_key }, 64),
        emoji: emojiOf(p.reaction),
        reaction: t(ctx, `likes.reaction.${p.reaction}`),
        at: p.created_at,
      })),
      empty: t(ctx, 'likes.who.empty'),
      back: backTo,
      pager: cursorPager(ctx, result, cursor),
    },
  };
}

/** The API's reaction of the viewer, given (201 when new) or withdrawn: answers the entity's summary after it. */
function reactionRoute(how: 'react' | 'withdraw', method: 'POST' | 'DELETE', description: string): RouteDef {
  return {
    name: `likes.api.${how}`,
    method,
    path: '/api/v1/entities/:id/reactions',
    api: { summary: description, response: apiSummary },
    capability: REACT,
    async handler(ctx) {
      const { entity, outcome } = await act(ctx, how);
      return { json: await summary(ctx, Number(entity.id), outcome), status: how === 'react' && outcome.changed ? 201 : 200 };
    },
  };
}

export const likesRoutes: RouteDef[] = [
  {
    name: 'likes.react',
    method: 'POST',
    path: '/entities/:id/react',
    capability: REACT,
    async handler(ctx) {
      const { entity, outcome } = await act(ctx, 'react');
      if (outcome.changed)
        setFlash(ctx, { type: 'success', key: 'likes.flash.reacted', params: { reaction: t(ctx, `likes.reaction.${outcome.current}`) } });
      return back(ctx, link(ctx, 'likes.who', { id: entity.id }), `reactions-${entity.id}`);
    },
  },
  {
    name: 'likes.unreact',
    method: 'POST',
    path: '/entities/:id/unreact',
    capability: REACT,
    async handler(ctx) {
      const { entity, outcome } = await act(ctx, 'withdraw');
      if (outcome.changed) setFlash(ctx, { type: 'success', key: 'likes.flash.withdrawn' });
      return back(ctx, link(ctx, 'likes.who', { id: entity.id }), `reactions-${entity.id}`);
    },
  },
  { name: 'likes.who', method: 'GET', path: '/entities/:id/reactions', public: true, handler: whoPage },
  {
    name: 'likes.api.get',
    method: 'GET',
    path: '/api/v1/entities/:id/reactions',
    api: {
      summary: 'The reactions to a content item, with who reacted, newest first (?reaction=; keyset by `people.next`).',
      query: peopleQuery,
      response: apiPeople,
      page: 'likes.who',
    },
    public: true,
    async handler(ctx) {
      const s = service(ctx);
      const entity = await s.entity(ctx.state.viewer, idParam(ctx));
      const { limit, after, page, reaction: asked } = apiQuery(ctx, peopleQuery);
      const reaction = asked && isKnownReaction(asked) ? asked : null;
      const [people, total] = await Promise.all([
        s.people(Number(entity.id), reaction, after ? { after } : { offset: ((page ?? 1) - 1) * limit }, limit),
        s.peopleTotal(Number(entity.id), reaction),
      ]);
      return {
        json: {
          ...(await summary(ctx, Number(entity.id))),
          people: {
            page: after ? null : (page ?? 1),
            pages: Math.max(1, Math.ceil(total / limit)),
            total,
            next: people.next ? nextLink(ctx, people.next) : null,
            items: people.items.map((p) => ({ id: p.id, username: p.username, displayName: p.display_name, reaction: p.reaction, at: p.created_at })),
          },
        },
      };
    },
  },
  reactionRoute('react', 'POST', 'Reacts to a content item (or changes the reaction).'),
  reactionRoute('withdraw', 'DELETE', 'Withdraws the viewer’s reaction to a content item.'),
];
