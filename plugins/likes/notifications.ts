/**
 * The likes plugin's notification kind (a reaction to my content, linking to it) and the
 * listener that asks for it. Unheard without the notifications plugin; only its hooks.ts is
 * imported.
 */
import { onEvent, onFilter, visibleEntityHref, type HookRegistration } from '../../core';
import type { NotificationKind } from '../notifications/hooks';
import './hooks';

/** The reacted content, when the recipient may see it, and the latest actor's reaction by name ("Insightful", not "liked"). */
const resolve: NotificationKind['resolve'] = async (rt, n, recipient, basePath) => {
  const href = await visibleEntityHref(rt, n.entityId, recipient, basePath);
  if (!href) return null;
  const row = n.actorId ? await rt.db('reactions').where({ entity_id: n.entityId, user_id: n.actorId }).first('reaction') : undefined;
  return row ? { href, sentence: 'likes.notifications.reacted.named', terms: { reaction: `likes.reaction.${String(row.reaction)}` } } : { href };
};

const kinds: NotificationKind[] = [{ id: 'likes.reacted', defaultFrequency: 'daily', resolve }];

export const likesNotifications: HookRegistration[] = [
  onFilter('notifications:kinds', (list) => [...list, ...kinds]),
  onEvent('likes:reacted', async (p, rt) => {
    if (p.previous) return; // a changed reaction is not news
    await rt.hooks.emit('notifications:notify', {
      networkId: p.networkId,
      kind: 'likes.reacted',
      userId: p.ownerId,
      actorId: p.userId,
      entityId: p.entityId,
    });
  }),
];
