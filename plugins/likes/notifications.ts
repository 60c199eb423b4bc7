/**
 * The likes plugin's notification kind (a reaction to my content, linking to it) and the
 * listener that asks for it. Unheard without the notifications plugin; only its hooks.ts is
 * imported.
 */
import { onEvent, onFilter, type HookRegistration } from '../../core';
import type { NotificationKind } from '../notifications/hooks';
import './hooks';

const kinds: NotificationKind[] = [{ id: 'likes.reacted', defaultFrequency: 'daily' }];

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
