/**
 * Banning a member from a network: their membership goes (the access model treats them as a
 * visitor there at their next request) and they cannot come back while the ban stands —
 * `users.setRole` (an administrator giving a role, a provider's roles at sign-in) and
 * self-service joining (plugins ask `isBanned`) refuse. A ban is per network: the account and
 * its other networks are untouched (suspending the whole account is core/auth/suspensions.ts).
 * Network administrators and root administrators are not banned, nor does anyone ban
 * themselves. Callers check who may ban and write the audit entry. The member's open sockets in
 * the network (chat, notifications) close in every process once the ban is committed.
 */
import type { Knex } from 'knex';
import type { Role } from '../auth/viewer';
import { closeMemberSockets } from '../realtime/member-sockets';
import type { PubSub } from '../realtime/pubsub';

export const BAN_REASON_MAX = 500;

export type BanRefusal = 'unknown' | 'self' | 'admin';

export type BanOutcome = { refused: BanRefusal } | { role: Role };

/** Whether `userId` is banned from `networkId` (through `db`, a transaction's when given). */
export async function isBanned(db: Knex, userId: number, networkId: number): Promise<boolean> {
  return !!(await db('network_bans').where({ network_id: networkId, user_id: userId }).first('user_id'));
}

export class NetworkBans {
  constructor(
    private readonly db: Knex,
    private readonly pubsub: Pick<PubSub, 'publish'>,
  ) {}

  isBanned(userId: number, networkId: number): Promise<boolean> {
    return isBanned(this.db, userId, networkId);
  }

  /**
   * Bans the member `userId` from `networkId` with a reason (trimmed, at most BAN_REASON_MAX
   * characters: the caller checks it), `by` the member acting. Answers the role they held,
   * or why not: not a member there, oneself, an administrator. Inside `trx` when given.
   */
  async ban(networkId: number, userId: number, reason: string, by: number, trx?: Knex.Transaction, now = Date.now()): Promise<BanOutcome> {
    const db = trx ?? this.db;
    if (userId === by) return { refused: 'self' };
    const row = (await db('memberships as m')
      .join('users as u', 'u.id', 'm.user_id')
      .where({ 'm.user_id': userId, 'm.network_id': networkId })
      .first('m.role', 'u.is_root_admin')) as { role: Role; is_root_admin: boolean | number } | undefined;
    if (!row) return { refused: 'unknown' };
    if (row.role === 'admin' || row.is_root_admin === true || Number(row.is_root_admin) === 1) return { refused: 'admin' };
    await db('network_bans')
      .insert({ network_id: networkId, user_id: userId, reason: reason.trim(), banned_by: by, banned_at: now })
      .onConflict(['network_id', 'user_id'])
      .merge(['reason', 'banned_by', 'banned_at']);
    await db('memberships').where({ user_id: userId, network_id: networkId }).delete();
    // Their open sockets in this network close, in every process, once the ban is committed.
    const closeSockets = () => closeMemberSockets(this.pubsub, userId, networkId);
    if (trx) void trx.executionPromise.then(closeSockets, () => undefined);
    else await closeSockets();
    return { role: row.role };
  }

  /** The network's bans, newest first, with who is banned and who banned them (null once that account is gone). */
  async list(networkId: number): Promise<BanRow[]> {
    return (await this.rows(networkId).orderBy('b.banned_at', 'desc').orderBy('b.user_id', 'desc')).map(banRow);
  }

  /** One ban of the network, if `userId` is banned there. */
  async get(networkId: number, userId: number): Promise<BanRow | undefined> {
    if (!Number.isSafeInteger(userId) || userId <= 0) return undefined;
    const row = await this.rows(networkId).where('b.user_id', userId).first();
    return row ? banRow(row) : undefined;
  }

  /**
   * A member's bans in every network (their data export: the network, the reason and when —
   * not who banned them).
   */
  async of(userId: number): Promise<{ network: string; reason: string; bannedAt: number }[]> {
    const rows = (await this.db('network_bans as b')
      .join('networks as n', 'n.id', 'b.network_id')
      .where('b.user_id', userId)
      .orderBy('b.banned_at')
      .select('n.slug', 'b.reason', 'b.banned_at')) as { slug: string; reason: string; banned_at: number | string }[];
    return rows.map((r) => ({ network: r.slug, reason: r.reason, bannedAt: Number(r.banned_at) }));
  }

  /** Lifts the ban (the member may join again: their membership is not given back); false when there was none. */
  async lift(networkId: number, userId: number, trx?: Knex.Transaction): Promise<boolean> {
    return Number(await (trx ?? this.db)('network_bans').where({ network_id: networkId, user_id: userId }).delete()) > 0;
  }

  private rows(networkId: number): Knex.QueryBuilder {
    return this.db('network_bans as b')
      .join('users as u', 'u.id', 'b.user_id')
      .leftJoin('users as by', 'by.id', 'b.banned_by')
      .where('b.network_id', networkId)
      .select('b.user_id', 'u.username', 'u.display_name', 'b.reason', 'b.banned_at', 'by.display_name as banned_by_name');
  }
}

/** A ban as the members console lists it. */
export interface BanRow {
  userId: number;
  username: string;
  displayName: string;
  reason: string;
  bannedAt: number;
  /** The display name of who banned them; null once that account is gone. */
  bannedBy: string | null;
}

const banRow = (r: Record<string, unknown>): BanRow => ({
  userId: Number(r.user_id),
  username: String(r.username),
  displayName: String(r.display_name),
  reason: String(r.reason),
  bannedAt: Number(r.banned_at),
  bannedBy: r.banned_by_name === null || r.banned_by_name === undefined ? null : String(r.banned_by_name),
});
