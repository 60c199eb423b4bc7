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
  // A reply a moderator hid is no longer told about.
  const reply = await rt
    .db('discussion_replies')
    .where({ id: n.objectId, topic_id: n.entityId, withheld: false })
    .whereNull('deleted_at')
    .first('id');
  return reply ? { href: rt.routes.build('discussions.reply.view', { id: n.objectId }, basePath) } : null;
};

/** The reply's text, for the email. */
const excerpt: NotificationKind['excerpt'] = async (rt, n) => {
  const row = n.objectId
    ? await rt.db('discussion_replies').where({ id: n.objectId, withheld: false }).whereNull('deleted_at').first('body')
    : undefined;
  return row ? String(row.body) : null;
};

/** A mention links to its reply, or to the topic when it is in the topic's own text. */
const resolveMention: NotificationKind['resolve'] = async (rt, n, recipient, basePath) => {
  if (n.objectId) return resolve!(rt, n, recipient, basePath);
  const href = await visibleEntityHref(rt, n.entityId, recipient, basePath);
  return href ? { href } : null;
};

/** The reply's text, or the topic's title and excerpt. */
const mentionExcerpt: NotificationKind['excerpt'] = async (rt, n) => {
  if (n.objectId) return excerpt!(rt, n);
  const row = await rt.db('discussion_topics').where({ entity_id: n.entityId }).first('title', 'excerpt');
  return row ? [row.title, row.excerpt].filter(Boolean).join('\n') : null;
};

const kinds: NotificationKind[] = [
  { id: 'discussions.replied', defaultFrequency: 'immediately', resolve, excerpt },
  { id: 'discussions.answered', defaultFrequency: 'immediately', resolve, excerpt },
  { id: 'discussions.mentioned', defaultFrequency: 'immediately', resolve: resolveMention, excerpt: mentionExcerpt },
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
  // The core mentions a member in a topic or reply they may see (once per text and member).
  onEvent('content:mentioned', ({ networkId, entityId, objectId, actorId, userId, source }, rt) =>
    source === 'topic' || source === 'reply'
      ? rt.hooks.emit('notifications:notify', {
          networkId,
          kind: 'discussions.mentioned',
          userId,
          actorId,
          entityId,
          objectId: objectId || undefined,
          groupKey: `discussions.mentioned:${entityId}:${objectId}`,
        })
      : undefined,
  ),
];
