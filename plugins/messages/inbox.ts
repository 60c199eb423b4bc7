/**
 * The lists of conversations a member sees: the inbox (and archive) with each
 * conversation's other members and last message, and the search over subjects,
 * participants' names and message text. Only conversations the member is in (not left;
 * rooms while they are still in the group or network) are ever read.
 */
import type { Knex } from 'knex';
import { accentBlindLike, containsWords, pieceSeen, pieceSeenBindings, plainTextOf, queryWords, type PieceReader, type Runtime } from '../../core';
import { toConversation, type ConversationRow } from './audience';
import { toMessage, type MessageRow } from './service';

export interface InboxItem extends ConversationRow {
  last_read_seq: number;
  archived: boolean;
  unread: number;
  /** The other members (not left), by name. */
  names: string[];
  /** Their ids, in the same order. */
  others: number[];
  /** The newest message, if any. */
  last: MessageRow | null;
}

type Reader = Pick<Runtime, 'db' | 'containers'>;

/** Rooms count only while the member is still in the group or network. */
export function stillIn(rt: Reader, q: Knex.QueryBuilder, userId: number): void {
  q.where((w) =>
    w
      .whereIn('c.kind', ['direct', 'group'])
      .orWhere((r) => r.where('c.kind', 'room').whereIn('c.container_id', rt.containers.idsOf(userId)))
      .orWhere((r) =>
        r
          .where('c.kind', 'network')
          .whereExists((s) =>
            s.select(rt.db.raw('1')).from('memberships as ms').where('ms.network_id', rt.db.ref('c.network_id')).where('ms.user_id', userId),
          ),
      ),
  );
}

/** `column` holds every word, accents aside (narrowed again by `containsWords`). */
function sayingAll(q: Knex.QueryBuilder, column: string, words: readonly string[]): Knex.QueryBuilder {
  for (const w of words) q.whereRaw(`lower(${column}) like ?`, [accentBlindLike(w)]);
  return q;
}

/**
 * Conversations whose subject or another member's name may hold every word (accents aside),
 * or that hold one of `withMessages` (the conversations of the messages found).
 */
function matching(rt: Reader, q: Knex.QueryBuilder, userId: number, words: readonly string[], withMessages: readonly number[]): void {
  q.where((w) =>
    w
      .where((s) => sayingAll(s, 'c.subject', words))
      .orWhereExists((s) =>
        s
          .select(rt.db.raw('1'))
          .from('conversation_members as o')
          .join('users as ou', 'ou.id', 'o.user_id')
          .where('o.conversation_id', rt.db.ref('c.id'))
          .whereNot('o.user_id', userId)
          .whereNull('o.left_at')
          .where((n) => sayingAll(n, `ou.display_name || ' ' || ou.username_lower`, words)),
      )
      .orWhereIn('c.id', [...withMessages]),
  );
}

/**
 * Conversations the member is in, newest first (by last message, then id): the inbox
 * (`archived` false), the archive, or with `q` those of both that match it; with `after`
 * (the last message's time and the id of the previous page's last one), those after it.
 * Three statements for the whole list.
 */
export async function inboxItems(
  rt: Reader,
  userId: number,
  networkId: number,
  opts: { archived?: boolean; q?: string; withMessages?: readonly number[]; limit?: number; after?: readonly [number, number] } = {},
): Promise<InboxItem[]> {
  const words = queryWords(opts.q ?? '');
  const searched = !!(opts.q ?? '').trim();
  if (searched && !words.length) return [];
  const rows = await rt
    .db('conversations as c')
    .join('conversation_members as p', 'p.conversation_id', 'c.id')
    .where('p.user_id', userId)
    .whereNull('p.left_at')
    .where('c.network_id', networkId)
    .where('c.last_seq', '>', 0)
    .modify((q) => {
      if (searched) matching(rt, q, userId, words, opts.withMessages ?? []);
      else q.where('p.archived', !!opts.archived);
    })
    .modify((q) => stillIn(rt, q, userId))
    .modify((q) => {
      if (!opts.after) return;
      const [at, id] = opts.after;
      q.where((w) => w.where('c.last_message_at', '<', at).orWhere((e) => e.where('c.last_message_at', '=', at).where('c.id', '<', id)));
    })
    .orderBy([
      { column: 'c.last_message_at', order: 'desc' },
      { column: 'c.id', order: 'desc' },
    ])
    .limit(opts.limit ?? 50)
    .select('c.*', 'p.last_read_seq', 'p.archived');
  const conversations = rows.map((r: Record<string, unknown>) => toConversation(r));
  const ids = conversations.map((c: ConversationRow) => c.id);
  const [people, lasts] = ids.length
    ? await Promise.all([
        rt
          .db('conversation_members as p')
          .join('users as u', 'u.id', 'p.user_id')
          .whereIn('p.conversation_id', ids)
          .whereNot('p.user_id', userId)
          .whereNull('p.left_at')
          .orderBy('u.display_name')
          .select('p.conversation_id', 'u.id', 'u.display_name', 'u.username') as Promise<
          { conversation_id: number; id: number; display_name: string; username: string }[]
        >,
        rt
          .db('messages as m')
          .join('conversations as c', (j) => j.on('c.id', '=', 'm.conversation_id').andOn('c.last_seq', '=', 'm.seq'))
          .whereIn('m.conversation_id', ids)
          .select('m.*') as Promise<Record<string, unknown>[]>,
      ])
    : [[], []];
  const lastOf = new Map(lasts.map((r) => [Number(r.conversation_id), toMessage(r)]));
  const found = new Set(opts.withMessages ?? []);
  const items = rows.map((r: Record<string, unknown>, k: number) => {
    const c = conversations[k];
    const mine = people.filter((p) => Number(p.conversation_id) === c.id);
    // A search keeps the conversations whose subject or another member's name says every word.
    const said =
      !searched ||
      found.has(c.id) ||
      [c.subject ?? '', ...mine.map((p) => `${p.display_name} ${p.username}`)].some((text) => containsWords(text, words));
    return !said
      ? null
      : {
          ...c,
          last_read_seq: Number(r.last_read_seq),
          archived: !!r.archived,
          unread: Math.max(0, c.last_seq - Number(r.last_read_seq)),
          names: mine.map((p) => p.display_name),
          others: mine.map((p) => Number(p.id)),
          last: lastOf.get(c.id) ?? null,
        };
  });
  return items.filter((i: InboxItem | null): i is InboxItem => i !== null);
}

/** Rows of messages read at a time while looking for those saying every word. */
const MESSAGES_BATCH = 200;

/**
 * The member's messages saying every word of `q` (accents folded, a word's inflections too, as
 * the site search: the core's `containsWords`), newest first, in conversations they are still
 * in (`reader`). SQL narrows the rows (`accentBlindLike`), batch after batch, and the words decide.
 */
export async function searchMessages(
  rt: Reader,
  reader: PieceReader,
  networkId: number,
  q: string,
  limit = 50,
): Promise<(MessageRow & { subject: string })[]> {
  // The member searching (the core's `pieceReader` of the network: a suspended member's finds nothing).
  const userId = reader.id;
  const words = queryWords(q);
  const out: (MessageRow & { subject: string })[] = [];
  let before: number | null = null;
  while (words.length && out.length < limit) {
    const rows = (await rt
      .db('messages as m')
      .join('conversations as c', 'c.id', 'm.conversation_id')
      .join('conversation_members as p', (j) => j.on('p.conversation_id', '=', 'c.id').andOn('p.user_id', '=', rt.db.raw('?', [userId])))
      .whereNull('p.left_at')
      .whereNull('m.deleted_at')
      // A message a moderator hid is found by its author and the network's moderators alone.
      .whereRaw(pieceSeen('m'), pieceSeenBindings(reader))
      .where('c.network_id', networkId)
      .modify((qb) => (before === null ? qb : qb.where('m.id', '<', before)))
      .modify((qb) => stillIn(rt, qb, userId))
      .modify((qb) => sayingAll(qb, 'm.body', words))
      .orderBy('m.id', 'desc')
      .limit(MESSAGES_BATCH)
      .select('m.*', 'c.subject')) as Record<string, unknown>[];
    for (const r of rows) {
      if (out.length < limit && containsWords(plainTextOf(String(r.body)), words)) out.push({ ...toMessage(r), subject: String(r.subject ?? '') });
    }
    if (rows.length < MESSAGES_BATCH) break;
    before = Number(rows[rows.length - 1].id);
  }
  return out;
}
