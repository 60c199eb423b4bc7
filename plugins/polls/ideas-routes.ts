/**
 * The idea box's pages and forms: a box (the network's, or a group's) listed by votes or newest
 * and filtered by status, the new-idea form, an idea's page (its comments are the comments
 * plugin's panel), voting, and the managers' status with a reply. Handlers are thin: the
 * service checks access and counts.
 */
import {
  bodyOf,
  cursorPager,
  cursorParams,
  entityPanels,
  entityRef,
  HttpError,
  idOf,
  idParam,
  link,
  listRoutes,
  queryParam,
  requireMember,
  requireReader,
  safeNext,
  t,
  type AccessLevel,
  type RouteDef,
  type RouteResult,
  type RucheContext,
  type Viewer,
} from '../../core';
import type {} from '../notifications/hooks';
import { IDEA_ORDERS, IDEA_SORTS, IDEA_STATUSES, IdeasService, type IdeaRow, type IdeaSort, type IdeaStatus } from './ideas-service';
import { listedGroup } from './list-routes';
import { CREATE, VOTE } from './service';

const service = (ctx: RucheContext): IdeasService => ctx.ruche.container.resolve(IdeasService);
const text = (body: Record<string, unknown>, name: string): string => (typeof body[name] === 'string' ? (body[name] as string) : '');
export const MAX_IDEA_TITLE = 200;
export const MAX_IDEA_BODY = 5000;
const MAX_REPLY = 2000;

/** How the network's idea boxes vote: `up`, or `updown`; and the budget of open votes (0: none). */
function votingOf(ctx: RucheContext): { updown: boolean; budget: number } {
  const s = ctx.ruche.pluginState.settings('polls', ctx.state.network.id) as { ideaVoting?: string; ideaBudget?: number };
  return { updown: s.ideaVoting === 'updown', budget: Number(s.ideaBudget ?? 0) };
}

/** The box of a request: the network's, or a group's the viewer may see (else 404). */
async function boxOf(ctx: RucheContext, containerId: number | null): Promise<{ containerId: number | null; name: string; href: string }> {
  if (containerId === null) return { containerId: null, name: '', href: '' };
  const { name, href } = await listedGroup(ctx, containerId);
  return { containerId, name, href };
}

/** Where the viewer may propose an idea in this box, and at which levels (empty: nowhere). */
async function levelsIn(ctx: RucheContext, viewer: Viewer, containerId: number | null): Promise<AccessLevel[]> {
  const networkId = ctx.state.network.id;
  if (!ctx.ruche.permissions.can(viewer, CREATE, networkId)) return [];
  if (containerId === null) return ctx.ruche.access.offeredLevels(networkId, { personal: false });
  const c = await ctx.ruche.containers.policy(viewer, containerId, networkId);
  return c.type !== null && c.role && c.canPost ? c.allowedAccess : [];
}

export interface IdeaView {
  id: number;
  title: string;
  href: string;
  status: IdeaStatus;
  statusLabel: string;
  score: number;
  up: number;
  down: number;
  mine: number;
  canVote: boolean;
  updown: boolean;
  voteAction: string;
  next: string;
}

async function ideaViews(ctx: RucheContext, ideas: IdeaRow[], next: string): Promise<IdeaView[]> {
  const viewer = ctx.state.viewer;
  const mine = await service(ctx).myVotes(
    viewer?.id,
    ideas.map((i) => i.entity_id),
  );
  const canVote = !!viewer && ctx.ruche.permissions.can(viewer, VOTE, ctx.state.network.id);
  const { updown } = votingOf(ctx);
  return ideas.map((i) => ({
    id: i.entity_id,
    title: i.title,
    href: link(ctx, 'polls.idea.view', { id: i.entity_id }),
    status: i.status,
    statusLabel: t(ctx, `polls.ideas.status.${i.status}`),
    score: i.score,
    up: i.up,
    down: i.down,
    mine: mine.get(i.entity_id) ?? 0,
    canVote,
    updown,
    voteAction: link(ctx, 'polls.idea.vote', { id: i.entity_id }),
    next,
  }));
}

async function boxPage(ctx: RucheContext, containerId: number | null): Promise<RouteResult> {
  requireReader(ctx);
  const box = await boxOf(ctx, containerId);
  const sort: IdeaSort = IDEA_SORTS.find((s) => s === queryParam(ctx, 'sort')) ?? 'votes';
  const status = IDEA_STATUSES.find((s) => s === queryParam(ctx, 'status')) ?? null;
  const cursor = cursorParams(ctx, ...IDEA_ORDERS[sort].parts);
  const viewer = ctx.state.viewer;
  const page = await service(ctx).list(viewer, { networkId: ctx.state.network.id, containerId }, { sort, status, cursor });
  const ideas = page.items;
  const here = containerId === null ? link(ctx, 'polls.ideas') : link(ctx, 'polls.ideas.container', { containerId });
  const { budget } = votingOf(ctx);
  const used = viewer && budget > 0 ? await service(ctx).votesUsed(viewer.id, { networkId: ctx.state.network.id, containerId }) : 0;
  const withQuery = (q: Record<string, string | null>) => {
    const params = new URLSearchParams();
    const all = { sort, status: status as string | null, ...q };
    if (all.sort && all.sort !== 'votes') params.set('sort', all.sort);
    if (all.status) params.set('status', all.status);
    const qs = params.toString();
    return qs ? `${here}?${qs}` : here;
  };
  return {
    view: 'polls/ideas',
    title: t(ctx, 'polls.ideas.title'),
    data: {
      ideas: await ideaViews(ctx, ideas, ctx.originalUrl.split('#')[0]),
      group: box,
      sorts: IDEA_SORTS.map((s) => ({ label: t(ctx, `polls.ideas.sort.${s}`), href: withQuery({ sort: s }), current: s === sort })),
      statuses: [null, ...IDEA_STATUSES].map((s) => ({
        label: t(ctx, s ? `polls.ideas.status.${s}` : 'polls.ideas.allStatuses'),
        href: withQuery({ status: s }),
        current: s === status,
      })),
      budgetNote: viewer && budget > 0 ? t(ctx, 'polls.ideas.budget', { left: Math.max(0, budget - used), count: budget }) : '',
      newHref:
        viewer && (await levelsIn(ctx, viewer, containerId)).length
          ? `${link(ctx, 'polls.idea.new')}${containerId === null ? '' : `?container=${containerId}`}`
          : null,
      pages: cursorPager(ctx, page, cursor),
    },
  };
}

function ideaForm(
  ctx: RucheContext,
  levels: AccessLevel[],
  container: number,
  values: Record<string, string>,
  errors: Record<string, string>,
  status = 200,
): RouteResult {
  return {
    view: 'polls/idea-new',
    title: t(ctx, 'polls.ideas.new'),
    status,
    data: {
      values,
      errors,
      hasErrors: Object.keys(errors).length > 0,
      container: container || '',
      accessOptions: levels.map((l) => ({
        value: l,
        label: t(ctx, `core.access.${l}`),
        selected: (values.access || (levels.includes('members') ? 'members' : levels[0])) === l,
      })),
      backHref: container ? link(ctx, 'polls.ideas.container', { containerId: container }) : link(ctx, 'polls.ideas'),
    },
  };
}

async function formLevels(ctx: RucheContext, viewer: Viewer, container: number): Promise<AccessLevel[]> {
  const levels = await levelsIn(ctx, viewer, container || null);
  if (!levels.length) throw new HttpError(404, 'polls.errors.noContainer');
  return levels;
}

async function newIdea(ctx: RucheContext): Promise<RouteResult> {
  const viewer = requireMember(ctx);
  const container = idOf(queryParam(ctx, 'container'));
  return ideaForm(ctx, await formLevels(ctx, viewer, container), container, {}, {});
}

async function createIdea(ctx: RucheContext): Promise<RouteResult> {
  const viewer = requireMember(ctx);
  const body = bodyOf(ctx);
  const container = idOf(text(body, 'container'));
  const levels = await formLevels(ctx, viewer, container);
  const values = { title: text(body, 'title'), body: text(body, 'body'), access: text(body, 'access') };
  const errors: Record<string, string> = {};
  const title = values.title.trim();
  const words = values.body.trim();
  if (!title) errors.title = t(ctx, 'polls.errors.ideaTitle');
  else if (title.length > MAX_IDEA_TITLE) errors.title = t(ctx, 'polls.errors.ideaTitleTooLong');
  if (words.length > MAX_IDEA_BODY) errors.body = t(ctx, 'polls.errors.ideaBodyTooLong');
  const access = levels.find((l) => l === values.access) ?? (values.access ? undefined : levels[0]);
  if (!access) errors.access = t(ctx, 'polls.errors.access');
  if (Object.keys(errors).length) return ideaForm(ctx, levels, container, values, errors, 422);
  const id = await service(ctx).create(
    viewer.id,
    { networkId: ctx.state.network.id, containerId: container || null, access: access! },
    { title, body: words },
  );
  return { redirect: link(ctx, 'polls.idea.view', { id }), flash: 'polls.flash.ideaCreated' };
}

async function ideaPage(ctx: RucheContext): Promise<RouteResult> {
  requireReader(ctx);
  const s = service(ctx);
  const { idea, entity } = await s.seen(ctx.state.viewer, idParam(ctx));
  const here = link(ctx, 'polls.idea.view', { id: idea.entity_id });
  const [[view], panels, manager] = await Promise.all([
    ideaViews(ctx, [idea], here),
    entityPanels(ctx, [entityRef(entity)], 'page'),
    s.mayManage(ctx.state.viewer, idea),
  ]);
  const box = idea.container_id === null ? link(ctx, 'polls.ideas') : link(ctx, 'polls.ideas.container', { containerId: idea.container_id });
  return {
    view: 'polls/idea',
    title: idea.title,
    data: {
      idea: view,
      body: idea.body,
      reply: idea.reply,
      boxHref: box,
      panels: panels.get(idea.entity_id) ?? [],
      manage: manager
        ? {
            action: link(ctx, 'polls.idea.status', { id: idea.entity_id }),
            statuses: IDEA_STATUSES.map((st) => ({ value: st, label: t(ctx, `polls.ideas.status.${st}`), selected: st === idea.status })),
            reply: idea.reply ?? '',
          }
        : null,
    },
  };
}

const VALUES: Record<string, -1 | 0 | 1> = { up: 1, down: -1, none: 0 };

async function voteIdea(ctx: RucheContext): Promise<RouteResult> {
  const viewer = requireMember(ctx);
  const s = service(ctx);
  const { idea } = await s.seen(viewer, idParam(ctx));
  const next = `${safeNext(ctx, link(ctx, 'polls.idea.view', { id: idea.entity_id })).split('#')[0]}#idea-${idea.entity_id}`;
  const { updown, budget } = votingOf(ctx);
  const value = VALUES[text(bodyOf(ctx), 'value')];
  if (value === undefined || (value === -1 && !updown)) return { redirect: next, flash: { key: 'polls.errors.ideaVote', type: 'error' } };
  const outcome = await s.vote(viewer.id, idea, value, budget);
  if (outcome === 'overBudget') return { redirect: next, flash: { key: 'polls.errors.overBudget', params: { count: budget }, type: 'error' } };
  return { redirect: next, flash: outcome === 'withdrawn' ? 'polls.flash.ideaWithdrawn' : 'polls.flash.ideaVoted' };
}

async function setIdeaStatus(ctx: RucheContext): Promise<RouteResult> {
  const viewer = requireMember(ctx);
  const s = service(ctx);
  const { idea } = await s.seen(viewer, idParam(ctx));
  if (!(await s.mayManage(viewer, idea))) throw new HttpError(403, 'polls.errors.notIdeaManager');
  const body = bodyOf(ctx);
  const status = IDEA_STATUSES.find((st) => st === text(body, 'status'));
  const reply = text(body, 'reply').trim();
  const here = link(ctx, 'polls.idea.view', { id: idea.entity_id });
  if (!status) return { redirect: here, flash: { key: 'polls.errors.ideaStatus', type: 'error' } };
  if (reply.length > MAX_REPLY) return { redirect: here, flash: { key: 'polls.errors.replyTooLong', type: 'error' } };
  if (await s.setStatus(idea, status, reply)) {
    const userIds = [...new Set([idea.owner_id, ...(await s.voterIds(idea.entity_id))])];
    await ctx.ruche.hooks.emit('notifications:notify', {
      networkId: idea.network_id,
      kind: 'polls.ideaStatus',
      userIds,
      actorId: viewer.id,
      entityId: idea.entity_id,
    });
  }
  return { redirect: here, flash: 'polls.flash.ideaStatus' };
}

export const ideasRoutes: RouteDef[] = [
  ...listRoutes({ network: 'polls.ideas', container: 'polls.ideas.container' }, '/ideas', boxPage),
  { name: 'polls.idea.new', method: 'GET', path: '/ideas/new', capability: CREATE, handler: newIdea },
  { name: 'polls.idea.create', method: 'POST', path: '/ideas', capability: CREATE, handler: createIdea },
  { name: 'polls.idea.view', method: 'GET', path: '/ideas/:id', public: true, handler: ideaPage },
  { name: 'polls.idea.vote', method: 'POST', path: '/ideas/:id/vote', capability: VOTE, handler: voteIdea },
  { name: 'polls.idea.status', method: 'POST', path: '/ideas/:id/status', capability: VOTE, handler: setIdeaStatus },
];
