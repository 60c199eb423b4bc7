/**
 * Member accounts: creation with validation, passwords, roles and status; the look-ups (and the
 * viewer: a member with their roles) are in user-lookups.ts, which `Users` extends. Usernames
 * and emails are unique case-insensitively; emails are normalised.
 */
import type { Knex } from 'knex';
import type { HookBus } from '../hooks/bus';
import { isUniqueViolation } from '../db/errors';
import { absentAccountHash, hashPassword, PASSWORD_PARAMS, passwordProblem, verifyPassword, type PasswordParams } from './passwords';
import { revokeApiTokens } from './api-tokens';
import { isBanned } from '../members/bans';
import { endAllSessions } from './sign-out';
import type { PubSub } from '../realtime/pubsub';
import { isTimeZone } from '../time-zones';
import { BOT_KIND, type Role, type Viewer } from './viewer';
import { UserLookups, type UserRow } from './user-lookups';

export interface NewUser {
  username: string;
  email: string;
  displayName?: string;
  /** null: the account signs in through an identity provider only (core/auth/external-accounts.ts). */
  password: string | null;
  locale?: string | null;
  isRootAdmin?: boolean;
  emailVerified?: boolean;
  /** The network the account joins (default: the root network; an isolated sub-network for its own registrations). */
  networkId?: number;
}

/** Field → i18n message key (with params), for re-rendering forms. */
export type FieldErrors = Record<string, { key: string; params?: Record<string, unknown> }>;

const USERNAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]{1,30}[a-zA-Z0-9]$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Format rules, usable without a database (the CLI checks flags before writing anything). */
export const isValidUsername = (username: string): boolean => USERNAME.test(username.trim());
export const isValidEmail = (email: string): boolean => {
  const e = normaliseEmail(email);
  return EMAIL.test(e) && e.length <= 254;
};

export const normaliseEmail = (email: string): string => email.trim().toLowerCase();

export class Users extends UserLookups {
  constructor(
    db: Knex,
    private readonly rootNetworkId: number,
    private readonly pubsub: Pick<PubSub, 'publish'>,
    private readonly hooks?: HookBus,
    /** scrypt's parameters for new hashes (config `passwords.cost`). */
    readonly passwordParams: PasswordParams = PASSWORD_PARAMS,
  ) {
    super(db);
  }

  /** Hashes a password with this installation's parameters. */
  hashPassword(password: string): Promise<string> {
    return hashPassword(password, this.passwordParams);
  }

  /**
   * Checks a password against a stored hash; without one (no such account) it checks against
   * a hash of nothing with today's parameters, so the answer takes as long either way.
   */
  checkPassword(password: string, stored: string | null | undefined): Promise<boolean> {
    return verifyPassword(password, stored ?? absentAccountHash(this.passwordParams));
  }

  /** Checks the fields of a new account (format, strength, uniqueness). */
  async validate(input: Partial<NewUser>): Promise<FieldErrors> {
    const errors: FieldErrors = {};
    const username = (input.username ?? '').trim();
    const email = normaliseEmail(input.email ?? '');
    if (!username) errors.username = { key: 'core.user.error.usernameRequired' };
    else if (!isValidUsername(username)) errors.username = { key: 'core.user.error.usernameFormat' };
    if (!email) errors.email = { key: 'core.user.error.emailRequired' };
    else if (!isValidEmail(email)) errors.email = { key: 'core.user.error.emailFormat' };
    if ((input.displayName ?? '').length > 200) errors.displayName = { key: 'core.user.error.displayNameTooLong' };
    const problem = input.password === null ? undefined : passwordProblem(input.password ?? '', [username, email.split('@')[0]]);
    if (problem) errors.password = { key: problem };
    // Both read in one statement: read one after the other, an account committed between the two
    // reads would show its address taken and not its name (a simultaneous registration then told
    // "a mail was sent" where the others are told the name is taken).
    const byName = errors.username ? undefined : username.toLowerCase();
    const byEmail = errors.email ? undefined : email;
    if (byName !== undefined || byEmail !== undefined) {
      const rows = (await this.db('users')
        .where((q) => {
          if (byName !== undefined) q.orWhere({ username_lower: byName });
          if (byEmail !== undefined) q.orWhere({ email_lower: byEmail });
        })
        .limit(2)
        .select('username_lower', 'email_lower')) as { username_lower: string; email_lower: string }[];
      if (byName !== undefined && rows.some((r) => r.username_lower === byName)) errors.username = { key: 'core.user.error.usernameTaken' };
      if (byEmail !== undefined && rows.some((r) => r.email_lower === byEmail)) errors.email = { key: 'core.user.error.emailTaken' };
    }
    return errors;
  }

  /**
   * Creates a member of the root network — or of `input.networkId` only (an isolated
   * sub-network) — with `role` there. Returns field errors instead when invalid.
   */
  async create(input: NewUser, role: Role = 'member'): Promise<{ id: number } | { errors: FieldErrors }> {
    const errors = await this.validate(input);
    if (Object.keys(errors).length) return { errors };
    const username = input.username.trim();
    const email = normaliseEmail(input.email);
    const now = Date.now();
    const passwordHash = input.password === null ? null : await this.hashPassword(input.password);
    const networkId = input.networkId ?? this.rootNetworkId;
    let id: number;
    try {
      id = await this.insert(input, role, username, email, passwordHash, networkId, now);
    } catch (e) {
      // A simultaneous registration took the username or address after the check above:
      // answer as the check answers now (the field is taken), never a 500.
      if (!isUniqueViolation(e)) throw e;
      const taken = await this.validate(input);
      if (!Object.keys(taken).length) throw e;
      return { errors: taken };
    }
    await this.hooks?.emit('user:created', { userId: id, networkId });
    return { id };
  }

  private insert(
    input: NewUser,
    role: Role,
    username: string,
    email: string,
    passwordHash: string | null,
    networkId: number,
    now: number,
  ): Promise<number> {
    return this.db.transaction(async (trx) => {
      const [row] = await trx('users')
        .insert({
          username,
          username_lower: username.toLowerCase(),
          email,
          email_lower: email,
          display_name: (input.displayName ?? '').trim() || username,
          password_hash: passwordHash,
          locale: input.locale ?? null,
          status: 'active',
          is_root_admin: input.isRootAdmin ?? false,
          email_verified_at: input.emailVerified ? now : null,
          created_at: now,
          updated_at: now,
        })
        .returning('id');
      const userId = Number(typeof row === 'object' ? row.id : row);
      await trx('memberships').insert({ user_id: userId, network_id: networkId, role, created_at: now });
      return userId;
    });
  }

  /** Whether `password` is the member's current password ('' never is). */
  async passwordMatches(userId: number, password: string): Promise<boolean> {
    if (!password) return false;
    const row = await this.db('users').where({ id: userId }).first('password_hash');
    return verifyPassword(password, row?.password_hash);
  }

  /**
   * Sets the member's role in a network (adding the membership when missing); false, and
   * nothing changed, when they are banned from it (core/members/bans.ts).
   */
  async setRole(userId: number, networkId: number, role: Role): Promise<boolean> {
    if (await isBanned(this.db, userId, networkId)) return false;
    if (role !== 'member' && (await this.kind(userId)) === BOT_KIND) return false; // a bot is never admin or moderator

    const current = (await this.db('memberships').where({ user_id: userId, network_id: networkId }).first('role')) as { role: Role } | undefined;
    if (current?.role === role) return true; // nothing changes: the member stays signed in
    // Privileges changed: sign in again (the sockets opened with the old ones close too).
    await endAllSessions(this.db, this.pubsub, userId, (trx) =>
      trx('memberships')
        .insert({ user_id: userId, network_id: networkId, role, created_at: Date.now() })
        .onConflict(['user_id', 'network_id'])
        .merge(['role']),
    );
    return true;
  }

  /** Takes the member out of a network (their sessions end and their open sockets close: privileges changed). */
  async removeMembership(userId: number, networkId: number): Promise<void> {
    await endAllSessions(this.db, this.pubsub, userId, (trx) => trx('memberships').where({ user_id: userId, network_id: networkId }).delete());
  }

  /**
   * Suspends or deactivates (ending every session and closing every open socket at once) or
   * reactivates a member.
   */
  async setStatus(userId: number, status: Viewer['status']): Promise<void> {
    if (status === 'active') {
      await this.db('users').where({ id: userId }).update({ status, updated_at: Date.now() });
      return;
    }
    await endAllSessions(this.db, this.pubsub, userId, (trx) => trx('users').where({ id: userId }).update({ status, updated_at: Date.now() }));
  }

  /**
   * Sets a new password after checking its strength; ends the member's sessions except
   * `keepSessionId` (the one making the change) and revokes every API token they hold (a
   * token taken with the old password must not outlive it). Every way a password is set
   * goes through here: the account page, a reset link, `ruche user reset-password`.
   * Returns an i18n key when refused.
   */
  async setPassword(userId: number, password: string, keepSessionId?: string): Promise<string | undefined> {
    const user = await this.db<UserRow>('users').where({ id: userId }).first('username', 'email');
    if (!user) return 'core.user.error.unknown';
    const problem = passwordProblem(password, [user.username, user.email.split('@')[0]]);
    if (problem) return problem;
    const hash = await this.hashPassword(password);
    await this.db.transaction(async (trx) => {
      await trx('users').where({ id: userId }).update({ password_hash: hash, updated_at: Date.now() });
      const q = trx('sessions').where({ user_id: userId });
      if (keepSessionId) q.whereNot({ id: keepSessionId });
      await q.delete();
      await revokeApiTokens(trx, userId);
    });
    return undefined;
  }

  /** "Sign out everywhere": ends every session of the member, revokes every API token and closes every open socket. */
  async signOutEverywhere(userId: number): Promise<void> {
    await endAllSessions(this.db, this.pubsub, userId, (trx) => revokeApiTokens(trx, userId));
  }

  async setLocale(userId: number, locale: string | null): Promise<void> {
    await this.db('users').where({ id: userId }).update({ locale, updated_at: Date.now() });
  }

  /** The member's time zone (core/time-zones.ts), null to follow their browser again. */
  async setTimeZone(userId: number, zone: string | null): Promise<void> {
    if (zone !== null && !isTimeZone(zone)) throw new Error(`not a time zone: ${zone}`);
    await this.db('users').where({ id: userId }).update({ time_zone: zone, updated_at: Date.now() });
  }
}
