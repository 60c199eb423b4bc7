/**
 * Single-use, expiring links sent by email (verify an address, reset a password, accept an
 * invitation). Only the token's SHA-256 is stored in `auth_tokens`; a link that is unknown,
 * expired or already used is refused with the reason, so the page can say what to do.
 */
import type { Knex } from 'knex';
import { randomToken, sha256 } from './tokens';

export type LinkKind = 'verify-email' | 'reset-password' | 'change-email' | 'invitation';

export interface LinkRow {
  id: number;
  userId: number | null;
  data: Record<string, unknown>;
}

export type LinkCheck = { ok: true; link: LinkRow } | { ok: false; reason: 'invalid' | 'expired' | 'used' };

export const LINK_TTL: Record<LinkKind, number> = {
  'verify-email': 3 * 86_400_000,
  'reset-password': 3_600_000,
  'change-email': 86_400_000,
  invitation: 14 * 86_400_000,
};

export class AuthLinks {
  constructor(private readonly db: Knex) {}

  /**
   * Issues a link. `options.createdBy` records who asked for it (the member sending an
   * invitation, for the daily cap); `options.trx` writes it inside a transaction.
   */
  async issue(
    kind: LinkKind,
    userId: number | null,
    data: Record<string, unknown> = {},
    ttlMs = LINK_TTL[kind],
    options: { createdBy?: number; trx?: Knex } = {},
  ): Promise<string> {
    const token = randomToken(24);
    const now = Date.now();
    await (options.trx ?? this.db)('auth_tokens').insert({
      user_id: userId,
      kind,
      token_hash: sha256(token),
      data: JSON.stringify(data),
      created_at: now,
      expires_at: now + ttlMs,
      created_by: options.createdBy ?? null,
    });
    return token;
  }

  /**
   * How many invitations to `networkId` were sent in [from, to) (ms), whoever sent them and
   * whether they were followed (the members figures of the analytics dashboard).
   */
  async countInvitations(networkId: number, from: number, to: number): Promise<number> {
    // `issue` stores the invitation's data as {"email":...,"networkId":N}: the network closes it.
    const row = await this.db('auth_tokens')
      .where({ kind: 'invitation' })
      .where('created_at', '>=', from)
      .where('created_at', '<', to)
      .where('data', 'like', `%"networkId":${Number(networkId)}}`)
      .count<{ n: number | string }[]>('id as n')
      .first();
    return Number(row?.n ?? 0);
  }

  /** How many links of a kind `userId` asked for since `since` (ms). */
  async countCreatedBy(kind: LinkKind, userId: number, since: number, trx: Knex = this.db): Promise<number> {
    const row = await trx('auth_tokens')
      .where({ kind, created_by: userId })
      .where('created_at', '>', since)
      .count<{ n: number | string }[]>('id as n')
      .first();
    return Number(row?.n ?? 0);
  }

  /**
   * Whether an unused, unexpired link of a kind carrying exactly `data` was issued since
   * `since` (ms): `data` is compared as `issue` stored it, so pass the same keys in the same order.
   */
  async issuedSince(kind: LinkKind, data: Record<string, unknown>, since: number, trx: Knex = this.db): Promise<boolean> {
    const now = Date.now();
    return !!(await trx('auth_tokens')
      .where({ kind, data: JSON.stringify(data) })
      .whereNull('used_at')
      .where('created_at', '>', since)
      .where('expires_at', '>', now)
      .first('id'));
  }

  /** Checks a link without using it (to show the form it leads to). */
  async check(kind: LinkKind, token: unknown): Promise<LinkCheck> {
    if (typeof token !== 'string' || token.length < 16 || token.length > 100) return { ok: false, reason: 'invalid' };
    const row: { id: number; user_id: number | null; data: string | null; expires_at: number | null; used_at: number | null } | undefined =
      await this.db('auth_tokens')
        .where({ kind, token_hash: sha256(token) })
        .first('id', 'user_id', 'data', 'expires_at', 'used_at');
    if (!row) return { ok: false, reason: 'invalid' };
    if (row.used_at !== null) return { ok: false, reason: 'used' };
    if (row.expires_at !== null && Number(row.expires_at) < Date.now()) return { ok: false, reason: 'expired' };
    return {
      ok: true,
      link: {
        id: Number(row.id),
        userId: row.user_id === null ? null : Number(row.user_id),
        data: row.data ? (JSON.parse(row.data) as Record<string, unknown>) : {},
      },
    };
  }

  /** Checks and uses a link in one step; a second use of the same link is refused ('used'). */
  async consume(kind: LinkKind, token: unknown, trx: Knex = this.db): Promise<LinkCheck> {
    const checked = await this.check(kind, token);
    if (!checked.ok) return checked;
    const n = await trx('auth_tokens').where({ id: checked.link.id }).whereNull('used_at').update({ used_at: Date.now() });
    return Number(n) === 1 ? checked : { ok: false, reason: 'used' };
  }

  /** Voids the member's other unused links of a kind (e.g. older reset links after a reset). */
  async voidAll(kind: LinkKind, userId: number): Promise<void> {
    await this.db('auth_tokens').where({ kind, user_id: userId }).whereNull('used_at').update({ used_at: Date.now() });
  }
}
