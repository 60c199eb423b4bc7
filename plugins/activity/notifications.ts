/**
 * The activity plugin's notification kinds (mentions, announcements: both link to the post)
 * and the listeners that ask for them. The notifications plugin collects the kinds through
 * `notifications:kinds` and records the requests sent as `notifications:notify`; without it
 * both go unheard. Only its hooks.ts is imported, for types.
 */
import { onEvent, onFilter, type HookRegistration } from '../../core';
import type { NotificationKind } from '../notifications/hooks';
import './hooks';

/** The post's text, for the email (the notifications plugin asks only once the recipient may see it). */
const excerpt: NotificationKind['excerpt'] = async (rt, n) => {
  const row = n.entityId ? await rt.db('status_posts').where({ entity_id: n.entityId }).first('body') : undefined;
  return row ? String(row.body) : null;
};

const kinds: NotificationKind[] = [
  { id: 'activity.mentioned', defaultFrequency: 'immediately', excerpt },
  { id: 'activity.announced', defaultFrequency: 'daily', excerpt },
];

export const activityNotifications: HookRegistration[] = [
  onFilter('notifications:kinds', (list) => [...list, ...kinds]),
  onEvent('content:mentioned', ({ networkId, userId, actorId, entityId, source }, rt) =>
    source === 'status' ? rt.hooks.emit('notifications:notify', { networkId, kind: 'activity.mentioned', userId, actorId, entityId }) : undefined,
  ),
  onEvent('activity:announced', async ({ networkId, entityId }, rt) => {
    const entity = await rt.entities.get(entityId);
    if (!entity) return;
    const userIds = (await rt.db('memberships').where({ network_id: networkId }).pluck('user_id')) as number[];
    await rt.hooks.emit('notifications:notify', { networkId, kind: 'activity.announced', userIds, actorId: Number(entity.owner_id), entityId });
  }),
];
