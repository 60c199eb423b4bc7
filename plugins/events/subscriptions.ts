/**
 * Personal calendar subscriptions: a secret URL per member and network that a calendar
 * application reads without a session. The secret is an HMAC of a random nonce under the
 * installation's secret: the page can show the member their link again, and the database
 * alone (nonce, sha256 of the secret) gives no usable link. A new link replaces the old
 * (which stops working); the member can revoke it. The feed holds the events the member may
 * see now (core access, read as them) that they answered, or all of them, as they chose.
 */
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { oneOf, type Runtime } from '../../core';

export const SCOPES = ['answered', 'visible'] as const;
export type Scope = (typeof SCOPES)[number];
export const isScope = oneOf(SCOPES);

const sha = (secret: string): string => createHash('sha256').update(secret).digest('hex');
/** A secret as it appears in the URL (an HMAC-SHA256, base64url). */
const SECRET = /^[A-Za-z0-9_-]{43}$/;

export interface Subscription {
  userId: number;
  networkId: number;
  scope: Scope;
  createdAt: number;
  /** The secret of the URL. */
  secret: string;
}

interface TokenRow {
  user_id: number | string;
  network_id: number | string;
  scope: Scope;
  created_at: number | string;
  nonce: string;
}

export class CalendarSubscriptions {
  static readonly uses = ['db', 'config'] as const;
  constructor(private readonly rt: Pick<Runtime, 'db' | 'config'>) {}

  private secretOf(userId: number, networkId: number, nonce: string): string {
    return createHmac('sha256', this.rt.config.secret).update(`events.calendar:${userId}:${networkId}:${nonce}`).digest('base64url');
  }

  private read(row: TokenRow | undefined): Subscription | null {
    if (!row) return null;
    const userId = Number(row.user_id);
    const networkId = Number(row.network_id);
    return { userId, networkId, scope: row.scope, createdAt: Number(row.created_at), secret: this.secretOf(userId, networkId, row.nonce) };
  }

  /** A new link for the member in this network (the previous one stops working). */
  async create(userId: number, networkId: number, scope: Scope, now = Date.now()): Promise<Subscription> {
    const nonce = randomBytes(16).toString('hex');
    const row = { user_id: userId, network_id: networkId, nonce, token_hash: sha(this.secretOf(userId, networkId, nonce)), scope, created_at: now };
    await this.rt.db.transaction(async (trx) => {
      await trx('event_calendar_tokens').where({ user_id: userId, network_id: networkId }).del();
      await trx('event_calendar_tokens').insert(row);
    });
    return this.read(row)!;
  }

  async revoke(userId: number, networkId: number): Promise<boolean> {
    return Number(await this.rt.db('event_calendar_tokens').where({ user_id: userId, network_id: networkId }).del()) > 0;
  }

  async of(userId: number, networkId: number): Promise<Subscription | null> {
    return this.read(await this.rt.db('event_calendar_tokens').where({ user_id: userId, network_id: networkId }).first());
  }

  async bySecret(secret: string): Promise<Subscription | null> {
    if (!SECRET.test(secret)) return null;
    const found = this.read(
      await this.rt
        .db('event_calendar_tokens')
        .where({ token_hash: sha(secret) })
        .first(),
    );
    return found && found.secret === secret ? found : null;
  }
}
