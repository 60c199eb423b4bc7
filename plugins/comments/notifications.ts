/**
 * The comments plugin's notification kinds (a comment on my content, a reply to my comment:
 * both link to the comment under its entity while it is not deleted) and the listener that
 * asks for them. Unheard without the notifications plugin; only its hooks.ts is imported.
 */
import { onEvent, onFilter, visibleEntityHref, type HookRegistration } from '../../core';
import type { NotificationKind, NotifyInput } from '../notifications/hooks';
import './hooks';

const resolve: NotificationKind['resolve'] = async (rt, n, recipient, basePath) => {
  // A comment a moderator hid is no longer told about (its author is never the one notified).
  const live = n.objectId ? await rt.db('comments').where({ id: n.objectId, withheld: false }).whereNull('deleted_at').first('id') : undefined;
  const href = live ? await visibleEntityHref(rt, n.entityId, recipient, basePath) : null;
  return href ? { href: `${href}#comment-${n.objectId}` } : null;
};

/** The comment's text, for the email. */
const excerpt: NotificationKind['excerpt'] = async (rt, n) => {
  const row = n.objectId ? await rt.db('comments').where({ id: n.objectId, withheld: false }).whereNull('deleted_at').first('body') : undefined;
  return row ? String(row.body) : null;
};

const kinds: NotificationKind[] = [
  { id: 'comments.created', defaultFrequency: 'immediately', resolve, excerpt },
  { id: 'comments.replied', defaultFrequency: 'immediately', resolve, excerpt },
  { id: 'comments.mentioned', defaultFrequency: 'immediately', resolve, excerpt },
];

export const commentsNotifications: HookRegistration[] = [
  onFilter('notifications:kinds', (list) => [...list, ...kinds]),
  onEvent('comments:created', async (p, rt) => {
    const base = { networkId: p.networkId, actorId: p.authorId, entityId: p.entityId, objectId: p.commentId };
    const list: NotifyInput[] = [];
    if (p.parentAuthorId && p.parentId)
      list.push({ ...base, kind: 'comments.replied', userId: p.parentAuthorId, groupKey: `comments.replied:${p.parentId}` });
    if (p.ownerId !== p.parentAuthorId) list.push({ ...base, kind: 'comments.created', userId: p.ownerId });
    for (const input of list) await rt.hooks.emit('notifications:notify', input);
  }),
  // The core mentions a member in a comment they may see (once per comment and member).
  onEvent('content:mentioned', ({ networkId, entityId, objectId, actorId, userId, source }, rt) =>
    source === 'comment'
      ? rt.hooks.emit('notifications:notify', {
          networkId,
          kind: 'comments.mentioned',
          userId,
          actorId,
          entityId,
          objectId,
          groupKey: `comments.mentioned:${objectId}`,
        })
      : undefined,
  ),
];
