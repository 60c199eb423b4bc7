/**
 * The JSON API of private messages, through the pages' service calls and refusals:
 *
 *   - `GET /api/v1/conversations` (`?archived=true`, keyset `?after=`): the viewer's inbox
 *     (or archive), newest first, as the inbox page lists it;
 *   - `GET /api/v1/conversations/:id` (keyset `?after=`, messages newest first): a conversation
 *     the viewer is in (any other answers 404, as the page), read up to its last message as
 *     opening the page reads it;
 *   - `POST /api/v1/conversations`: starts a conversation (or continues the direct one) with
 *     the members named, as the new message form (same checks, blocks and rate);
 *   - `POST /api/v1/conversations/:id/messages`: a reply, as the conversation's form.
 *
 * Creation takes an `Idempotency-Key` (core/http/api/idempotency.ts): a retried request sends once.
 */
import {
  apiBody,
  apiCursorQuery,
  apiMember,
  apiPageOf,
  apiPageQuery,
  apiQuery,
  apiReadRoute,
  idParam,
  keysetPage,
  pieceReader,
  renderMarkdown,
  z,
  type PieceReader,
  type RouteDef,
  type RucheContext,
} from '../../core';
import { isRoom, memberIds, type ConversationRow } from './audience';
import { USE, messagesService } from './routes';
import { MAX_BODY, MAX_RECIPIENTS, withheldFrom, type MessageRow } from './service';
import { authors, conversationHref, conversationTitle, type Author } from './view';

const viewer = (ctx: RucheContext) => ctx.state.viewer!;
const networkId = (ctx: RucheContext): number => ctx.state.network.id;

const personOf = (a: Author) => ({ id: a.id, username: a.username, displayName: a.display_name });

const message = z.object({
  id: z.number().int(),
  seq: z.number().int(),
  author: apiMember.nullable(),
  body: z.string().describe('Markdown, as written; empty once deleted.'),
  html: z.string().describe('The body rendered and sanitised, as the page shows it.'),
  deleted: z.boolean(),
  withheld: z.boolean().describe('Hidden by a moderator: only its author and the network’s moderators read it (the others get it as deleted).'),
  edited: z.boolean(),
  createdAt: z.number().int(),
});

/** The reader of the messages of a conversation of network `networkId` (core `pieceReader`). */
const readerOf = (ctx: RucheContext, networkId: number): PieceReader => pieceReader(ctx.ruche, viewer(ctx), networkId);

function messageOf(m: MessageRow, who: Map<number, Author>, reader: PieceReader) {
  const author = who.get(m.author_id);
  // A message a moderator hid reads as deleted to all but its author and the network's moderators, who read it marked.
  const deleted = m.deleted_at !== null || withheldFrom(m, reader);
  return {
    id: m.id,
    seq: m.seq,
    author: author ? personOf(author) : null,
    body: deleted ? '' : m.body,
    html: deleted ? '' : renderMarkdown(m.body),
    deleted,
    withheld: !deleted && m.withheld,
    edited: m.edited_at !== null,
    createdAt: m.created_at,
  };
}

const conversationFields = {
  id: z.number().int(),
  kind: z.enum(['direct', 'group', 'room', 'network']),
  title: z.string(),
  subject: z.string().nullable(),
  href: z.string(),
  lastMessageAt: z.number().int(),
};

const conversationOf = async (ctx: RucheContext, c: ConversationRow, names?: string[]) => ({
  id: c.id,
  kind: c.kind,
  title: await conversationTitle(ctx, c, names),
  subject: c.subject || null,
  href: conversationHref(ctx, c.id),
  lastMessageAt: c.last_message_at,
});

const listQuery = apiCursorQuery('int', 'int').extend({ archived: z.enum(['true', 'false']).optional() });
const listItem = z.object({
  ...conversationFields,
  unread: z.number().int(),
  archived: z.boolean(),
  participants: z.array(apiMember).describe('The other members, not counting the viewer (none for a group’s or network’s room).'),
  last: message.nullable(),
});

const readQuery = apiPageQuery;
const readAnswer = z.object({
  conversation: z.object(conversationFields),
  participants: z.array(apiMember).describe('Every member, the viewer included (none for a room).'),
  messages: z.array(message).describe('Newest first; `next` pages to older ones.'),
  next: z.string().nullable(),
});

const startBody = z.object({
  to: z
    .union([
      z.array(z.string().min(1).max(64)).min(1).max(MAX_RECIPIENTS),
      z
        .string()
        .min(1)
        .max(MAX_RECIPIENTS * 65),
    ])
    .describe('User names of the recipients: a list, or one string separated by commas or spaces as the form’s “To”.'),
  subject: z.string().max(200).optional(),
  body: z.string().min(1).max(MAX_BODY),
});
const replyBody = z.object({ body: z.string().min(1).max(MAX_BODY) });

const sentAnswer = z.object({ conversation: z.object(conversationFields), message });

/** The conversation and its message `seq`, as the answer of a send. */
async function sent(ctx: RucheContext, conversationId: number, seq: number) {
  const s = messagesService(ctx);
  const c = await s.conversation(viewer(ctx), conversationId);
  const m = (await s.messageAt(c.id, seq))!;
  return {
    json: {
      conversation: await conversationOf(ctx, c),
      message: messageOf(m, await authors(ctx.ruche.users, [m.author_id]), readerOf(ctx, c.network_id)),
    },
    status: 201,
  };
}

export const messagesApiRoutes: RouteDef[] = [
  apiReadRoute({
    name: 'messages.api.conversations',
    path: '/api/v1/conversations',
    summary: 'The viewer’s conversations, newest first (?archived=true for the archive).',
    page: 'messages.inbox',
    query: listQuery,
    response: apiPageOf(listItem),
    capability: USE,
    async find(ctx) {
      const { limit, after, archived } = apiQuery(ctx, listQuery);
      const rows = await messagesService(ctx).inbox(viewer(ctx).id, networkId(ctx), archived === 'true', limit + 1, after);
      const page = keysetPage(ctx, rows, limit, (c) => [c.last_message_at, c.id]);
      const who = await authors(ctx.ruche.users, [...page.items.flatMap((c) => c.others), ...page.items.map((c) => c.last?.author_id ?? 0)]);
      return { page, who };
    },
    async present(ctx, { page, who }) {
      const items = await Promise.all(
        page.items.map(async (c) => ({
          ...(await conversationOf(ctx, c, c.names)),
          unread: c.unread,
          archived: c.archived,
          participants: isRoom(c) ? [] : c.others.flatMap((id) => (who.has(id) ? [personOf(who.get(id)!)] : [])),
          last: c.last ? messageOf(c.last, who, readerOf(ctx, c.network_id)) : null,
        })),
      );
      return { items, next: page.next };
    },
  }),
  apiReadRoute({
    name: 'messages.api.conversation',
    path: '/api/v1/conversations/:id',
    summary: 'A conversation the viewer is in, with its messages newest first; reads it as its page does.',
    page: 'messages.conversation',
    query: readQuery,
    response: readAnswer,
    capability: USE,
    async find(ctx) {
      const s = messagesService(ctx);
      const c = await s.conversation(viewer(ctx), idParam(ctx));
      const { limit, after } = apiQuery(ctx, readQuery);
      const rows = (await s.messages(c.id, { before: after, limit: limit + 1 })).reverse();
      await s.markRead(viewer(ctx).id, c);
      const members = isRoom(c) ? [] : await memberIds(ctx.ruche.db, c.id);
      const who = await authors(ctx.ruche.users, [...members, ...rows.map((m) => m.author_id)]);
      return { c, members, who, page: keysetPage(ctx, rows, limit, (m) => m.seq) };
    },
    present: async (ctx, { c, members, who, page }) => ({
      conversation: await conversationOf(ctx, c),
      participants: members.flatMap((id) => (who.has(id) ? [personOf(who.get(id)!)] : [])),
      messages: page.items.map((m) => messageOf(m, who, readerOf(ctx, c.network_id))),
      next: page.next,
    }),
  }),
  {
    name: 'messages.api.start',
    method: 'POST',
    path: '/api/v1/conversations',
    api: {
      summary: 'Starts a conversation with the members named (or continues the direct one with a single one).',
      body: startBody,
      response: sentAnswer,
    },
    capability: USE,
    async handler(ctx) {
      const { to, subject, body } = apiBody(ctx, startBody);
      const names = typeof to === 'string' ? to.split(/[\s,]+/) : to;
      const { conversationId, seq } = await messagesService(ctx).start(viewer(ctx), networkId(ctx), names, subject ?? '', body);
      return sent(ctx, conversationId, seq);
    },
  },
  {
    name: 'messages.api.reply',
    method: 'POST',
    path: '/api/v1/conversations/:id/messages',
    api: { summary: 'Sends a message to a conversation the viewer is in.', body: replyBody, response: sentAnswer },
    capability: USE,
    async handler(ctx) {
      const s = messagesService(ctx);
      const c = await s.conversation(viewer(ctx), idParam(ctx));
      const seq = await s.send(viewer(ctx), networkId(ctx), c.id, apiBody(ctx, replyBody).body);
      return sent(ctx, c.id, seq);
    },
  },
];
