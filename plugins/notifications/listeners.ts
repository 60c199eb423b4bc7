/**
 * The events this plugin listens to, sent by the plugins that own the kinds (e.g.
 * plugins/likes/notifications.ts): `notifications:notify` (every refusal rule — own acts,
 * blocks, suspended members, access — is the service's) and `notifications:seen`.
 */
import { onEvent, type HookRegistration } from '../../core';
import { NotificationsService } from './service';

export const listeners: HookRegistration[] = [
  onEvent('notifications:notify', async (p, rt) => {
    const service = rt.container.resolve(NotificationsService);
    if (!('userIds' in p)) await service.notify(p);
    else for (const userId of p.userIds) await service.notify({ ...p, userId: Number(userId) });
  }),
  onEvent('notifications:seen', (p, rt) => rt.container.resolve(NotificationsService).markKeyRead(p.userId, p.networkId, p.groupKey)),
];
