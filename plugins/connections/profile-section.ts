/**
 * The block this plugin adds to a member's profile page (through `profiles:sections`):
 * counts linking to the paginated lists, and follow / connect buttons showing the state.
 */
import { link, type RucheContext, type Viewer } from '../../core';
import type { ProfileSection } from '../profiles/hooks';
import { ConnectionsService } from './service';
import { USE } from './routes';

export async function profileSection(
  sections: ProfileSection[],
  c: { ctx: RucheContext; networkId: number; viewer: Viewer | null; profileUserId: number; profileUsername: string },
): Promise<ProfileSection[]> {
  const { ctx, viewer, networkId, profileUserId, profileUsername: username } = c;
  const s = ctx.ruche.container.resolve(ConnectionsService);
  const canUse = ctx.ruche.permissions.can(viewer, USE, networkId);
  const [counts, rel] = await Promise.all([s.counts(profileUserId, networkId), viewer && canUse ? s.relation(viewer.id, profileUserId) : null]);
  const a = (name: string): string => link(ctx, `connections.${name}`, { username });
  const data = {
    counts,
    rel,
    canAct: !!rel && !rel.self && viewer?.status === 'active',
    next: ctx.path,
    followersHref: a('followers'),
    followingHref: a('following'),
    connectionsHref: a('connections'),
    followAction: a('follow'),
    unfollowAction: a('unfollow'),
    connectAction: a('connect'),
    disconnectAction: a('disconnect'),
    acceptAction: rel?.receivedRequestId ? link(ctx, 'connections.request.accept', { id: rel.receivedRequestId }) : null,
    declineAction: rel?.receivedRequestId ? link(ctx, 'connections.request.decline', { id: rel.receivedRequestId }) : null,
    cancelAction: rel?.sentRequestId ? link(ctx, 'connections.request.cancel', { id: rel.sentRequestId }) : null,
  };
  return [...sections, { id: 'connections', template: 'connections/partials/actions', data, order: 5 }];
}
