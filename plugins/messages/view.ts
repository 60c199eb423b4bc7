/** Shaping conversations and messages for templates (and for the chat plugin's sockets). */
import type {} from '../groups/hooks';
import { renderMarkdown, t, link, type PieceReader, type RucheContext, type Runtime } from '../../core';
import type { ConversationRow } from './audience';
import { MessagesService, withheldFrom, type MessageRow } from './service';

export interface Author {
  id: number;
  username: string;
  display_name: string;
  photo_key?: string | null;
}

/** The authors of messages by id, from the core's people service (one statement). */
export async function authors(users: Runtime['users'], ids: number[]): Promise<Map<number, Author>> {
  const rows = await users.people([...new Set(ids)]);
  return new Map(rows.map((r) => [r.id, { id: r.id, username: r.username, display_name: r.display_name, photo_key: r.photo_key }]));
}

/**
 * One message as the page and the socket show it to `reader` (core `pieceReader` of the
 * conversation's network): the body is sanitised HTML. A message a moderator hid is read whole,
 * marked (`withheld`), by its author and the network's moderators taking part; the others get
 * only that it was hidden (`hidden`, no text).
 */
export function messageView(m: MessageRow, author: Author | undefined, reader: PieceReader): Record<string, unknown> {
  const hidden = !m.deleted_at && withheldFrom(m, reader);
  return {
    id: m.id,
    conversationId: m.conversation_id,
    seq: m.seq,
    authorId: m.author_id,
    author: author?.display_name ?? '?',
    username: author?.username ?? '',
    /** The avatar's file under the core's `/avatars/<authorId>/` (see `avatarUrl`). */
    avatarFile: author?.photo_key ? `${author.photo_key}-64.jpg` : 'initials.svg',
    html: m.deleted_at || hidden ? '' : renderMarkdown(m.body),
    deleted: !!m.deleted_at,
    hidden,
    withheld: !m.deleted_at && m.withheld && !hidden,
    edited: !!m.edited_at,
    mine: m.author_id === reader.id,
    createdAt: m.created_at,
  };
}

export async function messageViews(users: Runtime['users'], rows: MessageRow[], reader: PieceReader): Promise<Record<string, unknown>[]> {
  const who = await authors(
    users,
    rows.map((r) => r.author_id),
  );
  return rows.map((m) => messageView(m, who.get(m.author_id), reader));
}

/** A conversation's title: its subject, the other members' names, or its room's name. */
export async function conversationTitle(ctx: RucheContext, c: ConversationRow, names?: string[]): Promise<string> {
  if (c.kind === 'room') {
    const id = Number(c.container_id);
    const names = await ctx.ruche.hooks.filter('groups:names', {}, { rt: ctx.ruche, networkId: Number(c.network_id), ids: [id] });
    return t(ctx, 'messages.room.group', { name: names[id] ?? `#${id}` });
  }
  if (c.kind === 'network') return t(ctx, 'messages.room.network', { name: ctx.ruche.networks.all().find((n) => n.id === c.network_id)?.name ?? '' });
  if (c.subject) return c.subject;
  const others = names ?? (await ctx.ruche.container.resolve(MessagesService).otherNames(c.id, ctx.state.viewer!.id));
  return others.length ? others.join(', ') : t(ctx, 'messages.conversation.alone');
}

export const conversationHref = (ctx: RucheContext, id: number): string => link(ctx, 'messages.conversation', { id: String(id) });
