/**
 * The messages pages, working without JavaScript: inbox (and archive), a conversation
 * with its reply form and older pages (keyset on `seq`), a new conversation with a
 * recipient search, search in one's messages, and blocks. Handlers are thin.
 */
import { back, field, HttpError, idParam, link, queryParam, setFlash, t, type RouteDef, type RouteResult, type RucheContext } from '../../core';
import { isRoom } from './audience';
import { MessagesService, PAGE } from './service';
import { conversationHref, conversationTitle, messageViews } from './view';

export const USE = 'messages.use';

export const messagesService = (ctx: RucheContext): MessagesService => ctx.ruche.container.resolve(MessagesService);
const viewer = (ctx: RucheContext) => ctx.state.viewer!;
const networkId = (ctx: RucheContext): number => ctx.state.network.id;

const seqParam = (v: string): number | undefined => (/^\d{1,12}$/.test(v) ? Number(v) : undefined);

async function inbox(ctx: RucheContext, archived: boolean): Promise<RouteResult> {
  const items = await messagesService(ctx).inbox(viewer(ctx).id, networkId(ctx), archived);
  const title = t(ctx, archived ? 'messages.inbox.archivedTitle' : 'messages.inbox.title');
  const conversations = await Promise.all(
    items.map(async (c) => ({
      id: c.id,
      title: await conversationTitle(ctx, c, c.names),
      href: conversationHref(ctx, c.id),
      unread: c.unread,
      unreadLabel: t(ctx, 'messages.inbox.unread', { count: c.unread }),
      at: c.last_message_at,
      room: isRoom(c),
    })),
  );
  return {
    view: 'messages/inbox',
    title,
    data: {
      pageTitle: title,
      archived,
      conversations,
      newHref: link(ctx, 'messages.new'),
      searchHref: link(ctx, 'messages.search'),
      archiveHref: link(ctx, 'messages.archived'),
      inboxHref: link(ctx, 'messages.inbox'),
      blockedHref: link(ctx, 'messages.blocked'),
    },
  };
}

/** The page of one conversation; the chat plugin renders the same data live. */
export async function conversationData(ctx: RucheContext, id: number): Promise<Record<string, unknown>> {
  const s = messagesService(ctx);
  const c = await s.conversation(viewer(ctx), id);
  const before = seqParam(queryParam(ctx, 'before'));
  const rows = await s.messages(c.id, { before, limit: PAGE });
  const member = await s.memberState(viewer(ctx).id, c.id);
  const lastRead = member.lastReadSeq;
  await s.markRead(viewer(ctx).id, c);
  const messages = (await messageViews(ctx.ruche.users, rows, viewer(ctx).id)).map((m) => ({
    ...m,
    unread: (m.seq as number) > lastRead && !m.mine,
  }));
  const href = conversationHref(ctx, c.id);
  return {
    conversation: { id: c.id, kind: c.kind, room: isRoom(c), lastSeq: c.last_seq, archived: member.archived },
    pageTitle: await conversationTitle(ctx, c),
    messages,
    older: rows.length === PAGE && rows[0].seq > 1 ? `${href}?before=${rows[0].seq}` : null,
    replyAction: link(ctx, 'messages.reply', { id: String(c.id) }),
    actions: {
      unread: link(ctx, 'messages.unread', { id: String(c.id) }),
      archive: link(ctx, member?.archived ? 'messages.unarchive' : 'messages.archive', { id: String(c.id) }),
      leave: isRoom(c) ? null : link(ctx, 'messages.leave', { id: String(c.id) }),
    },
    inboxHref: link(ctx, 'messages.inbox'),
    here: href,
  };
}

function conversationAction(name: 'unread' | 'archive' | 'unarchive' | 'leave'): RouteDef {
  return {
    name: `messages.${name}`,
    method: 'POST',
    path: `/messages/:id/${name}`,
    capability: USE,
    async handler(ctx) {
      const s = messagesService(ctx);
      const c = await s.conversation(viewer(ctx), idParam(ctx));
      if (name === 'unread') await s.markUnread(viewer(ctx).id, c);
      else if (name === 'leave') await s.leave(viewer(ctx).id, c);
      else await s.archive(viewer(ctx).id, c, name === 'archive');
      setFlash(ctx, { type: 'success', key: `messages.flash.${name}` });
      return { redirect: link(ctx, 'messages.inbox') };
    },
  };
}

function blockAction(name: 'block' | 'unblock'): RouteDef {
  return {
    name: `messages.${name}`,
    method: 'POST',
    path: `/messages/${name}/:username`,
    capability: USE,
    async handler(ctx) {
      const other = await ctx.ruche.users.byUsername(String(ctx.params?.username ?? ''));
      if (!other || other.status !== 'active' || other.id === viewer(ctx).id) throw new HttpError(404);
      // From an isolated partner network, people outside it do not exist (as on their profile).
      if (!(await ctx.ruche.access.canSeeMemberIn(viewer(ctx), Number(other.id), ctx.state.network))) throw new HttpError(404);
      const s = messagesService(ctx);
      if (name === 'block') await s.blocks.block(viewer(ctx).id, Number(other.id));
      else await s.blocks.unblock(viewer(ctx).id, Number(other.id));
      setFlash(ctx, { type: 'success', key: `messages.flash.${name}`, params: { name: other.display_name } });
      return back(ctx, link(ctx, 'messages.blocked'));
    },
  };
}

export const messagesRoutes: RouteDef[] = [
  { name: 'messages.inbox', method: 'GET', path: '/messages', capability: USE, handler: (ctx) => inbox(ctx, false) },
  { name: 'messages.archived', method: 'GET', path: '/messages/archived', capability: USE, handler: (ctx) => inbox(ctx, true) },
  {
    name: 'messages.new',
    method: 'GET',
    path: '/messages/new',
    capability: USE,
    async handler(ctx) {
      const q = queryParam(ctx, 'q');
      const to = queryParam(ctx, 'to');
      const people = q ? await messagesService(ctx).recipients(viewer(ctx), networkId(ctx), q) : [];
      const title = t(ctx, 'messages.new.title');
      const pick = (u: string) => `${link(ctx, 'messages.new')}?to=${encodeURIComponent([...to.split(/[\s,]+/).filter(Boolean), u].join(','))}`;
      return {
        view: 'messages/new',
        title,
        data: {
          pageTitle: title,
          q,
          to,
          people: people.map((p) => ({ ...p, pick: pick(p.username) })),
          searched: !!q,
          action: link(ctx, 'messages.start'),
        },
      };
    },
  },
  {
    name: 'messages.start',
    method: 'POST',
    path: '/messages',
    capability: USE,
    async handler(ctx) {
      const { conversationId } = await messagesService(ctx).start(
        viewer(ctx),
        networkId(ctx),
        field(ctx, 'to').split(/[\s,]+/),
        field(ctx, 'subject'),
        field(ctx, 'body'),
      );
      return { redirect: conversationHref(ctx, conversationId) };
    },
  },
  {
    name: 'messages.search',
    method: 'GET',
    path: '/messages/search',
    capability: USE,
    async handler(ctx) {
      const q = queryParam(ctx, 'q');
      const rows = await messagesService(ctx).search(viewer(ctx).id, networkId(ctx), q);
      const results = (await messageViews(ctx.ruche.users, rows, viewer(ctx).id)).map((m) => ({
        ...m,
        href: `${conversationHref(ctx, m.conversationId as number)}`,
      }));
      const title = t(ctx, 'messages.search.title');
      return { view: 'messages/search', title, data: { pageTitle: title, q, results, searched: !!q.trim() } };
    },
  },
  {
    name: 'messages.blocked',
    method: 'GET',
    path: '/messages/blocked',
    capability: USE,
    async handler(ctx) {
      const people = await messagesService(ctx).blocks.list(viewer(ctx).id);
      const title = t(ctx, 'messages.blocked.title');
      return {
        view: 'messages/blocked',
        title,
        data: {
          pageTitle: title,
          people: people.map((p) => ({ ...p, unblock: link(ctx, 'messages.unblock', { username: p.username }) })),
          here: ctx.path,
        },
      };
    },
  },
  blockAction('block'),
  blockAction('unblock'),
  {
    name: 'messages.conversation',
    method: 'GET',
    path: '/messages/:id',
    capability: USE,
    async handler(ctx) {
      const data = await conversationData(ctx, idParam(ctx));
      return { view: 'messages/conversation', title: String(data.pageTitle), data };
    },
  },
  {
    name: 'messages.reply',
    method: 'POST',
    path: '/messages/:id/reply',
    capability: USE,
    async handler(ctx) {
      const id = idParam(ctx);
      await messagesService(ctx).send(viewer(ctx), networkId(ctx), id, field(ctx, 'body'));
      return back(ctx, conversationHref(ctx, id));
    },
  },
  conversationAction('unread'),
  conversationAction('archive'),
  conversationAction('unarchive'),
  conversationAction('leave'),
];
