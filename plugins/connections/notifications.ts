/**
 * The connections plugin's notification kinds (a connection request, linking to the
 * connections page; an accepted request, linking to the accepter's profile when the profiles
 * plugin is there) while the actor is still active, and the listeners that ask for them —
 * also for other plugins' kinds addressed to a member's followers (`connections:notifyFollowers`).
 * Unheard without the notifications plugin; only its hooks.ts is imported.
 */
import { onEvent, onFilter, type HookRegistration, type Runtime } from '../../core';
import type { NotificationKind, NotificationRef } from '../notifications/hooks';
import type { ConnectionEvent } from './hooks';

/** The actor's username while they are active (their request or profile makes sense). */
async function activeActor(rt: Pick<Runtime, 'db'>, n: NotificationRef): Promise<string | null> {
  if (!n.actorId) return null;
  const u = (await rt.db('users').where({ id: n.actorId, status: 'active' }).first('username')) as { username: string } | undefined;
  return u?.username ?? null;
}

function link(rt: Pick<Runtime, 'routes'>, route: string, params: Record<string, unknown>, basePath: string): { href: string } | null {
  return rt.routes.get(route) ? { href: rt.routes.build(route, params, basePath) } : null;
}

const kinds: NotificationKind[] = [
  {
    id: 'connections.requested',
    defaultFrequency: 'immediately',
    resolve: async (rt, n, _r, basePath) => ((await activeActor(rt, n)) ? link(rt, 'connections.home', {}, basePath) : null),
  },
  {
    id: 'connections.accepted',
    defaultFrequency: 'immediately',
    resolve: async (rt, n, _r, basePath) => {
      const username = await activeActor(rt, n);
      return username ? link(rt, 'profiles.view', { username }, basePath) : null;
    },
  },
];

/** Asks for a notification of `kind` to `p.toId` about `p.fromId` (one line per kind). */
const notify = (rt: Runtime, kind: string, p: ConnectionEvent): Promise<void> =>
  rt.hooks.emit('notifications:notify', { networkId: p.networkId, kind, userId: p.toId, actorId: p.fromId, groupKey: kind });

export const connectionsNotifications: HookRegistration[] = [
  onFilter('notifications:kinds', (list) => [...list, ...kinds]),
  onEvent('connections:requested', (p, rt) => notify(rt, 'connections.requested', p)),
  onEvent('connections:accepted', (p, rt) => notify(rt, 'connections.accepted', p)),
  onEvent('connections:notifyFollowers', async (p, rt) => {
    const userIds = (await rt.db('follows').where({ followee_id: p.userId }).pluck('follower_id')) as number[];
    await rt.hooks.emit('notifications:notify', { ...p.notify, networkId: p.networkId, userIds });
  }),
];
