/**
 * Writing topics: the new/edit form (built by the core's `articleFormRoutes`), delete, and the
 * moderators' move form.
 * A refused form is shown again with the member's input, a localised message per field and
 * a 400; forged ids are 404s.
 */
import {
  articleFormRoutes,
  blankArticle,
  field,
  HttpError,
  idOf,
  link,
  postedArticle,
  t,
  type RouteDef,
  type RouteResult,
  type RucheContext,
} from '../../core';
import { WRITE, editableTopic, moderatedTopic, topics } from './params';
import { TOPIC, type CleanTopic, type TopicInput, type TopicRow } from './service';

const topicForm = articleFormRoutes<TopicRow, TopicInput, CleanTopic>({
  plugin: 'discussions',
  kind: TOPIC,
  path: '/discussions',
  capability: WRITE,
  service: topics,
  api: { summary: 'Starts a discussion topic, in the network or a container.' },
  editable: editableTopic,
  remove: (ctx, topic) => topics(ctx).remove(topic),
  deletedToContainer: true,
  blank: blankArticle,
  read: postedArticle,
  inputOf: (topic, tags) => ({ title: topic.title, body: topic.body, tags: tags.join(', '), access: topic.access, containerId: topic.container_id }),
  async check(ctx, input, topic) {
    const { clean, problems } = topics(ctx).validate(ctx.state.network.id, input, topic);
    return { value: clean, problems };
  },
  // A topic is never a draft: saving it publishes it, so one the screening holds is saved withheld.
  publishes: () => true,
  async create(ctx, containerId, topic, held) {
    const id = await topics(ctx).create(ctx.state.viewer!, ctx.state.network.id, containerId, topic, held);
    return { id, flash: held ? 'discussions.flash.held' : 'discussions.flash.started' };
  },
  async update(ctx, old, topic, held) {
    await topics(ctx).update(ctx.state.viewer!, old, topic, held);
    return held ? 'discussions.flash.held' : 'discussions.flash.saved';
  },
});

export const formRoutes: RouteDef[] = [
  ...topicForm,
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
      // A container id (0 when it is not one: no container has it), or the network itself.
      const target = raw === 'network' ? null : idOf(raw);
      if (target !== null && !(await topics(ctx).moveTargets(topic.network_id, topic.container_id)).some((c) => c.id === target)) {
        return movePage(ctx, topic, t(ctx, 'discussions.errors.moveTarget'));
      }
      if (target === topic.container_id) throw new HttpError(400, 'discussions.errors.moveTarget');
      await topics(ctx).move(topic, target);
      return { redirect: link(ctx, 'discussions.view', { id: topic.id }), flash: 'discussions.flash.moved' };
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
