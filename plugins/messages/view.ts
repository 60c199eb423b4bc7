/** Shaping conversations and messages for templates (and for the chat plugin's sockets). */
import type {} from '../groups/hooks';
import { renderMarkdown, t, link, type RucheContext, type Runtime } from '../../core';
import type { ConversationRow } from './audience';
import type { MessageRow } from './service';

export interface Author {
  id: number;
  username: string;
  display_name: string;
}

export async function authors(db: Runtime['db'], ids: number[]): Promise<Map<number, Author>> {
  const unique = [...new Set(ids)];
  const rows: Author[] = unique.length ? await db('users').whereIn('id', unique).select('id', 'username', 'display_name') : [];
  return new Map(rows.map((r) => [Number(r.id), { ...r, id: Number(r.id) }]));
}

/** One message as the page and the socket show it: the body is sanitised HTML. */
export function messageView(m: MessageRow, author: Author | undefined, viewerId: number): Record<string, unknown> {
  return {
    id: m.id,
    conversationId: m.conversation_id,
    seq: m.seq,
    authorId: m.author_id,
    author: author?.display_name ?? '?',
    username: author?.username ?? '',
    html: m.deleted_at ? '' : renderMarkdown(m.body),
    deleted: !!m.deleted_at,
    edited: !!m.edited_at,
    mine: m.author_id === viewerId,
    createdAt: m.created_at,
  };
}

export async function messageViews(db: Runtime['db'], rows: MessageRow[], viewerId: number): Promise<Record<string, unknown>[]> {
  const who = await authors(
    db,
    rows.map((r) => r.author_id),
  );
  return rows.map((m) => messageView(m, who.get(m.author_id), viewerId));
}

/** A conversation's title: its subject, the other members' names, or its room's name. */
export async function conversationTitle(ctx: RucheContext, c: ConversationRow, names?: string[]): Promise<string> {
  const db = ctx.ruche.db;
  if (c.kind === 'room') {
    const id = Number(c.container_id);
    const names = await ctx.ruche.hooks.filter('groups:names', {}, { rt: ctx.ruche, networkId: Number(c.network_id), ids: [id] });
    return t(ctx, 'messages.room.group', { name: names[id] ?? `#${id}` });
  }
  if (c.kind === 'network') return t(ctx, 'messages.room.network', { name: ctx.ruche.networks.all().find((n) => n.id === c.network_id)?.name ?? '' });
  if (c.subject) return c.subject;
  const others =
    names ??
    (
      (await db('conversation_members as p')
        .join('users as u', 'u.id', 'p.user_id')
        .where('p.conversation_id', c.id)
        .whereNot('p.user_id', ctx.state.viewer!.id)
        .whereNull('p.left_at')
        .orderBy('u.display_name')
        .select('u.display_name')) as { display_name: string }[]
    ).map((r) => r.display_name);
  return others.length ? others.join(', ') : t(ctx, 'messages.conversation.alone');
}

export const conversationHref = (ctx: RucheContext, id: number): string => link(ctx, 'messages.conversation', { id: String(id) });
