/**
 * On a member's profile (the profiles plugin's `profiles:sections`): "Message" to write to
 * them, and blocking, explained and reversible; beside people in lists
 * (`profiles:personActions`: the directory), "Message". Not for oneself, nor for members
 * one blocks or who block one, nor for a viewer who may not use messages.
 */
import { link, t, type RucheContext, type Viewer } from '../../core';
import type { PersonAction, ProfileSection } from '../profiles/hooks';
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
    messageHref: writeTo(ctx, username),
    blockAction: link(ctx, blocked ? 'messages.unblock' : 'messages.block', { username }),
    next: ctx.path,
  };
  return [...sections, { id: 'messages', template: 'messages/partials/profile', data, order: 6 }];
}

const writeTo = (ctx: RucheContext, username: string): string => `${link(ctx, 'messages.new')}?to=${encodeURIComponent(username)}`;

export async function personActions(
  actions: PersonAction[],
  c: { ctx: RucheContext; networkId: number; viewer: Viewer | null; people: readonly { id: number; username: string }[] },
): Promise<PersonAction[]> {
  const { ctx, viewer, networkId, people } = c;
  if (!viewer || viewer.status !== 'active' || !ctx.ruche.permissions.can(viewer, USE, networkId)) return actions;
  const others = people.filter((p) => p.id !== viewer.id);
  const blocked = new Set(
    await ctx.ruche.container.resolve(MessagesService).blocks.among(
      viewer.id,
      others.map((p) => p.id),
      'either',
    ),
  );
  const label = t(ctx, 'messages.profile.message');
  return [
    ...actions,
    ...others.filter((p) => !blocked.has(p.id)).map((p) => ({ personId: p.id, id: 'message', label, href: writeTo(ctx, p.username), order: 10 })),
  ];
}
