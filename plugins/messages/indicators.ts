/** The header's unread-messages indicator, the account page's "Blocked members" and the `people:blocks` filter. */
import { link, t, type AccountLink, type HeaderIndicator, type ViewContext, type Runtime } from '../../core';
import { MessagesService } from './service';
import { USE } from './routes';

/** The inbox drawn in the header (SVG path data, 24×24). */
const INBOX = 'M4 5h16l1 9v5a1 1 0 0 1-1 1H4a1 1 0 0 1-1-1v-5Zm1.8 2-.6 6H9l1 2h4l1-2h3.8l-.6-6Z';

export async function unreadIndicator(value: HeaderIndicator[], context: ViewContext): Promise<HeaderIndicator[]> {
  const { ctx, viewer, networkId } = context;
  if (!viewer || !ctx.ruche.permissions.can(viewer, USE, networkId)) return value;
  const count = await ctx.ruche.container.resolve(MessagesService).unreadCount(viewer.id);
  const label = count > 0 ? t(ctx, 'messages.indicator.unread', { count }) : t(ctx, 'messages.indicator.none');
  return [...value, { id: 'messages', icon: INBOX, label, href: link(ctx, 'messages.inbox'), count, order: 20 }];
}

/** On the account page (`account:links`): the members one blocks, to unblock them. */
export function blockedLink(value: AccountLink[], { ctx, viewer, networkId }: ViewContext): AccountLink[] {
  if (!viewer || !ctx.ruche.permissions.can(viewer, USE, networkId)) return value;
  const label = t(ctx, 'messages.blocked.title');
  return [...value, { id: 'messages.blocked', label, hint: t(ctx, 'messages.blocked.accountHint'), href: link(ctx, 'messages.blocked'), order: 30 }];
}

/** Answers `people:blocks`: the candidates who block `userId` (or, `either`, whom `userId` blocks too). */
export async function blocksFilter(
  value: number[],
  context: { userId: number; candidateIds: number[]; direction: 'blockedBy' | 'either' },
  rt: Runtime,
): Promise<number[]> {
  const found = await rt.container.resolve(MessagesService).blocks.among(context.userId, context.candidateIds, context.direction);
  return [...new Set([...value, ...found])];
}

/** Answers `notifications:blocked`: the notifications plugin drops notifications from members the recipient blocks. */
export async function blockedNotification(value: boolean, context: { recipientId: number; actorId: number }, rt: Runtime): Promise<boolean> {
  return value || (await rt.container.resolve(MessagesService).blocks.blocks(context.recipientId, context.actorId));
}
