/**
 * The chat's home: conversations (avatars, last message, unread count, and whether the other
 * member of a direct conversation has a chat open) and rooms (the network's and each group's
 * the member is in, with their last message and unread count once someone has written).
 */
import { link, t, type RouteResult, type RucheContext } from '../../core';
import { inboxRows, isRoom, messagesService } from '../messages/api';
import type {} from '../groups/hooks';
import { ChatHub } from './hub';

const chatHref = (ctx: RucheContext, id: number): string => link(ctx, 'chat.conversation', { id: String(id) });

export async function chatHome(ctx: RucheContext): Promise<RouteResult> {
  const me = ctx.state.viewer!;
  const networkId = ctx.state.network.id;
  const items = await messagesService(ctx).inbox(me.id, networkId, false);
  const rows = await inboxRows(ctx, items, (id) => chatHref(ctx, id));
  const directOther = (k: number): number | null => (items[k].kind === 'direct' && items[k].others.length === 1 ? items[k].others[0] : null);
  const here = await ctx.ruche.container.resolve(ChatHub).presenceOf(items.map((_, k) => directOther(k) ?? 0));
  const presence = (user: number | null) => {
    if (user === null) return null;
    const state = here.get(user) ?? 'offline';
    return { state, label: t(ctx, `chat.here.${state}`) };
  };
  const conversations = rows.map((r, k) => ({ ...r, presence: presence(directOther(k)) })).filter((_, k) => !isRoom(items[k]));
  // Rooms: the network's and the groups', each with its row once someone has written in it.
  const roomRow = (kind: 'room' | 'network', containerId: number | null) => {
    const k = items.findIndex((c) => c.kind === kind && (kind === 'network' || c.container_id === containerId));
    return k >= 0 ? rows[k] : null;
  };
  const quiet = t(ctx, 'chat.home.quiet');
  const rooms: Record<string, unknown>[] = [];
  if (ctx.ruche.pluginState.settings('chat', networkId).networkRooms !== false)
    rooms.push({
      title: t(ctx, 'chat.home.networkRoom'),
      excerpt: quiet,
      faces: [],
      ...roomRow('network', null),
      href: link(ctx, 'chat.network'),
    });
  const groups = await ctx.ruche.hooks.filter('groups:ofMember', [], { rt: ctx.ruche, networkId, userId: me.id });
  for (const g of groups)
    rooms.push({ excerpt: quiet, faces: [], ...roomRow('room', g.id), title: g.name, href: link(ctx, 'chat.group', { id: String(g.id) }) });
  const title = t(ctx, 'chat.home.title');
  return { view: 'chat/home', title, data: { pageTitle: title, conversations, rooms, newHref: link(ctx, 'messages.new') } };
}
