/**
 * Looking accounts up: by id, username or login, the names and photos lists show, the viewer (a
 * member with their roles) and the standing an open socket re-reads. The reads of `Users`
 * (users.ts), which adds the writes.
 */
import type { Knex } from 'knex';
import { idList, perDialect, preparedRead } from '../db/statements';
import { isTimeZone } from '../time-zones';
import { BOT_KIND, PERSON_KIND, type Role, type Viewer } from './viewer';

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

export class UserLookups {
  constructor(protected readonly db: Knex) {}

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

  /** `users.kind` of an account: `person`, or `bot` for a service account; undefined when unknown. */
  async kind(userId: number): Promise<string | undefined> {
    const row = (await this.db('users').where({ id: userId }).first('kind')) as { kind: string } | undefined;
    return row?.kind;
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
