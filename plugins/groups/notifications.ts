/**
 * The groups plugin's notification kinds (an invitation, a request to join my group, an
 * accepted request) and the listeners that ask for them. Unheard without the notifications
 * plugin; only its hooks.ts is imported.
 */
import { onEvent, onFilter, type HookRegistration, type Runtime } from '../../core';
import type { NotificationKind } from '../notifications/hooks';
import './hooks';

const kinds: NotificationKind[] = [
  {
    id: 'groups.invited',
    defaultFrequency: 'immediately',
    // The invitation itself tells the recipient the group exists (even a secret one).
    resolve: async (rt, n, _r, basePath) => {
      const g = n.entityId ? await rt.entities.get(n.entityId) : undefined;
      return g && !g.deleted_at ? { href: rt.routes.build('groups.view', { id: n.entityId }, basePath) } : null;
    },
  },
  {
    id: 'groups.requested',
    defaultFrequency: 'immediately',
    resolve: async (rt, n, recipient, basePath) => {
      const g = n.entityId ? await rt.entities.get(n.entityId) : undefined;
      return g && (await rt.access.canSee(recipient, g)) ? { href: rt.routes.build('groups.members', { id: n.entityId }, basePath) } : null;
    },
  },
  { id: 'groups.approved', defaultFrequency: 'immediately' },
];

/** Asks for a notification about the group to each of `userIds`. */
const notify = (rt: Runtime, kind: string, p: { networkId: number; groupId: number }, actorId: number, userIds: number[]): Promise<void> =>
  rt.hooks.emit('notifications:notify', { networkId: p.networkId, kind, userIds, actorId, entityId: p.groupId });

export const groupsNotifications: HookRegistration[] = [
  onFilter('notifications:kinds', (list) => [...list, ...kinds]),
  onEvent('groups:invited', (p, rt) => notify(rt, 'groups.invited', p, p.byId, [p.userId])),
  onEvent('groups:approved', (p, rt) => notify(rt, 'groups.approved', p, p.byId, [p.userId])),
  onEvent('groups:requested', async (p, rt) => {
    const admins = (await rt.db('container_members').where({ container_id: p.groupId, role: 'admin' }).pluck('user_id')) as number[];
    await notify(rt, 'groups.requested', p, p.userId, admins);
  }),
];
