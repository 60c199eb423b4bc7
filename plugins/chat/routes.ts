/**
 * Chat pages: the list of conversations and rooms, and one conversation with the live
 * client (assets/chat.js). Without JavaScript the page still shows the history and posts
 * replies through the messages plugin's form. Opening a room creates nothing: a room with
 * no message yet is a page whose form (a POST) creates it with its first message.
 */
import { HttpError, field, idParam, link, pieceActionTemplates, type RouteDef, type RouteResult, type RucheContext } from '../../core';
import { avatarPattern, conversationData, conversationHref, conversationTitle, MESSAGE_PIECE, messagesService, unsavedRoom } from '../messages/api';
import { chatHome } from './home';
import type {} from '../groups/hooks';
import { USE } from './socket';

const viewer = (ctx: RucheContext) => ctx.state.viewer!;
const chatHref = (ctx: RucheContext, id: number): string => link(ctx, 'chat.conversation', { id: String(id) });

type RoomKind = 'room' | 'network';

/**
 * The room of `/chat/group/:id` or `/chat/network` for this member: its row, or null when
 * nobody has written yet. A missing group, a deleted one, one of another network and one
 * the member is not in all answer the same 404, before anything is written.
 */
async function roomOf(
  ctx: RucheContext,
  kind: RoomKind,
): Promise<{ containerId: number | null; room: Awaited<ReturnType<ReturnType<typeof messagesService>['findRoom']>> }> {
  const network = ctx.state.network.id;
  if (kind === 'network') {
    if (ctx.ruche.pluginState.settings('chat', network).networkRooms === false) throw new HttpError(404);
    return { containerId: null, room: await messagesService(ctx).findRoom(viewer(ctx), 'network', network, null) };
  }
  const id = idParam(ctx);
  const e = await ctx.ruche.entities.get(id);
  if (!e || Number(e.network_id) !== network || e.deleted_at) throw new HttpError(404);
  return { containerId: id, room: await messagesService(ctx).findRoom(viewer(ctx), 'room', network, id) };
}

/** GET: to the room when it exists; else its empty page, whose form starts it. */
async function openRoom(ctx: RucheContext, kind: RoomKind): Promise<RouteResult> {
  const { containerId, room } = await roomOf(ctx, kind);
  if (room) return { redirect: chatHref(ctx, room.id) };
  const title = await conversationTitle(ctx, unsavedRoom(kind, ctx.state.network.id, containerId));
  const action = kind === 'room' ? link(ctx, 'chat.group.start', { id: String(containerId) }) : link(ctx, 'chat.network.start');
  return { view: 'chat/room', title, data: { pageTitle: title, action, chatHome: link(ctx, 'chat.home') } };
}

/** POST: the room's first message (or any later one): creates the room once, then sends. */
async function startRoom(ctx: RucheContext, kind: RoomKind): Promise<RouteResult> {
  const { containerId } = await roomOf(ctx, kind);
  const s = messagesService(ctx);
  const body = await s.checkBody(field(ctx, 'body'), ctx.state.network.id, viewer(ctx).id);
  const c = await s.room(viewer(ctx), kind, ctx.state.network.id, containerId);
  await s.send(viewer(ctx), ctx.state.network.id, c.id, body);
  return { redirect: chatHref(ctx, c.id) };
}

export const chatRoutes: RouteDef[] = [
  {
    name: 'chat.home',
    method: 'GET',
    path: '/chat',
    capability: USE,
    handler: chatHome,
  },
  {
    name: 'chat.group',
    method: 'GET',
    path: '/chat/group/:id',
    capability: USE,
    handler: (ctx) => openRoom(ctx, 'room'),
  },
  { name: 'chat.group.start', method: 'POST', path: '/chat/group/:id', capability: USE, handler: (ctx) => startRoom(ctx, 'room') },
  { name: 'chat.network', method: 'GET', path: '/chat/network', capability: USE, handler: (ctx) => openRoom(ctx, 'network') },
  { name: 'chat.network.start', method: 'POST', path: '/chat/network', capability: USE, handler: (ctx) => startRoom(ctx, 'network') },
  {
    name: 'chat.conversation',
    method: 'GET',
    path: '/chat/:id',
    capability: USE,
    async handler(ctx) {
      const data = await conversationData(ctx, idParam(ctx));
      const conversation = data.conversation as { id: number; lastSeq: number };
      const messages = data.messages as { seq: number }[];
      return {
        view: 'chat/conversation',
        title: String(data.pageTitle),
        data: {
          ...data,
          here: chatHref(ctx, conversation.id),
          plainHref: conversationHref(ctx, conversation.id),
          socket: `${ctx.state.basePath}/chat/socket`,
          me: viewer(ctx).id,
          // The zone the page's dates are written in (the member's), for the live ones too.
          timeZone: viewer(ctx).timeZone ?? '',
          lastSeq: messages.length ? messages[messages.length - 1].seq : 0,
          chatHome: link(ctx, 'chat.home'),
          chat: true,
          avatars: avatarPattern(ctx),
          // The actions ("Report") the live view adds to others' messages arriving later (chat.js).
          pieceActions: await pieceActionTemplates(ctx, MESSAGE_PIECE),
        },
      };
    },
  },
];
