/**
 * Who is in a conversation, decided from the source of truth at the moment of asking:
 * direct and group conversations by their member rows (not left), a group's room by the
 * core's containers (`rt.containers`), a network's room by `memberships`. Delivery (pages,
 * sockets) asks here every time, so a member removed from a group stops receiving its
 * room at once.
 */
import type { Knex } from 'knex';
import type { Runtime } from '../../core';

export type ConversationKind = 'direct' | 'group' | 'room' | 'network';

export interface ConversationRow {
  id: number;
  network_id: number;
  kind: ConversationKind;
  container_id: number | null;
  subject: string;
  created_by: number | null;
  created_at: number;
  last_seq: number;
  last_message_at: number;
}

/** The row a room has before anyone wrote in it (no id yet): what access and titles are asked about. */
export function unsavedRoom(kind: Extract<ConversationKind, 'room' | 'network'>, networkId: number, containerId: number | null): ConversationRow {
  return {
    id: 0,
    network_id: networkId,
    kind,
    container_id: containerId,
    subject: '',
    created_by: null,
    created_at: 0,
    last_seq: 0,
    last_message_at: 0,
  };
}

export const isRoom = (c: Pick<ConversationRow, 'kind'>): boolean => c.kind === 'room' || c.kind === 'network';

export function toConversation(r: Record<string, unknown>): ConversationRow {
  return {
    id: Number(r.id),
    network_id: Number(r.network_id),
    kind: r.kind as ConversationKind,
    container_id: r.container_id === null || r.container_id === undefined ? null : Number(r.container_id),
    subject: String(r.subject ?? ''),
    created_by: r.created_by === null ? null : Number(r.created_by),
    created_at: Number(r.created_at),
    last_seq: Number(r.last_seq),
    last_message_at: Number(r.last_message_at),
  };
}

/** What reading membership needs: the database, and the core's containers for rooms. */
export type AudienceReader = Pick<Runtime, 'db' | 'containers'>;

/** Whether `userId` is in the conversation right now (active members only). */
export async function isIn(rt: AudienceReader, c: ConversationRow, userId: number): Promise<boolean> {
  const db = rt.db;
  const active = await db('users').where({ id: userId, status: 'active' }).first('id');
  if (!active) return false;
  if (c.kind === 'room') return c.container_id !== null && (await rt.containers.role(c.container_id, userId)) !== null;
  if (c.kind === 'network') return !!(await db('memberships').where({ network_id: c.network_id, user_id: userId }).first('user_id'));
  return !!(await db('conversation_members').where({ conversation_id: c.id, user_id: userId }).whereNull('left_at').first('user_id'));
}

/** Active member ids of a direct or group conversation (not for rooms). */
export async function memberIds(db: Knex, conversationId: number): Promise<number[]> {
  const rows: { user_id: number }[] = await db('conversation_members')
    .where({ conversation_id: conversationId })
    .whereNull('left_at')
    .select('user_id');
  return rows.map((r) => Number(r.user_id));
}

/**
 * For several conversations at once: who is in each right now, among `among` (one query
 * per kind of conversation present: delivery checks every room with news in one go).
 */
export async function membersOf(rt: AudienceReader, conversations: ConversationRow[], among: number[]): Promise<Map<number, Set<number>>> {
  const db = rt.db;
  const out = new Map<number, Set<number>>(conversations.map((c) => [c.id, new Set<number>()]));
  if (!among.length || !conversations.length) return out;
  const users = [...new Set(among)];
  const byKind = (kind: ConversationKind[]): ConversationRow[] => conversations.filter((c) => kind.includes(c.kind));
  const active = (q: Knex.QueryBuilder): Knex.QueryBuilder =>
    q.join('users as u', 'u.id', 'x.user_id').where('u.status', 'active').whereIn('x.user_id', users);
  const own = byKind(['direct', 'group']);
  if (own.length) {
    const rows: { k: number; user_id: number }[] = await active(
      db('conversation_members as x')
        .whereIn(
          'x.conversation_id',
          own.map((c) => c.id),
        )
        .whereNull('x.left_at'),
    ).select('x.conversation_id as k', 'x.user_id');
    for (const r of rows) out.get(Number(r.k))?.add(Number(r.user_id));
  }
  for (const [kind, key, rowsOf, of] of [
    ['room', 'container_id', (ids: number[]) => rt.containers.membersOf(ids, 'x'), (c: ConversationRow) => c.container_id],
    ['network', 'network_id', (ids: number[]) => db('memberships as x').whereIn('x.network_id', ids), (c: ConversationRow) => c.network_id],
  ] as const) {
    const list = byKind([kind]);
    if (!list.length) continue;
    const ids = [...new Set(list.map(of))].filter((id): id is number => id !== null);
    const rows: { k: number; user_id: number }[] = await active(rowsOf(ids)).select(`x.${key} as k`, 'x.user_id');
    const users = new Map<number, number[]>();
    for (const r of rows) users.set(Number(r.k), [...(users.get(Number(r.k)) ?? []), Number(r.user_id)]);
    for (const c of list) for (const u of users.get(Number(of(c))) ?? []) out.get(c.id)!.add(u);
  }
  return out;
}
