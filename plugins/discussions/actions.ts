/**
 * What members do on a topic page: reply (a refused reply shows the page again with the
 * text kept and a 400), edit and delete a reply, mark or unmark the accepted answer (the
 * asker or a moderator), lock and pin (moderators), subscribe and unsubscribe.
 */
import { acceptAttachments, activeViewer, field, HttpError, link, t, type RouteDef, type RouteResult, type RucheContext } from '../../core';
import { topicView } from './view';
import { WRITE, canAnswer, editableReply, moderatedTopic, replies, replyHref, topics, visibleReply, visibleTopic, visibleTopicPage } from './params';
import { REPLY_KIND, replyParent, type ReplyRow } from './replies';
import type { TopicRow } from './service';

const on = (ctx: RucheContext): boolean => field(ctx, 'on') !== '0';

async function backTo(ctx: RucheContext, topic: TopicRow, reply?: ReplyRow): Promise<string> {
  return reply ? replyHref(ctx, topic, reply) : link(ctx, 'discussions.view', { id: topic.id });
}

async function replyEditPage(ctx: RucheContext, reply: ReplyRow, topic: TopicRow, body: string, error: string | null): Promise<RouteResult> {
  const title = t(ctx, 'discussions.replyEdit.title');
  return {
    view: 'discussions/reply-edit',
    title,
    status: error ? 400 : undefined,
    data: {
      pageTitle: title,
      topicTitle: topic.title,
      action: link(ctx, 'discussions.reply.update', { id: reply.id }),
      cancelHref: await backTo(ctx, topic, reply),
      body,
      error,
    },
  };
}

/** Moderators lock or pin a topic (`on`), or undo it: one route per flag. */
const flagRoutes: RouteDef[] = (
  [
    ['lock', 'locked', 'unlocked'],
    ['pin', 'pinned', 'unpinned'],
  ] as const
).map(([action, flag, undone]): RouteDef => ({
  name: `discussions.${action}`,
  method: 'POST',
  path: `/discussions/:id/${action}`,
  capability: WRITE,
  async handler(ctx) {
    const topic = await moderatedTopic(ctx);
    await topics(ctx).setFlag(topic, flag, on(ctx));
    return { redirect: await backTo(ctx, topic), flash: `discussions.flash.${on(ctx) ? flag : undone}` };
  },
}));

export const actionRoutes: RouteDef[] = [
  {
    name: 'discussions.reply',
    method: 'POST',
    path: '/discussions/:id/replies',
    capability: WRITE,
    async handler(ctx) {
      const shown = await visibleTopicPage(ctx);
      const { topic } = shown;
      if (topic.locked) throw new HttpError(403, 'discussions.errors.locked');
      const body = field(ctx, 'body');
      const { body: clean, problem, screened } = await replies(ctx).validate(body, topic.network_id, ctx.state.viewer!.id);
      if (!clean) {
        return {
          view: 'discussions/topic',
          title: topic.title,
          status: 400,
          data: await topicView(ctx, shown, { body, error: t(ctx, problem!.key, problem!.params), lastPage: true }),
        };
      }
      // Files sent with the reply are judged before it is saved (core/content/attachments.ts).
      const files = await acceptAttachments(ctx, REPLY_KIND, { networkId: topic.network_id, containerId: topic.container_id, access: topic.access });
      if (files.problems.length) {
        return {
          view: 'discussions/topic',
          title: topic.title,
          status: files.status,
          data: await topicView(ctx, shown, { body, error: files.problems.join(' '), lastPage: true }),
        };
      }
      const reply = await replies(ctx).create(ctx.state.viewer!, topic, clean, screened);
      await files.save(replyParent(topic.id, reply.id));
      return { redirect: await backTo(ctx, topic, reply), flash: 'discussions.flash.replied' };
    },
  },
  {
    name: 'discussions.reply.edit',
    method: 'GET',
    path: '/discussions/replies/:id/edit',
    capability: WRITE,
    async handler(ctx) {
      const { reply, topic } = await editableReply(ctx);
      return replyEditPage(ctx, reply, topic, reply.body, null);
    },
  },
  {
    name: 'discussions.reply.update',
    method: 'POST',
    path: '/discussions/replies/:id/edit',
    capability: WRITE,
    async handler(ctx) {
      const { reply, topic } = await editableReply(ctx);
      const body = field(ctx, 'body');
      const { body: clean, problem, screened } = await replies(ctx).validate(body, topic.network_id, reply.author_id);
      if (!clean) return replyEditPage(ctx, reply, topic, body, t(ctx, problem!.key, problem!.params));
      await replies(ctx).update(ctx.state.viewer!, reply, clean, screened);
      return { redirect: await backTo(ctx, topic, reply), flash: 'discussions.flash.saved' };
    },
  },
  {
    name: 'discussions.reply.delete',
    method: 'POST',
    path: '/discussions/replies/:id/delete',
    capability: WRITE,
    async handler(ctx) {
      const { reply, topic } = await editableReply(ctx);
      await replies(ctx).remove(reply);
      return { redirect: await backTo(ctx, topic, reply), flash: 'discussions.flash.replyDeleted' };
    },
  },
  {
    name: 'discussions.reply.accept',
    method: 'POST',
    path: '/discussions/replies/:id/accept',
    capability: WRITE,
    async handler(ctx) {
      const { reply, topic } = await visibleReply(ctx);
      if (!(await canAnswer(ctx, topic))) throw new HttpError(403, 'discussions.errors.notAsker');
      // A reply a moderator hid is not an answer others could read.
      if (reply.withheld) throw new HttpError(409, 'discussions.errors.hiddenAnswer');
      await replies(ctx).accept(ctx.state.viewer!, topic, reply);
      return { redirect: await backTo(ctx, topic, reply), flash: 'discussions.flash.accepted' };
    },
  },
  {
    name: 'discussions.unaccept',
    method: 'POST',
    path: '/discussions/:id/unaccept',
    capability: WRITE,
    async handler(ctx) {
      const topic = await visibleTopic(ctx);
      if (!(await canAnswer(ctx, topic))) throw new HttpError(403, 'discussions.errors.notAsker');
      await replies(ctx).unaccept(topic);
      return { redirect: await backTo(ctx, topic), flash: 'discussions.flash.unaccepted' };
    },
  },
  ...flagRoutes,
  {
    name: 'discussions.subscribe',
    method: 'POST',
    path: '/discussions/:id/subscribe',
    capability: WRITE,
    async handler(ctx) {
      const topic = await visibleTopic(ctx);
      await replies(ctx).subscribe(activeViewer(ctx)!.id, topic.id, on(ctx));
      return { redirect: await backTo(ctx, topic), flash: on(ctx) ? 'discussions.flash.subscribed' : 'discussions.flash.unsubscribed' };
    },
  },
];
