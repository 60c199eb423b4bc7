/**
 * A request to join the network, told to its admins in the bell and by email as each chose
 * (kind `notifications.joinRequest`): the core asks through `network:joinRequested` and mails
 * only the admins this plugin did not take (core/auth/registration.ts).
 */
import { onFilter, type HookRegistration } from '../../core';
import type { NotificationKind } from './hooks';
import { NotificationsService } from './service';

export const JOIN_REQUEST = 'notifications.joinRequest';

/** The requests page, while the recipient is still an admin of the network. */
const joinRequest: NotificationKind = {
  id: JOIN_REQUEST,
  defaultFrequency: 'immediately',
  resolve: async (rt, n, recipient, basePath) =>
    recipient.roles[n.networkId] === 'admin' ? { href: rt.routes.build('core.requests', {}, basePath) } : null,
};

export const joinRequests: HookRegistration[] = [
  onFilter('notifications:kinds', (list) => [...list, joinRequest]),
  onFilter('network:joinRequested', async (adminIds, { networkId, userId }, rt) => {
    const service = rt.container.resolve(NotificationsService);
    const untold: number[] = [];
    for (const adminId of adminIds) {
      const told = await service.notify({
        networkId,
        kind: JOIN_REQUEST,
        userId: adminId,
        actorId: userId,
        groupKey: `${JOIN_REQUEST}:${networkId}`,
      });
      if (told === null) untold.push(adminId);
    }
    return untold;
  }),
];
