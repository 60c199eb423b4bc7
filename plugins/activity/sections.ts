/**
 * Where the river shows up in other plugins' pages: the home page (composer,
 * announcements, my feed), a member's profile (their latest acts), and the acts other
 * plugins tell us about (a member joined, two members connected).
 */
import { link, type HomeSection, type Runtime, type ViewContext } from '../../core';
import type { ProfileSection } from '../profiles/hooks';
import type { ConnectionEvent } from '../connections/hooks';
import { composer } from './compose';
import { CONNECTION, MEMBERSHIP } from './describe';
import { loadBelowAnnouncements, loadFeed } from './feed';
import { POST } from './params';
import { StatusService } from './service';

export async function homeSection(sections: HomeSection[], c: ViewContext): Promise<HomeSection[]> {
  const { ctx, viewer, networkId } = c;
  if (!viewer || !ctx.ruche.permissions.can(viewer, POST, networkId)) return sections;
  const { feed, pinned } = await loadBelowAnnouncements(ctx, {
    networkIds: [networkId],
    ...ctx.ruche.container.resolve(StatusService).homeSources(viewer, networkId),
  });
  if (feed.older) feed.older = `${link(ctx, 'activity.home')}?before=${feed.older.split('before=')[1]}`;
  return [
    ...sections,
    {
      id: 'activity',
      template: 'activity/home',
      order: 10,
      data: { composer: await composer(ctx), pinned, feed, networkFeed: link(ctx, 'activity.network') },
    },
  ];
}

export async function profileSection(
  sections: ProfileSection[],
  c: { ctx: ViewContext['ctx']; networkId: number; profileUserId: number; profileUsername: string },
): Promise<ProfileSection[]> {
  const { ctx, networkId, profileUserId, profileUsername: username } = c;
  const feed = await loadFeed(ctx, { networkIds: [networkId], actorId: profileUserId, limit: 5 }, { kept: true });
  return [
    ...sections,
    {
      id: 'activity',
      template: 'activity/partials/profile-section',
      order: 20,
      place: 'main',
      data: { feed, more: link(ctx, 'activity.profile', { username }) },
    },
  ];
}

/** A new member's first act: "joined the network", seen by that network's members. */
export async function recordJoined(p: { userId: number; networkId: number }, rt: Runtime): Promise<void> {
  await rt.db.transaction(async (trx) => {
    const entityId = await rt.entities.create({ type: MEMBERSHIP, ownerId: p.userId, networkId: p.networkId, access: 'network' }, trx);
    await rt.activity.record({ verb: 'joined', actorId: p.userId, entityId, networkId: p.networkId }, trx);
  });
}

/** "Anna and Bob are now connected", seen by members, when a request is accepted. */
export async function recordConnected(p: ConnectionEvent, rt: Runtime): Promise<void> {
  await rt.db.transaction(async (trx) => {
    const entityId = await rt.entities.create({ type: CONNECTION, ownerId: p.fromId, networkId: p.networkId, access: 'members' }, trx);
    await rt.activity.record({ verb: 'connected', actorId: p.fromId, entityId, networkId: p.networkId, objectId: p.toId }, trx);
  });
}
