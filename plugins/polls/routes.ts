/**
 * Poll pages and forms: the new-poll form (in the network, in a group, or on a `pollable`
 * entity of the viewer's), a poll's page, the vote, and the managers' close, delete and CSV
 * export. Each handler asks the service for the poll through the access model first.
 */
import {
  bodyOf,
  cursorPager,
  cursorParams,
  HttpError,
  idOf,
  idParam,
  link,
  listRoutes,
  notFound,
  queryParam,
  requireMember,
  requireReader,
  safeNext,
  t,
  toLocalInput,
  visibleEntityHref,
  zoneOr,
  type AccessLevel,
  type EntityRow,
  type RouteDef,
  type RouteResult,
  type RucheContext,
  type Viewer,
} from '../../core';
import { exportCsv } from './export';
import { listedGroup } from './list-routes';
import { CREATE, isClosed, LIST_CURSOR, PollsService, VOTE } from './service';
import { checkBallot, checkPoll, formValues, RESULTS, type PollFormValues, type Problems } from './validate';
import { pollViews } from './view';

const service = (ctx: RucheContext): PollsService => ctx.ruche.container.resolve(PollsService);

/** Where a new poll goes: on an entity of the viewer's, in a group, or in the network. */
interface Place {
  parent: EntityRow | null;
  containerId: number | null;
  levels: AccessLevel[];
  /** Where the form's Cancel and the new poll lead back to (the parent's page). */
  backHref: string;
}

async function placeOf(ctx: RucheContext, viewer: Viewer, on: number, container: number): Promise<Place> {
  const s = service(ctx);
  const networkId = ctx.state.network.id;
  if (on) {
    const parent = await ctx.ruche.entities.get(on);
    await ctx.ruche.access.requireVisible(viewer, parent);
    if (!parent || Number(parent.network_id) !== networkId || !s.isPollable(parent.type)) throw notFound();
    if (!ctx.ruche.access.canEdit(viewer, parent)) throw new HttpError(403, 'polls.errors.notYours');
    const backHref = (await visibleEntityHref(ctx.ruche, Number(parent.id), viewer, ctx.state.basePath)) ?? link(ctx, 'polls.network');
    return { parent, containerId: null, levels: [parent.access as AccessLevel], backHref };
  }
  if (container) {
    const c = await ctx.ruche.containers.policy(viewer, container, networkId);
    const moderates = c.hasMembers && ctx.ruche.access.canModerate(viewer, { network_id: networkId });
    if (c.type === null || !(c.role || moderates) || !c.canPost) throw new HttpError(404, 'polls.errors.noContainer');
    return { parent: null, containerId: container, levels: c.allowedAccess, backHref: link(ctx, 'polls.container', { containerId: container }) };
  }
  return {
    parent: null,
    containerId: null,
    levels: ctx.ruche.access.offeredLevels(networkId, { personal: false }),
    backHref: link(ctx, 'polls.network'),
  };
}

/** The form as an edit of poll `editing` (its action, title and button), or as a new poll. */
function formPage(
  ctx: RucheContext,
  place: Place,
  on: number,
  container: number,
  values: PollFormValues,
  problems: Problems,
  status = 200,
  editing?: number,
): RouteResult {
  const errors = Object.fromEntries(Object.entries(problems).map(([k, v]) => [k, t(ctx, v)]));
  const title = t(ctx, editing ? 'polls.edit.title' : place.parent ? 'polls.new.attachTitle' : 'polls.new.title');
  return {
    view: 'polls/new',
    title,
    status,
    data: {
      pageTitle: title,
      action: editing ? link(ctx, 'polls.update', { id: editing }) : link(ctx, 'polls.create'),
      submitLabel: t(ctx, editing ? 'polls.edit.save' : 'polls.form.create'),
      values,
      errors,
      hasErrors: Object.keys(errors).length > 0,
      on: on || '',
      container: container || '',
      attached: !!place.parent,
      accessOptions: place.parent
        ? []
        : place.levels.map((l) => ({ value: l, label: t(ctx, `core.access.${l}`), selected: (values.access || defaultLevel(place.levels)) === l })),
      resultsOptions: RESULTS.map((r) => ({ value: r, label: t(ctx, `polls.results.${r}`), selected: values.results === r })),
      backHref: place.backHref,
      zone: zoneOr(ctx.state.viewer?.timeZone),
    },
  };
}

/** The level a new poll starts at: all members where offered, else the first offered. */
const defaultLevel = (levels: AccessLevel[]): AccessLevel => (levels.includes('members') ? 'members' : levels[0]);

const placeParams = (ctx: RucheContext, body?: Record<string, unknown>) => {
  const read = (name: string) => (body && typeof body[name] === 'string' ? (body[name] as string) : queryParam(ctx, name));
  return { on: idOf(read('on')), container: idOf(read('container')) };
};

async function newPoll(ctx: RucheContext): Promise<RouteResult> {
  const viewer = requireMember(ctx);
  const { on, container } = placeParams(ctx);
  const place = await placeOf(ctx, viewer, on, container);
  return formPage(ctx, place, on, container, formValues({}), {});
}

async function createPoll(ctx: RucheContext): Promise<RouteResult> {
  const viewer = requireMember(ctx);
  const body = bodyOf(ctx);
  const { on, container } = placeParams(ctx, body);
  const place = await placeOf(ctx, viewer, on, container);
  const values = formValues(body);
  const zone = zoneOr(viewer.timeZone, body.time_zone);
  const { input, problems } = checkPoll(place.parent ? { ...values, access: place.levels[0] } : values, {
    levels: place.levels,
    zone,
    now: Date.now(),
  });
  if (Object.keys(problems).length) return formPage(ctx, place, on, container, values, problems, 422);
  const id = await service(ctx).create(
    viewer.id,
    { networkId: ctx.state.network.id, access: input.access, containerId: place.containerId, parent: place.parent },
    input,
  );
  const to = place.parent ? `${place.backHref}#poll-${id}` : link(ctx, 'polls.view', { id });
  return { redirect: to, flash: 'polls.flash.created' };
}

/** The poll of `:id` for its edit form: a manager's, nobody voted yet (else back to the poll, saying why). */
async function editable(ctx: RucheContext) {
  const seen = await managed(ctx);
  const id = seen.poll.entity_id;
  const voted = ((await service(ctx).voterCount([id])).get(id) ?? 0) > 0;
  const place: Place = seen.parent
    ? {
        parent: seen.parent,
        containerId: null,
        levels: [seen.parent.access as AccessLevel],
        backHref: (await visibleEntityHref(ctx.ruche, Number(seen.parent.id), ctx.state.viewer, ctx.state.basePath)) ?? link(ctx, 'polls.network'),
      }
    : await placeOf(ctx, ctx.state.viewer!, 0, seen.entity.container_id === null ? 0 : Number(seen.entity.container_id));
  return { seen, id, voted, place: { ...place, backHref: seen.parent ? `${place.backHref}#poll-${id}` : link(ctx, 'polls.view', { id }) } };
}

async function editPoll(ctx: RucheContext): Promise<RouteResult> {
  const { seen, id, voted, place } = await editable(ctx);
  if (voted) return { redirect: place.backHref, flash: { key: 'polls.errors.editAfterVote', type: 'error' } };
  const p = seen.poll;
  const options = (await service(ctx).options([id])).get(id) ?? [];
  const values: PollFormValues = {
    question: p.question,
    options: options
      .filter((o) => !o.is_other)
      .map((o) => o.label)
      .join('\n'),
    multiple: p.multiple,
    other: options.some((o) => o.is_other),
    anonymous: p.anonymous,
    results: p.results,
    closes: toLocalInput(p.closes_at, zoneOr(ctx.state.viewer?.timeZone)),
    access: String(seen.entity.access),
  };
  return formPage(ctx, place, 0, 0, values, {}, 200, id);
}

async function updatePoll(ctx: RucheContext): Promise<RouteResult> {
  const { seen, id, voted, place } = await editable(ctx);
  const body = bodyOf(ctx);
  const values = formValues(body);
  const zone = zoneOr(ctx.state.viewer?.timeZone, body.time_zone);
  const { input, problems } = checkPoll(seen.parent ? { ...values, access: place.levels[0] } : values, {
    levels: place.levels,
    zone,
    now: Date.now(),
  });
  // A ballot came in since the form was opened: the form again with what was typed, saying why.
  if (voted) return formPage(ctx, place, 0, 0, values, { question: 'polls.errors.editAfterVote' }, 409, id);
  if (Object.keys(problems).length) return formPage(ctx, place, 0, 0, values, problems, 422, id);
  const done = await service(ctx).edit(id, input, seen.parent ? null : input.access);
  if (!done) return formPage(ctx, place, 0, 0, values, { question: 'polls.errors.editAfterVote' }, 409, id);
  return { redirect: place.backHref, flash: 'polls.flash.edited' };
}

async function viewPoll(ctx: RucheContext): Promise<RouteResult> {
  requireReader(ctx);
  const seen = await service(ctx).seen(ctx.state.viewer, idParam(ctx));
  const [poll] = await pollViews(ctx, [seen], link(ctx, 'polls.view', { id: seen.poll.entity_id }));
  const parentHref = seen.parent ? await visibleEntityHref(ctx.ruche, Number(seen.parent.id), ctx.state.viewer, ctx.state.basePath) : null;
  return { view: 'polls/poll', title: seen.poll.question, data: { poll, parentHref } };
}

async function vote(ctx: RucheContext): Promise<RouteResult> {
  const viewer = requireMember(ctx);
  const s = service(ctx);
  const seen = await s.seen(viewer, idParam(ctx));
  const id = seen.poll.entity_id;
  const next = `${safeNext(ctx, link(ctx, 'polls.view', { id })).split('#')[0]}#poll-${id}`;
  const options = (await s.options([id])).get(id) ?? [];
  if (isClosed(seen.poll)) return { redirect: next, flash: { key: 'polls.errors.closed', type: 'error' } };
  const checked = checkBallot(bodyOf(ctx), seen.poll, options);
  if ('problem' in checked) return { redirect: next, flash: { key: checked.problem, type: 'error' } };
  const outcome = await s.vote(viewer.id, seen.poll, checked.ballot);
  const flash =
    outcome === 'changed' ? 'polls.flash.changed' : outcome === 'already' && seen.poll.anonymous ? 'polls.flash.already' : 'polls.flash.voted';
  return { redirect: next, flash };
}

/** The poll of `:id` when the viewer may see it and manage it (else 404 / 403). */
async function managed(ctx: RucheContext) {
  const viewer = requireMember(ctx);
  const s = service(ctx);
  const seen = await s.seen(viewer, idParam(ctx));
  if (!(await s.mayManage(viewer, seen.entity))) throw new HttpError(403, 'polls.errors.notManager');
  return seen;
}

async function closePoll(ctx: RucheContext): Promise<RouteResult> {
  const seen = await managed(ctx);
  await service(ctx).close(seen.poll.entity_id);
  const id = seen.poll.entity_id;
  return { redirect: `${safeNext(ctx, link(ctx, 'polls.view', { id })).split('#')[0]}#poll-${id}`, flash: 'polls.flash.closed' };
}

async function deletePoll(ctx: RucheContext): Promise<RouteResult> {
  const seen = await managed(ctx);
  await service(ctx).remove(seen.poll.entity_id);
  const to = seen.parent ? await visibleEntityHref(ctx.ruche, Number(seen.parent.id), ctx.state.viewer, ctx.state.basePath) : null;
  return { redirect: to ?? link(ctx, 'polls.network'), flash: 'polls.flash.deleted' };
}

async function exportPoll(ctx: RucheContext): Promise<RouteResult> {
  const seen = await managed(ctx);
  ctx.set('Content-Type', 'text/csv; charset=utf-8');
  ctx.set('Content-Disposition', `attachment; filename="poll-${seen.poll.entity_id}.csv"`);
  ctx.set('Cache-Control', 'private, no-store');
  ctx.body = await exportCsv(ctx, service(ctx), seen.poll);
}

async function listPage(ctx: RucheContext, containerId: number | null): Promise<RouteResult> {
  requireReader(ctx);
  const viewer = ctx.state.viewer;
  const networkId = ctx.state.network.id;
  let group: { name: string; href: string } | null = null;
  let canCreate = !!viewer && ctx.ruche.permissions.can(viewer, CREATE, networkId);
  if (containerId !== null) {
    const { name, href, policy } = await listedGroup(ctx, containerId);
    group = { name, href };
    canCreate = canCreate && !!policy?.canPost && !!policy.role;
  }
  const cursor = cursorParams(ctx, ...LIST_CURSOR);
  const s = service(ctx);
  const page = await s.list(viewer, networkId, containerId, cursor);
  const here = containerId === null ? link(ctx, 'polls.network') : link(ctx, 'polls.container', { containerId });
  const views = await pollViews(ctx, await s.withEntities(page.items), here);
  const newHref = `${link(ctx, 'polls.new')}${containerId === null ? '' : `?container=${containerId}`}`;
  return {
    view: 'polls/list',
    title: t(ctx, 'polls.list.title'),
    data: { polls: views, group, canCreate, newHref, pages: cursorPager(ctx, page, cursor) },
  };
}

export const pollsRoutes: RouteDef[] = [
  ...listRoutes({ network: 'polls.network', container: 'polls.container' }, '/polls', listPage),
  { name: 'polls.new', method: 'GET', path: '/polls/new', capability: CREATE, handler: newPoll },
  { name: 'polls.create', method: 'POST', path: '/polls', capability: CREATE, handler: createPoll },
  { name: 'polls.view', method: 'GET', path: '/polls/:id', public: true, handler: viewPoll },
  { name: 'polls.vote', method: 'POST', path: '/polls/:id/vote', capability: VOTE, handler: vote },
  { name: 'polls.edit', method: 'GET', path: '/polls/:id/edit', capability: VOTE, handler: editPoll },
  { name: 'polls.update', method: 'POST', path: '/polls/:id/edit', capability: VOTE, handler: updatePoll },
  { name: 'polls.close', method: 'POST', path: '/polls/:id/close', capability: VOTE, handler: closePoll },
  { name: 'polls.delete', method: 'POST', path: '/polls/:id/delete', capability: VOTE, handler: deletePoll },
  { name: 'polls.export', method: 'GET', path: '/polls/:id/export.csv', capability: VOTE, handler: exportPoll },
];
