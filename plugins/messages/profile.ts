/**
 * On a member's profile (the profiles plugin's `profiles:sections`): "Message" to write to
 * them, and blocking, explained and reversible. Not on one's own profile, nor for a viewer
 * who may not use messages.
 */
import { link, type RucheContext, type Viewer } from '../../core';
import type { ProfileSection } from '../profiles/hooks';
import { USE } from './routes';
import { MessagesService } from './service';

export async function profileActions(
  sections: ProfileSection[],
  c: { ctx: RucheContext; networkId: number; viewer: Viewer | null; profileUserId: number; profileUsername: string },
): Promise<ProfileSection[]> {
  const { ctx, viewer, networkId, profileUserId, profileUsername: username } = c;
  if (!viewer || viewer.status !== 'active' || viewer.id === profileUserId || !ctx.ruche.permissions.can(viewer, USE, networkId)) return sections;
  const blocked = await ctx.ruche.container.resolve(MessagesService).blocks.blocks(viewer.id, profileUserId);
  const data = {
    blocked,
    messageHref: `${link(ctx, 'messages.new')}?to=${encodeURIComponent(username)}`,
    blockAction: link(ctx, blocked ? 'messages.unblock' : 'messages.block', { username }),
    next: ctx.path,
  };
  return [...sections, { id: 'messages', template: 'messages/partials/profile', data, order: 6 }];
}
