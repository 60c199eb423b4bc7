/**
 * The events of the built-in plugins, turned into notification requests. Recipients are
 * decided here; every other rule (own acts, blocks, suspended members, access) is the
 * service's. Only the other plugins' hooks.ts files are imported, for their types.
 */
import { onEvent, type HookRegistration, type Runtime } from '../../core';
import '../activity/hooks';
import '../comments/hooks';
import '../likes/hooks';
import '../connections/hooks';
import '../groups/hooks';
import '../discussions/hooks';
import '../blogs/hooks';
import type { NotifyInput } from './hooks';
import { NotificationsService } from './service';

const notify = async (rt: Runtime, input: NotifyInput | NotifyInput[]): Promise<void> => {
  const svc = rt.container.resolve(NotificationsService);
  for (const n of Array.isArray(input) ? input : [input]) await svc.notify(n);
};

const ids = (rows: unknown[], col: string): number[] => rows.map((r) => Number((r as Record<string, unknown>)[col]));

export const listeners: HookRegistration[] = [
  onEvent('notifications:notify', (p, rt) => notify(rt, p)),
  onEvent('activity:mentioned', (p, rt) =>
    notify(rt, { networkId: p.networkId, kind: 'activity.mentioned', userId: p.userId, actorId: p.actorId, entityId: p.entityId }),
  ),
  onEvent('activity:announced', async (p, rt) => {
    const entity = await rt.entities.get(p.entityId);
    if (!entity) return;
    const members = ids(await rt.db('memberships').where({ network_id: p.networkId }).select('user_id'), 'user_id');
    await notify(
      rt,
      members.map((userId) => ({
        networkId: p.networkId,
        kind: 'activity.announced',
        userId,
        actorId: Number(entity.owner_id),
        entityId: p.entityId,
      })),
    );
  }),
  onEvent('comments:created', async (p, rt) => {
    const base = { networkId: p.networkId, actorId: p.authorId, entityId: p.entityId, objectId: p.commentId };
    const list: NotifyInput[] = [];
    if (p.parentAuthorId && p.parentId)
      list.push({ ...base, kind: 'comments.replied', userId: p.parentAuthorId, groupKey: `comments.replied:${p.parentId}` });
    if (p.ownerId !== p.parentAuthorId) list.push({ ...base, kind: 'comments.created', userId: p.ownerId });
    await notify(rt, list);
  }),
  onEvent('likes:reacted', async (p, rt) => {
    if (p.previous) return; // a changed reaction is not news
    await notify(rt, { networkId: p.networkId, kind: 'likes.reacted', userId: p.ownerId, actorId: p.userId, entityId: p.entityId });
  }),
  onEvent('connections:requested', (p, rt) =>
    notify(rt, { networkId: p.networkId, kind: 'connections.requested', userId: p.toId, actorId: p.fromId, groupKey: 'connections.requested' }),
  ),
  onEvent('connections:accepted', (p, rt) =>
    notify(rt, { networkId: p.networkId, kind: 'connections.accepted', userId: p.toId, actorId: p.fromId, groupKey: 'connections.accepted' }),
  ),
  onEvent('groups:invited', (p, rt) =>
    notify(rt, { networkId: p.networkId, kind: 'groups.invited', userId: p.userId, actorId: p.byId, entityId: p.groupId }),
  ),
  onEvent('groups:approved', (p, rt) =>
    notify(rt, { networkId: p.networkId, kind: 'groups.approved', userId: p.userId, actorId: p.byId, entityId: p.groupId }),
  ),
  onEvent('groups:requested', async (p, rt) => {
    const admins = ids(await rt.db('container_members').where({ container_id: p.groupId, role: 'admin' }).select('user_id'), 'user_id');
    await notify(
      rt,
      admins.map((userId) => ({ networkId: p.networkId, kind: 'groups.requested', userId, actorId: p.userId, entityId: p.groupId })),
    );
  }),
  onEvent('discussions:replied', (p, rt) =>
    notify(
      rt,
      p.subscriberIds.map((userId) => ({
        networkId: p.networkId,
        kind: 'discussions.replied',
        userId,
        actorId: p.authorId,
        entityId: p.topicId,
        objectId: p.replyId,
      })),
    ),
  ),
  onEvent('discussions:answered', (p, rt) =>
    notify(rt, {
      networkId: p.networkId,
      kind: 'discussions.answered',
      userId: p.authorId,
      actorId: p.byId,
      entityId: p.topicId,
      objectId: p.replyId,
      groupKey: `discussions.answered:${p.replyId}`,
    }),
  ),
  onEvent('blogs:published', async (p, rt) => {
    if (!rt.pluginState.isEnabled('connections', p.networkId)) return;
    const followers = ids(await rt.db('follows').where({ followee_id: p.authorId }).select('follower_id'), 'follower_id');
    await notify(
      rt,
      followers.map((userId) => ({ networkId: p.networkId, kind: 'blogs.published', userId, actorId: p.authorId, entityId: p.entityId })),
    );
  }),
];
