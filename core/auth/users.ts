/**
 * Member accounts: creation with validation, look-up, and the viewer (a member with their
 * roles). Usernames and emails are unique case-insensitively; emails are normalised.
 */
import type { Knex } from 'knex';
import type { HookBus } from '../hooks/bus';
import { isUniqueViolation } from '../db/errors';
import { idList, perDialect, preparedRead } from '../db/statements';
import { absentAccountHash, hashPassword, PASSWORD_PARAMS, passwordProblem, verifyPassword, type PasswordParams } from './passwords';
import { revokeApiTokens } from './api-tokens';
import { isBanned } from '../members/bans';
import { endAllSessions } from './sign-out';
import type { PubSub } from '../realtime/pubsub';
import { isTimeZone } from '../time-zones';
import { BOT_KIND, PERSON_KIND, type Role, type Viewer } from './viewer';

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

export interface UserRow {
  id: number;
  username: string;
  email: string;
  display_name: string;
  password_hash: string | null;
  locale: string | null;
  status: Viewer['status'];
  is_root_admin: boolean | number;
  email_verified_at?: number | null;
  approval_requested_at?: number | null;
}

const USERNAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]{1,30}[a-zA-Z0-9]$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Format rules, usable without a database (the CLI checks flags before writing anything). */
export const isValidUsername = (username: string): boolean => USERNAME.test(username.trim());
export const isValidEmail = (email: string): boolean => {
  const e = normaliseEmail(email);
  return EMAIL.test(e) && e.length <= 254;
};

export const normaliseEmail = (email: string): string => email.trim().toLowerCase();

/** Who an account is, for pages and messages: names, photo, state, since when. */
export interface UserSummary {
  id: number;
  username: string;
  display_name: string;
  /** Their avatar photo (core/content/people.ts), null without one. */
  photo_key: string | null;
  status: Viewer['status'];
  created_at: number;
  /** A service account (core/members/bots.ts). */
  is_bot: boolean;
}

const SUMMARY_COLUMNS = ['id', 'username', 'display_name', 'photo_key', 'status', 'created_at', 'kind'] as const;

/** An account by username (every profile page looks its member up); kept prepared. */
const BY_USERNAME = preparedRead<Record<string, unknown>>(`select ${SUMMARY_COLUMNS.join(', ')} from users where username_lower = ? limit 1`);

/** What lists show of a person: names, photo and state (core/content/people.ts builds cards from it). */
export interface PersonRow {
  id: number;
  username: string;
  display_name: string;
  photo_key: string | null;
  status: Viewer['status'];
  /** `person`, or `bot` for a service account (core/members/bots.ts). */
  kind?: string;
}

/** People by id (feeds, cards, conversations): kept prepared, one text for any number of ids. */
const PEOPLE = preparedRead<PersonRow>(
  perDialect((ids) => `select id, username, display_name, photo_key, status, kind from users where ${ids('id')}`),
);

const summary = (row: Record<string, unknown> | undefined): UserSummary | undefined =>
  row
    ? {
        id: Number(row.id),
        username: String(row.username),
        display_name: String(row.display_name),
        photo_key: (row.photo_key as string | null | undefined) ?? null,
        status: row.status as Viewer['status'],
        created_at: Number(row.created_at),
        is_bot: row.kind === BOT_KIND,
      }
    : undefined;

export class Users {
  constructor(
    private readonly db: Knex,
    private readonly rootNetworkId: number,
    private readonly pubsub: Pick<PubSub, 'publish'>,
    private readonly hooks?: HookBus,
    /** scrypt's parameters for new hashes (config `passwords.cost`). */
    readonly passwordParams: PasswordParams = PASSWORD_PARAMS,
  ) {}

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
    if (!errors.username && (await this.db('users').where({ username_lower: username.toLowerCase() }).first('id'))) {
      errors.username = { key: 'core.user.error.usernameTaken' };
    }
    if (!errors.email && (await this.emailTaken(email))) {
      errors.email = { key: 'core.user.error.emailTaken' };
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

  /** An account's names and state by id, or undefined. */
  async byId(userId: number): Promise<UserSummary | undefined> {
    return summary(
      await this.db('users')
        .where({ id: userId })
        .first(...SUMMARY_COLUMNS),
    );
  }

  /** An account's names and state by username (any case), or undefined. */
  async byUsername(username: string): Promise<UserSummary | undefined> {
    return summary(await BY_USERNAME.first(this.db, [username.toLowerCase()]));
  }

  /** An active member of `networkId` by username, or undefined. */
  async activeMember(networkId: number, username: string): Promise<UserSummary | undefined> {
    const row = await this.db('users as u')
      .join('memberships as m', 'm.user_id', 'u.id')
      .where({ 'u.username_lower': username.toLowerCase(), 'm.network_id': networkId, 'u.status': 'active' })
      .first(...SUMMARY_COLUMNS.map((c) => `u.${c}`));
    return summary(row);
  }

  /** The names, photos and states of the given accounts (unknown ids left out), in one statement. */
  async people(userIds: readonly number[]): Promise<PersonRow[]> {
    if (!userIds.length) return [];
    const rows = await PEOPLE.all(this.db, [idList(userIds)]);
    return rows.map((r) => ({ ...r, id: Number(r.id) }));
  }

  /** Whether an account already uses this (normalised) address. */
  async emailTaken(email: string): Promise<boolean> {
    return !!(await this.db('users').where({ email_lower: email }).first('id'));
  }

  /** Whether `password` is the member's current password ('' never is). */
  async passwordMatches(userId: number, password: string): Promise<boolean> {
    if (!password) return false;
    const row = await this.db('users').where({ id: userId }).first('password_hash');
    return verifyPassword(password, row?.password_hash);
  }

  async findByLogin(login: string): Promise<UserRow | undefined> {
    const value = login.trim().toLowerCase();
    if (!value) return undefined;
    // A bot never signs in: no form finds it (core/members/bots.ts).
    return this.db<UserRow>('users')
      .where(value.includes('@') ? 'email_lower' : 'username_lower', value)
      .where('kind', PERSON_KIND)
      .first(
        'id',
        'username',
        'email',
        'display_name',
        'password_hash',
        'locale',
        'status',
        'is_root_admin',
        'email_verified_at',
        'approval_requested_at',
      );
  }

  /** The member with their roles, or undefined when the account does not exist. */
  async viewer(userId: number): Promise<Viewer | undefined> {
    const rows = (await this.db('users as u')
      .leftJoin('memberships as m', 'm.user_id', 'u.id')
      .where('u.id', userId)
      .select(...VIEWER_COLUMNS)) as ViewerRow[];
    const viewer = viewerFromRows(rows);
    if (viewer?.isBot) viewer.containers = await botContainers(this.db, viewer.id);
    return viewer;
  }

  /**
   * What decides these members' access now — status, root rights, role per network and a bot's
   * groups — for what holds a viewer longer than a request: an open socket re-reads its member's
   * standing, which another process or the CLI may have changed. Two reads on their keys, the
   * least columns (a round of a busy chat asks it for every socket), and two more per bot; an
   * account that does not exist is missing.
   */
  async standings(userIds: readonly number[]): Promise<Map<number, Pick<Viewer, 'status' | 'isRootAdmin' | 'roles' | 'containers'>>> {
    const out = new Map<number, Pick<Viewer, 'status' | 'isRootAdmin' | 'roles' | 'containers'>>();
    const ids = [...new Set(userIds)];
    for (let i = 0; i < ids.length; i += 500) {
      const chunk = ids.slice(i, i + 500);
      const [users, memberships] = (await Promise.all([
        this.db('users').whereIn('id', chunk).select('id', 'status', 'is_root_admin', 'kind'),
        this.db('memberships').whereIn('user_id', chunk).select('user_id', 'network_id', 'role'),
      ])) as [
        { id: number; status: Viewer['status']; is_root_admin: boolean | number; kind: string }[],
        { user_id: number; network_id: number; role: Role }[],
      ];
      for (const u of users) out.set(Number(u.id), { status: u.status, isRootAdmin: !!u.is_root_admin, roles: {} });
      for (const m of memberships) {
        const standing = out.get(Number(m.user_id));
        if (standing) standing.roles[Number(m.network_id)] = m.role;
      }
      // A bot's groups change on its admin page: its socket acts in those it has now.
      for (const u of users) if (u.kind === BOT_KIND) out.get(Number(u.id))!.containers = await botContainers(this.db, Number(u.id));
    }
    return out;
  }

  async countRootAdmins(): Promise<number> {
    const row = await this.db('users').where({ is_root_admin: true }).count<{ n: number | string }[]>('id as n').first();
    return Number(row?.n ?? 0);
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

  /** `users.kind` of an account: `person`, or `bot` for a service account; undefined when unknown. */
  async kind(userId: number): Promise<string | undefined> {
    const row = (await this.db('users').where({ id: userId }).first('kind')) as { kind: string } | undefined;
    return row?.kind;
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

  /** The member's chosen time zone, or null. */
  async timeZone(userId: number): Promise<string | null> {
    const row = (await this.db('users').where({ id: userId }).first('time_zone')) as { time_zone: string | null } | undefined;
    return isTimeZone(row?.time_zone) ? row.time_zone : null;
  }
}

/** The containers a bot scoped to groups acts in (core/members/bots.ts), or null when its scope is wider. */
async function botContainers(db: Knex, userId: number): Promise<number[] | null> {
  const bot = (await db('bots').where({ user_id: userId }).first('scope')) as { scope: string } | undefined;
  if (bot?.scope !== 'groups') return null;
  return (await db('container_members').where({ user_id: userId }).pluck('container_id')).map(Number);
}

/** The columns `viewerFromRows` reads: a member and one of their memberships per row. */
export const VIEWER_COLUMNS = [
  'u.id',
  'u.username',
  'u.email',
  'u.display_name',
  'u.locale',
  'u.status',
  'u.is_root_admin',
  'u.photo_key',
  'u.time_zone',
  'u.kind',
  'm.network_id',
  'm.role',
] as const;

export interface ViewerRow {
  id: number;
  username: string;
  email: string;
  display_name: string;
  locale: string | null;
  status: Viewer['status'];
  is_root_admin: boolean | number;
  photo_key: string | null;
  time_zone: string | null;
  kind?: string;
  network_id: number | null;
  role: Role | null;
}

/** A Viewer from the rows of users ⟕ memberships for one member (undefined when none). */
export function viewerFromRows(rows: readonly ViewerRow[]): Viewer | undefined {
  const user = rows[0];
  if (!user) return undefined;
  const roles: Record<number, Role> = {};
  for (const r of rows) if (r.network_id !== null && r.role !== null) roles[Number(r.network_id)] = r.role;
  return {
    id: Number(user.id),
    username: user.username,
    displayName: user.display_name,
    email: user.email,
    locale: user.locale,
    status: user.status,
    isRootAdmin: !!user.is_root_admin,
    photoKey: user.photo_key ?? null,
    timeZone: user.time_zone ?? null,
    roles,
    ...(user.kind === BOT_KIND ? { isBot: true } : {}),
  };
}
