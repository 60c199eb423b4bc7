/**
 * The discussions plugin's notification kinds (a reply in a topic I follow, my reply marked
 * as the answer: both link to the reply while it and its topic are there for the recipient)
 * and the listeners that ask for them. Unheard without the notifications plugin; only its
 * hooks.ts is imported.
 */
import { onEvent, onFilter, visibleEntityHref, type HookRegistration } from '../../core';
import type { NotificationKind } from '../notifications/hooks';
import './hooks';

const resolve: NotificationKind['resolve'] = async (rt, n, recipient, basePath) => {
  if (!n.objectId || !(await visibleEntityHref(rt, n.entityId, recipient, basePath))) return null;
  const reply = await rt.db('discussion_replies').where({ id: n.objectId, topic_id: n.entityId }).whereNull('deleted_at').first('id');
  return reply ? { href: rt.routes.build('discussions.reply.view', { id: n.objectId }, basePath) } : null;
};

/** The reply's text, for the email. */
const excerpt: NotificationKind['excerpt'] = async (rt, n) => {
  const row = n.objectId ? await rt.db('discussion_replies').where({ id: n.objectId }).whereNull('deleted_at').first('body') : undefined;
  return row ? String(row.body) : null;
};

const kinds: NotificationKind[] = [
  { id: 'discussions.replied', defaultFrequency: 'immediately', resolve, excerpt },
  { id: 'discussions.answered', defaultFrequency: 'immediately', resolve, excerpt },
];

export const discussionsNotifications: HookRegistration[] = [
  onFilter('notifications:kinds', (list) => [...list, ...kinds]),
  onEvent('discussions:replied', ({ networkId, topicId, replyId, authorId, subscriberIds }, rt) =>
    rt.hooks.emit('notifications:notify', {
      networkId,
      kind: 'discussions.replied',
      userIds: subscriberIds,
      actorId: authorId,
      entityId: topicId,
      objectId: replyId,
    }),
  ),
  onEvent('discussions:answered', ({ networkId, topicId, replyId, authorId, byId }, rt) => {
    const groupKey = `discussions.answered:${replyId}`;
    return rt.hooks.emit('notifications:notify', {
      networkId,
      kind: 'discussions.answered',
      userId: authorId,
      actorId: byId,
      entityId: topicId,
      objectId: replyId,
      groupKey,
    });
  }),
];
