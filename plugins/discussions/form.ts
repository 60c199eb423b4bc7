/**
 * Writing topics: the new/edit form, create, update, delete, and the moderators' move form.
 * A refused form is shown again with the member's input, a localised message per field and
 * a 400; forged ids are 404s.
 */
import { field, HttpError, link, queryParam, setFlash, t, type RouteDef, type RouteResult, type RucheContext } from '../../core';
import { WRITE, editableTopic, moderatedTopic, topics } from './params';
import type { Problems, TopicInput, TopicRow } from './service';

function readInput(ctx: RucheContext, containerId: number | null): TopicInput {
  return { title: field(ctx, 'title'), body: field(ctx, 'body'), tags: field(ctx, 'tags'), access: field(ctx, 'access'), containerId };
}

function formPage(ctx: RucheContext, input: TopicInput, problems: Problems = {}, topic?: TopicRow): RouteResult {
  const networkId = ctx.state.network.id;
  const errors = Object.fromEntries(Object.entries(problems).map(([k, p]) => [k, t(ctx, p.key, p.params)]));
  const levels: string[] = input.containerId ? ['group'] : topics(ctx).accessLevels(networkId);
  if (topic && !input.containerId && !levels.includes(topic.access)) levels.push(topic.access);
  const title = topic ? t(ctx, 'discussions.form.editTitle') : t(ctx, 'discussions.form.newTitle');
  return {
    view: 'discussions/edit',
    title,
    status: Object.keys(problems).length ? 400 : undefined,
    data: {
      pageTitle: title,
      action: topic ? link(ctx, 'discussions.update', { id: topic.id }) : link(ctx, 'discussions.create'),
      cancelHref: topic
        ? link(ctx, 'discussions.view', { id: topic.id })
        : input.containerId
          ? link(ctx, 'discussions.container', { containerId: input.containerId })
          : link(ctx, 'discussions.network'),
      values: input,
      errors,
      hasErrors: Object.keys(errors).length > 0,
      inContainer: !!input.containerId,
      accessOptions: levels.map((v) => ({
        value: v,
        label: t(ctx, `core.access.${v}`),
        selected: v === (input.containerId ? 'group' : input.access),
      })),
      isEdit: !!topic,
    },
  };
}

function containerOf(raw: string): number | null {
  return /^\d{1,15}$/.test(raw) ? Number(raw) : raw ? -1 : null;
}

async function readForm(ctx: RucheContext, containerId: number | null, topic?: TopicRow) {
  const input = readInput(ctx, containerId);
  const { clean, problems } = topics(ctx).validate(ctx.state.network.id, input, topic);
  if (!clean) return { page: formPage(ctx, input, { ...problems, _form: { key: 'core.form.hasErrors' } }, topic) };
  return { clean };
}

export const formRoutes: RouteDef[] = [
  {
    name: 'discussions.new',
    method: 'GET',
    path: '/discussions/new',
    capability: WRITE,
    async handler(ctx) {
      const containerId = containerOf(queryParam(ctx, 'container'));
      if (containerId !== null) await topics(ctx).requireContainer(ctx.state.viewer!, containerId, ctx.state.network.id);
      return formPage(ctx, { title: '', body: '', tags: '', access: topics(ctx).defaultAccess(ctx.state.network.id), containerId });
    },
  },
  {
    name: 'discussions.create',
    method: 'POST',
    path: '/discussions',
    capability: WRITE,
    async handler(ctx) {
      const viewer = ctx.state.viewer!;
      const containerId = containerOf(field(ctx, 'container'));
      if (containerId !== null) await topics(ctx).requireContainer(viewer, containerId, ctx.state.network.id);
      const form = await readForm(ctx, containerId);
      if ('page' in form) return form.page;
      const id = await topics(ctx).create(viewer, ctx.state.network.id, containerId, form.clean);
      setFlash(ctx, { type: 'success', key: 'discussions.flash.started' });
      return { redirect: link(ctx, 'discussions.view', { id }) };
    },
  },
  {
    name: 'discussions.edit',
    method: 'GET',
    path: '/discussions/:id/edit',
    capability: WRITE,
    async handler(ctx) {
      const topic = await editableTopic(ctx);
      const tags = await ctx.ruche.entities.tagsOf([topic.id]);
      return formPage(
        ctx,
        { title: topic.title, body: topic.body, tags: (tags.get(topic.id) ?? []).join(', '), access: topic.access, containerId: topic.container_id },
        {},
        topic,
      );
    },
  },
  {
    name: 'discussions.update',
    method: 'POST',
    path: '/discussions/:id/edit',
    capability: WRITE,
    async handler(ctx) {
      const topic = await editableTopic(ctx);
      const form = await readForm(ctx, topic.container_id, topic);
      if ('page' in form) return form.page;
      await topics(ctx).update(ctx.state.viewer!, topic, form.clean);
      setFlash(ctx, { type: 'success', key: 'discussions.flash.saved' });
      return { redirect: link(ctx, 'discussions.view', { id: topic.id }) };
    },
  },
  {
    name: 'discussions.delete',
    method: 'POST',
    path: '/discussions/:id/delete',
    capability: WRITE,
    async handler(ctx) {
      const topic = await editableTopic(ctx);
      await topics(ctx).remove(topic);
      setFlash(ctx, { type: 'success', key: 'discussions.flash.deleted' });
      return {
        redirect: topic.container_id ? link(ctx, 'discussions.container', { containerId: topic.container_id }) : link(ctx, 'discussions.network'),
      };
    },
  },
  {
    name: 'discussions.move',
    method: 'GET',
    path: '/discussions/:id/move',
    capability: WRITE,
    async handler(ctx) {
      const topic = await moderatedTopic(ctx);
      return movePage(ctx, topic);
    },
  },
  {
    name: 'discussions.moveTo',
    method: 'POST',
    path: '/discussions/:id/move',
    capability: WRITE,
    async handler(ctx) {
      const topic = await moderatedTopic(ctx);
      const raw = field(ctx, 'container');
      const target = raw === 'network' ? null : containerOf(raw);
      if (target === null && raw !== 'network') return movePage(ctx, topic, t(ctx, 'discussions.errors.moveTarget'));
      if (target !== null && !(await topics(ctx).moveTargets(topic.network_id, topic.container_id)).some((c) => c.id === target)) {
        return movePage(ctx, topic, t(ctx, 'discussions.errors.moveTarget'));
      }
      if (target === topic.container_id) throw new HttpError(400, 'discussions.errors.moveTarget');
      await topics(ctx).move(topic, target);
      setFlash(ctx, { type: 'success', key: 'discussions.flash.moved' });
      return { redirect: link(ctx, 'discussions.view', { id: topic.id }) };
    },
  },
];

async function movePage(ctx: RucheContext, topic: TopicRow, error: string | null = null): Promise<RouteResult> {
  const targets = await topics(ctx).moveTargets(topic.network_id, topic.container_id);
  const title = t(ctx, 'discussions.move.title', { title: topic.title });
  const options = [
    ...(topic.container_id ? [{ value: 'network', label: t(ctx, 'discussions.move.network') }] : []),
    ...targets.map((c) => ({ value: String(c.id), label: t(ctx, 'discussions.move.container', { id: c.id, count: c.members }) })),
  ];
  return {
    view: 'discussions/move',
    title,
    status: error ? 400 : undefined,
    data: {
      pageTitle: title,
      action: link(ctx, 'discussions.moveTo', { id: topic.id }),
      cancelHref: link(ctx, 'discussions.view', { id: topic.id }),
      options,
      error,
      hint: t(ctx, 'discussions.move.hint'),
    },
  };
}
