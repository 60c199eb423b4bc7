/**
 * Chat pages: the list of conversations and rooms, and one conversation with the live
 * client (assets/chat.js). Without JavaScript the page still shows the history and posts
 * replies through the messages plugin's form.
 */
import { HttpError, link, t, type RouteDef, type RucheContext } from '../../core';
import { conversationData, idParam, messagesService } from '../messages/routes';
import { conversationHref, conversationTitle } from '../messages/view';
import { USE } from './socket';

const viewer = (ctx: RucheContext) => ctx.state.viewer!;
const chatHref = (ctx: RucheContext, id: number): string => link(ctx, 'chat.conversation', { id: String(id) });

/** The groups (rows of the groups plugin, when present) the member belongs to in this network. */
async function myGroups(ctx: RucheContext): Promise<{ id: number; name: string }[]> {
  try {
    const rows = await ctx.ruche.db('container_members as cm')
      .join('groups as g', 'g.entity_id', 'cm.container_id')
      .join('entities as e', 'e.id', 'g.entity_id')
      .where('cm.user_id', viewer(ctx).id)
      .where('e.network_id', ctx.state.network.id)
      .whereNull('e.deleted_at')
      .orderBy('g.name')
      .select('g.entity_id as id', 'g.name');
    return rows.map((r: { id: number; name: string }) => ({ id: Number(r.id), name: r.name }));
  } catch {
    return [];
  }
}

export const chatRoutes: RouteDef[] = [
  {
    name: 'chat.home',
    method: 'GET',
    path: '/chat',
    capability: USE,
    async handler(ctx) {
      const s = messagesService(ctx);
      const items = await s.inbox(viewer(ctx).id, ctx.state.network.id, false);
      const conversations = await Promise.all(items.map(async (c) => ({ title: await conversationTitle(ctx, c, c.names), href: chatHref(ctx, c.id), unread: c.unread, unreadLabel: t(ctx, 'messages.inbox.unread', { count: c.unread }) })));
      const groups = (await myGroups(ctx)).map((g) => ({ ...g, href: link(ctx, 'chat.group', { id: String(g.id) }) }));
      const networkRoom = ctx.ruche.pluginState.settings('chat', ctx.state.network.id).networkRooms !== false;
      const title = t(ctx, 'chat.home.title');
      return {
        view: 'chat/home',
        title,
        data: { pageTitle: title, conversations, groups, networkRoom: networkRoom ? link(ctx, 'chat.network') : null, newHref: link(ctx, 'messages.new') },
      };
    },
  },
  {
    name: 'chat.group',
    method: 'GET',
    path: '/chat/group/:id',
    capability: USE,
    async handler(ctx) {
      const id = idParam(ctx);
      const e = await ctx.ruche.db('entities').where({ id, network_id: ctx.state.network.id }).whereNull('deleted_at').first('id');
      if (!e) throw new HttpError(404);
      const c = await messagesService(ctx).room(viewer(ctx), 'room', ctx.state.network.id, id);
      return { redirect: chatHref(ctx, c.id) };
    },
  },
  {
    name: 'chat.network',
    method: 'GET',
    path: '/chat/network',
    capability: USE,
    async handler(ctx) {
      if (ctx.ruche.pluginState.settings('chat', ctx.state.network.id).networkRooms === false) throw new HttpError(404);
      const c = await messagesService(ctx).room(viewer(ctx), 'network', ctx.state.network.id, null);
      return { redirect: chatHref(ctx, c.id) };
    },
  },
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
          lastSeq: messages.length ? messages[messages.length - 1].seq : 0,
          chatHome: link(ctx, 'chat.home'),
        },
      };
    },
  },
];
