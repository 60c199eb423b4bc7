/**
 * Personal access tokens for the JSON API (`Authorization: Bearer <token>`). A token is
 * shown once at creation; only its SHA-256 is stored, with a short prefix to recognise it
 * in lists. Revoked tokens stop working at once. Every token of a member is revoked when
 * their password is changed or reset and when they sign out everywhere (core/auth/users.ts).
 * A form that creates tokens carries a nonce (`formNonce()`, a hidden `formNonce` field) and
 * creates through `createOnce`: a double submit finds the token the first submit made.
 */
import type { Knex } from 'knex';
import { isUniqueViolation } from '../db/errors';
import { oneOf } from '../one-of';
import { randomToken, sha256 } from './tokens';

/**
 * What a token may do, chosen at creation: `read` (GET), `write` (read, and create, change,
 * delete what the member may), `admin` (write, and the routes declaring `api.scope: 'admin'`).
 * Cookie sessions are not limited by scope.
 */
export const TOKEN_SCOPES = ['read', 'write', 'admin'] as const;
export type TokenScope = (typeof TOKEN_SCOPES)[number];

export const isTokenScope = oneOf(TOKEN_SCOPES);

/** Whether a token of scope `held` may use a route needing `needed`. */
export const scopeCovers = (held: TokenScope, needed: TokenScope): boolean => TOKEN_SCOPES.indexOf(held) >= TOKEN_SCOPES.indexOf(needed);

/** The token a request authenticated with. */
export interface ResolvedToken {
  id: number;
  userId: number;
  scope: TokenScope;
}

export interface ApiTokenInfo {
  id: number;
  name: string;
  scope: TokenScope;
  prefix: string;
  createdAt: number;
  lastUsedAt: number | null;
}

/** A token made through a form: its `token` is null when a double submit found it made already (its secret was shown to the first). */
export interface FormToken {
  id: number;
  name: string;
  token: string | null;
}

const TOUCH_EVERY_MS = 60_000;
const FORM_NONCE = /^[A-Za-z0-9_-]{16,64}$/;

/** A fresh nonce for one rendering of a token form (its hidden `formNonce` field). */
export const formNonce = (): string => randomToken(18);
export const TOKEN_NAME_MAX = 100;

/** Revokes every live token of a member (inside the caller's transaction when given one). */
export async function revokeApiTokens(db: Knex, userId: number): Promise<number> {
  return Number(await db('api_tokens').where({ user_id: userId }).whereNull('revoked_at').update({ revoked_at: Date.now() }));
}

export class ApiTokens {
  constructor(private readonly db: Knex) {}

  /** Creates a token; the returned `token` is the only time it is visible. */
  async create(
    userId: number,
    name: string,
    scope: TokenScope = 'write',
    trx: Knex = this.db,
    nonce: string | null = null,
  ): Promise<{ id: number; token: string }> {
    const prefix = randomToken(6).replace(/[-_]/g, 'x').slice(0, 8);
    const token = `ruche_${prefix}_${randomToken(32)}`;
    const [row] = await trx('api_tokens')
      .insert({
        user_id: userId,
        name: name.trim().slice(0, TOKEN_NAME_MAX),
        token_hash: sha256(token),
        prefix,
        scope,
        created_at: Date.now(),
        form_nonce: nonce,
      })
      .returning('id');
    return { id: Number(typeof row === 'object' ? row.id : row), token };
  }

  /**
   * Creates a token from a form whose `nonce` (its hidden `formNonce` field) is stored with it,
   * unique per member, with what goes with it (`record`: the audit entry) in one transaction.
   * A second submit of the same form — at once or later — creates nothing and answers the
   * token the first made, without its secret (`token: null`): a secret is shown once. A
   * missing or malformed nonce creates a token as `create` does.
   */
  async createOnce(
    userId: number,
    name: string,
    scope: TokenScope,
    nonce: string,
    record?: (trx: Knex.Transaction, tokenId: number) => Promise<void>,
  ): Promise<FormToken> {
    const key = FORM_NONCE.test(nonce) ? nonce : null;
    const made = async (): Promise<FormToken | undefined> => {
      const row = key ? await this.db('api_tokens').where({ user_id: userId, form_nonce: key }).first('id', 'name') : undefined;
      return row ? { id: Number(row.id), name: row.name as string, token: null } : undefined;
    };
    const first = await made();
    if (first) return first;
    try {
      return await this.db.transaction(async (trx) => {
        const created = await this.create(userId, name, scope, trx, key);
        await record?.(trx, created.id);
        return { ...created, name: name.trim().slice(0, TOKEN_NAME_MAX) };
      });
    } catch (e) {
      // The same form submitted at the same time: the other submit's token is committed now.
      const other = key && isUniqueViolation(e) ? await made() : undefined;
      if (!other) throw e;
      return other;
    }
  }

  async list(userId: number): Promise<ApiTokenInfo[]> {
    const rows: { id: number; name: string; scope: TokenScope; prefix: string; created_at: number; last_used_at: number | null }[] = await this.db(
      'api_tokens',
    )
      .where({ user_id: userId })
      .whereNull('revoked_at')
      .orderBy('id', 'desc')
      .select('id', 'name', 'scope', 'prefix', 'created_at', 'last_used_at');
    return rows.map((r) => ({
      id: Number(r.id),
      name: r.name,
      scope: r.scope,
      prefix: r.prefix,
      createdAt: Number(r.created_at),
      lastUsedAt: r.last_used_at === null ? null : Number(r.last_used_at),
    }));
  }

  /** Revokes one of the member's own tokens (inside `trx` when given); false when there is no such live token. */
  async revoke(userId: number, id: number, trx: Knex = this.db): Promise<boolean> {
    const n = await trx('api_tokens').where({ id, user_id: userId }).whereNull('revoked_at').update({ revoked_at: Date.now() });
    return Number(n) > 0;
  }

  /** The token (its member and scope), or null when unknown or revoked. */
  async resolve(token: string): Promise<ResolvedToken | null> {
    if (!/^ruche_[A-Za-z0-9]{8}_[A-Za-z0-9_-]{20,100}$/.test(token)) return null;
    const hash = sha256(token);
    const row: { id: number; user_id: number; scope: TokenScope; last_used_at: number | null } | undefined = await this.db('api_tokens')
      .where({ token_hash: hash })
      .whereNull('revoked_at')
      .first('id', 'user_id', 'scope', 'last_used_at');
    if (!row) return null;
    const now = Date.now();
    if (!row.last_used_at || now - Number(row.last_used_at) > TOUCH_EVERY_MS)
      await this.db('api_tokens').where({ id: row.id }).update({ last_used_at: now });
    return { id: Number(row.id), userId: Number(row.user_id), scope: isTokenScope(row.scope) ? row.scope : 'read' };
  }
}
