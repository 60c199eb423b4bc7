/**
 * The messages pages, working without JavaScript: inbox (and archive), a conversation
 * with its reply form and older pages (keyset on `seq`), a new conversation with a
 * recipient search, search in one's messages, and blocks. Handlers are thin.
 */
import {
  acceptAttachments,
  attachmentField,
  back,
  field,
  HttpError,
  idParam,
  link,
  personCards,
  pieceActions,
  pieceReader,
  queryParam,
  renderMarkdown,
  t,
  type RouteDef,
  type RouteResult,
  type RucheContext,
  titledPage,
} from '../../core';
import { MESSAGE_PIECE } from './pieces';
import { MAX_RECIPIENTS, MessagesService, PAGE, withheldFrom } from './service';
import { MESSAGE_KIND, messageFiles, messageParent } from './attachments';
import { isRoom, memberIds } from './audience';
import { inboxItems, searchMessages } from './inbox';
import { inboxRows, participants, withDays } from './present';
import { conversationHref, conversationTitle, messageViews } from './view';

export const USE = 'messages.use';

export const messagesService = (ctx: RucheContext): MessagesService => ctx.ruche.container.resolve(MessagesService);
const viewer = (ctx: RucheContext) => ctx.state.viewer!;
const networkId = (ctx: RucheContext): number => ctx.state.network.id;

const seqParam = (v: string): number | undefined => (/^\d{1,12}$/.test(v) ? Number(v) : undefined);

async function inbox(ctx: RucheContext, archived: boolean): Promise<RouteResult> {
  const items = await messagesService(ctx).inbox(viewer(ctx).id, networkId(ctx), archived);
  const title = t(ctx, archived ? 'messages.inbox.archivedTitle' : 'messages.inbox.title');
  return {
    view: 'messages/inbox',
    title,
    data: { pageTitle: title, archived, conversations: await inboxRows(ctx, items) },
  };
}

/** The page of one conversation; the chat plugin renders the same data live. */
export async function conversationData(ctx: RucheContext, id: number): Promise<Record<string, unknown>> {
  const s = messagesService(ctx);
  const me = viewer(ctx);
  const c = await s.conversation(me, id);
  const before = seqParam(queryParam(ctx, 'before'));
  const rows = await s.messages(c.id, { before, limit: PAGE });
  const member = await s.memberState(me.id, c.id);
  const lastRead = member.lastReadSeq;
  await s.markRead(me.id, c);
  const files = await messageFiles(ctx, rows);
  // A message a moderator hid: its author's and, among the participants, the network's moderators' (issue 22).
  const reader = pieceReader(ctx.ruche, me, c.network_id);
  // Other plugins' entries on each message (`piece:actions`: "Report"), links that work without JavaScript.
  const menus = await pieceActions(
    ctx,
    rows
      .filter((r) => r.deleted_at === null && !withheldFrom(r, reader))
      .map((r) => ({ kind: MESSAGE_PIECE, id: r.id, authorId: r.author_id, networkId: c.network_id, withheld: r.withheld })),
  );
  const views = (await messageViews(ctx.ruche.users, rows, reader)).map((m) => ({
    ...m,
    menu: menus.get(m.id as number) ?? [],
    unread: (m.seq as number) > lastRead && !m.mine,
    attachments: files.get(m.id as number) ?? null,
  }));
  const href = conversationHref(ctx, c.id);
  const room = isRoom(c);
  const people = room ? [] : await participants(ctx, await memberIds(ctx.ruche.db, c.id));
  const others = people.filter((p) => p.id !== me.id);
  const blocked = c.kind === 'direct' && others.length === 1 ? await s.blocks.blocks(me.id, others[0].id) : false;
  const startWith = others.map((p) => p.username).join(',');
  return {
    conversation: { id: c.id, kind: c.kind, room, group: c.kind === 'group', lastSeq: c.last_seq, archived: member.archived },
    pageTitle: await conversationTitle(ctx, c),
    messages: withDays(ctx, views),
    people,
    other: c.kind === 'direct' && others.length === 1 ? { ...others[0], blocked } : null,
    older: rows.length === PAGE && rows[0].seq > 1 ? `${href}?before=${rows[0].seq}` : null,
    replyAction: link(ctx, 'messages.reply', { id: String(c.id) }),
    // Files attached to a reply (core/content/attachments.ts); the live chat form sends text only.
    attach: await attachmentField(ctx, MESSAGE_KIND),
    actions: {
      unread: link(ctx, 'messages.unread', { id: String(c.id) }),
      archive: link(ctx, member?.archived ? 'messages.unarchive' : 'messages.archive', { id: String(c.id) }),
      leave: room ? null : link(ctx, 'messages.leave', { id: String(c.id) }),
      add: c.kind === 'group' ? link(ctx, 'messages.add', { id: String(c.id) }) : null,
      // A direct conversation stays between two: adding someone starts a group conversation.
      newGroup: c.kind === 'direct' ? `${link(ctx, 'messages.new')}?to=${encodeURIComponent(startWith)}` : null,
      block:
        c.kind === 'direct' && others.length === 1
          ? link(ctx, blocked ? 'messages.unblock' : 'messages.block', { username: others[0].username })
          : null,
    },
    inboxHref: link(ctx, 'messages.inbox'),
    findHref: link(ctx, 'messages.find'),
    here: href,
  };
}

/**
 * Whether a refusal to send comes back on the form it was sent from, with what was typed: a
 * 4xx (a pace limit's too), not a 404 nor the sending rate's 429 (answered as a rate limit).
 */
const shownOnForm = (e: unknown): e is HttpError =>
  e instanceof HttpError && e.status < 500 && e.status !== 404 && (e.status !== 429 || 'retryAfter' in e.params);

/** The conversation page again after a refused reply: `error` beside the reply composer, which keeps what was typed. */
async function conversationAgain(ctx: RucheContext, id: number, error: string, status: number): Promise<RouteResult> {
  const data = await conversationData(ctx, id);
  return {
    view: 'messages/conversation',
    title: String(data.pageTitle),
    status,
    data: { ...data, replyError: error, replyBody: field(ctx, 'body') },
  };
}

/** The user names in a "To" field (commas or spaces, `@` optional), each once, in order. */
const namesIn = (to: string): string[] => [
  ...new Set(
    to
      .split(/[\s,]+/)
      .map((n) => n.replace(/^@/, ''))
      .filter(Boolean),
  ),
];

/**
 * The composer: recipients (suggested as one types; without JavaScript, a member search in
 * the same form whose "Add" and "Remove" buttons post it back with everything typed, and
 * names checked when sent), an optional subject, the Markdown body with a preview. With
 * `error`, a refusal shown above the form with what was typed kept.
 */
async function composer(ctx: RucheContext, opts: { preview?: boolean; error?: string; status?: number }): Promise<RouteResult> {
  const posted = ctx.method === 'POST';
  const add = posted ? field(ctx, 'add') : '';
  const remove = posted ? field(ctx, 'remove').toLowerCase() : '';
  // After "Add", the search is done with; otherwise it stays with its results.
  const q = add ? '' : posted ? field(ctx, 'q') : queryParam(ctx, 'q');
  const names = namesIn(`${posted ? field(ctx, 'to') : queryParam(ctx, 'to')},${add}`).filter((n) => n.toLowerCase() !== remove);
  const s = messagesService(ctx);
  const taken = new Set(names.map((n) => n.toLowerCase()));
  const people = q.trim() ? (await s.recipients(viewer(ctx), networkId(ctx), q)).filter((p) => !taken.has(p.username.toLowerCase())) : [];
  // The chosen, in the order of "To".
  const order = [...taken];
  const chosen = (names.length ? await s.recipients(viewer(ctx), networkId(ctx), '', MAX_RECIPIENTS, names) : []).sort(
    (a, b) => order.indexOf(a.username.toLowerCase()) - order.indexOf(b.username.toLowerCase()),
  );
  const cards = await personCards(
    ctx,
    [...people, ...chosen].map((p) => p.id),
  );
  const body = posted ? field(ctx, 'body') : '';
  const title = t(ctx, 'messages.new.title');
  return {
    view: 'messages/new',
    title,
    status: opts.status,
    data: {
      pageTitle: title,
      q,
      to: names.join(', '),
      subject: posted ? field(ctx, 'subject') : '',
      body,
      preview: opts.preview && body.trim() ? renderMarkdown(body) : null,
      error: opts.error ?? null,
      chosen: chosen.map((p) => ({ ...p, avatar: cards.get(p.id)?.avatarUrl ?? '' })),
      people: people.map((p) => ({ ...p, avatar: cards.get(p.id)?.avatarUrl ?? '' })),
      searched: !!q.trim(),
      action: link(ctx, 'messages.start'),
      findUrl: link(ctx, 'messages.find'),
    },
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
      return { redirect: link(ctx, 'messages.inbox'), flash: `messages.flash.${name}` };
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
      if (name === 'block') await s.block(networkId(ctx), viewer(ctx).id, Number(other.id));
      else await s.blocks.unblock(viewer(ctx).id, Number(other.id));
      return back(ctx, link(ctx, 'messages.blocked'), { key: `messages.flash.${name}`, params: { name: other.display_name } });
    },
  };
}

export const messagesRoutes: RouteDef[] = [
  { name: 'messages.inbox', method: 'GET', path: '/messages', capability: USE, handler: (ctx) => inbox(ctx, false) },
  { name: 'messages.archived', method: 'GET', path: '/messages/archived', capability: USE, handler: (ctx) => inbox(ctx, true) },
  { name: 'messages.new', method: 'GET', path: '/messages/new', capability: USE, handler: (ctx) => composer(ctx, {}) },
  {
    name: 'messages.start',
    method: 'POST',
    path: '/messages',
    capability: USE,
    async handler(ctx) {
      const to = field(ctx, 'to').split(/[\s,]+/);
      if (field(ctx, 'preview')) return composer(ctx, { preview: true });
      // Without JavaScript: find, add or remove a recipient, and the form comes back as typed.
      if (field(ctx, 'find') || field(ctx, 'add') || field(ctx, 'remove')) return composer(ctx, {});
      try {
        const { conversationId } = await messagesService(ctx).start(viewer(ctx), networkId(ctx), to, field(ctx, 'subject'), field(ctx, 'body'));
        return { redirect: conversationHref(ctx, conversationId) };
      } catch (e) {
        if (shownOnForm(e)) return composer(ctx, { error: t(ctx, e.messageKey, e.params), status: e.status });
        throw e;
      }
    },
  },
  {
    name: 'messages.find',
    method: 'GET',
    path: '/messages/people',
    capability: USE,
    async handler(ctx) {
      const q = queryParam(ctx, 'q').trim();
      const people = q ? await messagesService(ctx).recipients(viewer(ctx), networkId(ctx), q, 8) : [];
      const cards = await personCards(
        ctx,
        people.map((p) => p.id),
      );
      return { json: { people: people.map((p) => ({ username: p.username, name: p.display_name, avatar: cards.get(p.id)?.avatarUrl ?? '' })) } };
    },
  },
  {
    name: 'messages.add',
    method: 'POST',
    path: '/messages/:id/add',
    capability: USE,
    async handler(ctx) {
      const s = messagesService(ctx);
      const c = await s.conversation(viewer(ctx), idParam(ctx));
      const ids = await s.addMembers(viewer(ctx), c, field(ctx, 'to').split(/[\s,]+/));
      return { redirect: conversationHref(ctx, c.id), flash: { key: 'messages.flash.added', params: { count: ids.length } } };
    },
  },
  {
    name: 'messages.search',
    method: 'GET',
    path: '/messages/search',
    capability: USE,
    async handler(ctx) {
      const q = queryParam(ctx, 'q');
      const reader = pieceReader(ctx.ruche, viewer(ctx), networkId(ctx));
      const rows = q.trim() ? await searchMessages(ctx.ruche, reader, networkId(ctx), q) : [];
      const withMessages = [...new Set(rows.map((m) => m.conversation_id))];
      const items = q.trim() ? await inboxItems(ctx.ruche, viewer(ctx).id, networkId(ctx), { q, withMessages }) : [];
      const results = withDays(ctx, await messageViews(ctx.ruche.users, rows, reader)).map((m) => ({
        ...m,
        href: `${conversationHref(ctx, m.conversationId as number)}#m${m.seq as number}`,
      }));
      const title = t(ctx, 'messages.search.title');
      return {
        view: 'messages/search',
        title,
        data: { pageTitle: title, q, conversations: await inboxRows(ctx, items), results, searched: !!q.trim() },
      };
    },
  },
  {
    name: 'messages.blocked',
    method: 'GET',
    path: '/messages/blocked',
    capability: USE,
    async handler(ctx) {
      const people = await messagesService(ctx).blocks.list(viewer(ctx).id);
      const cards = await personCards(
        ctx,
        people.map((p) => p.id),
      );
      return titledPage(ctx, 'messages/blocked', 'messages.blocked.title', {
        people: people.map((p) => ({ ...p, card: cards.get(p.id), unblock: link(ctx, 'messages.unblock', { username: p.username }) })),
        here: ctx.path,
      });
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
      const s = messagesService(ctx);
      // Files sent with the reply are judged before it is sent; a refusal shows the conversation again with what was typed.
      const c = await s.conversation(viewer(ctx), id);
      const files = await acceptAttachments(ctx, MESSAGE_KIND, { networkId: networkId(ctx), containerId: null, access: 'private' });
      if (files.problems.length) return conversationAgain(ctx, c.id, files.problems.join(' '), files.status);
      let seq: number;
      try {
        seq = await s.send(viewer(ctx), networkId(ctx), id, field(ctx, 'body'));
      } catch (e) {
        if (shownOnForm(e)) return conversationAgain(ctx, c.id, t(ctx, e.messageKey, e.params), e.status);
        throw e;
      }
      const sent = await s.messageAt(c.id, seq);
      if (sent) await files.save(messageParent(sent));
      return back(ctx, conversationHref(ctx, id));
    },
  },
  conversationAction('unread'),
  conversationAction('archive'),
  conversationAction('unarchive'),
  conversationAction('leave'),
];
