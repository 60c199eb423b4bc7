/**
 * The members console's reading side: the members of one network, searched and filtered
 * (name, username or address; role; status; join date; last activity; a profile value), newest members
 * first with keyset paging; and one member as the console shows them (their role here,
 * status, suspension, the networks their account reaches, their sessions).
 */
import type { Knex } from 'knex';
import { instantOf, likeContains, PERSON_KIND, ROLES, type Role } from '../../../core';

export const MEMBER_STATUSES = ['active', 'suspended', 'pending'] as const;
/** Last activity: within the last 7, 30 or 90 days; not in 90 days; never. */
export const ACTIVITY_FILTERS = ['7', '30', '90', 'idle90', 'never'] as const;
export const MEMBERS_PAGE_SIZE = 50;
const DAY = 86_400_000;

/** The filters as typed in the form (query parameters). */
export interface MemberFilterValues {
  q: string;
  role: string;
  status: string;
  joinedFrom: string;
  joinedTo: string;
  active: string;
  /** A profile field (a key of `profiles:audienceFields`) and the value it must hold. */
  field: string;
  value: string;
  after: string;
}

export interface MemberFilters {
  q?: string;
  role?: Role;
  status?: (typeof MEMBER_STATUSES)[number];
  joinedFrom?: number;
  joinedTo?: number;
  active?: (typeof ACTIVITY_FILTERS)[number];
  /** Only these members (those holding a profile value, from the profiles plugin). */
  userIds?: readonly number[];
  /** Keyset: members who joined before this one (join time, then id). */
  after?: { joinedAt: number; id: number };
}

export interface MemberListRow {
  id: number;
  username: string;
  displayName: string;
  email: string;
  role: Role;
  status: string;
  joinedAt: number;
  lastActiveAt: number | null;
}

export interface MemberDetail extends MemberListRow {
  isRootAdmin: boolean;
  suspensionReason: string | null;
  suspendedUntil: number | null;
  /** Every network the account belongs to (its scope, core Scopes.ofAccount). */
  networkIds: number[];
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A YYYY-MM-DD day's start in `zone` (ms), or undefined when it is not a date. */
export function dayStart(raw: string, zone: string): number | undefined {
  const m = DATE.exec(raw.trim());
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const check = new Date(Date.UTC(y, mo - 1, d));
  if (check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d) return undefined;
  return instantOf(zone, y, mo, d);
}

/** Reads the filters typed in the form; a bad one is named by its field (i18n key). */
export function parseFilters(values: MemberFilterValues, zone: string): { filters: MemberFilters; errors: Record<string, string> } {
  const filters: MemberFilters = {};
  const errors: Record<string, string> = {};
  const q = values.q.trim().slice(0, 100);
  if (q) filters.q = q;
  if ((ROLES as readonly string[]).includes(values.role)) filters.role = values.role as Role;
  if ((MEMBER_STATUSES as readonly string[]).includes(values.status)) filters.status = values.status as MemberFilters['status'];
  if ((ACTIVITY_FILTERS as readonly string[]).includes(values.active)) filters.active = values.active as MemberFilters['active'];
  for (const [key, name] of [
    ['joinedFrom', 'joinedFrom'],
    ['joinedTo', 'joinedTo'],
  ] as const) {
    if (!values[key].trim()) continue;
    const at = dayStart(values[key], zone);
    if (at === undefined) errors[name] = 'admin.members.error.date';
    else filters[key] = key === 'joinedTo' ? at + DAY : at;
  }
  if (filters.joinedFrom !== undefined && filters.joinedTo !== undefined && filters.joinedTo <= filters.joinedFrom) {
    errors.joinedTo = 'admin.members.error.order';
  }
  const cursor = /^(\d{1,15})\.(\d{1,12})$/.exec(values.after);
  if (cursor) filters.after = { joinedAt: Number(cursor[1]), id: Number(cursor[2]) };
  return { filters, errors };
}

const toRow = (r: Record<string, unknown>): MemberListRow => ({
  id: Number(r.id),
  username: String(r.username),
  displayName: String(r.display_name),
  email: String(r.email),
  role: r.role as Role,
  status: String(r.status),
  joinedAt: Number(r.joined_at),
  lastActiveAt: r.last_active_at === null || r.last_active_at === undefined ? null : Number(r.last_active_at),
});

const COLUMNS = ['u.id', 'u.username', 'u.display_name', 'u.email', 'm.role', 'u.status', 'm.created_at as joined_at', 'u.last_active_at'];

export class MembersDirectory {
  constructor(private readonly db: Knex) {}

  /** One page of the network's members matching `filters`, and the cursor of the next page. */
  async page(networkId: number, filters: MemberFilters, now = Date.now()): Promise<{ rows: MemberListRow[]; next?: string }> {
    // People only: bots (core `users.kind`) are managed on their own page (Admin → Bots).
    const q = this.db('memberships as m').join('users as u', 'u.id', 'm.user_id').where({ 'm.network_id': networkId, 'u.kind': PERSON_KIND });
    if (filters.q) {
      const like = likeContains(filters.q.toLowerCase());
      q.where((w) =>
        w.where('u.username_lower', 'like', like).orWhere('u.email_lower', 'like', like).orWhereRaw('lower(u.display_name) like ?', [like]),
      );
    }
    if (filters.userIds) q.whereIn('u.id', [...filters.userIds]);
    if (filters.role) q.where('m.role', filters.role);
    if (filters.status) q.where('u.status', filters.status);
    if (filters.joinedFrom !== undefined) q.where('m.created_at', '>=', filters.joinedFrom);
    if (filters.joinedTo !== undefined) q.where('m.created_at', '<', filters.joinedTo);
    if (filters.active === 'never') q.whereNull('u.last_active_at');
    else if (filters.active === 'idle90') q.where((w) => w.whereNull('u.last_active_at').orWhere('u.last_active_at', '<', now - 90 * DAY));
    else if (filters.active) q.where('u.last_active_at', '>=', now - Number(filters.active) * DAY);
    if (filters.after) {
      const { joinedAt, id } = filters.after;
      q.where((w) => w.where('m.created_at', '<', joinedAt).orWhere((x) => x.where('m.created_at', joinedAt).where('u.id', '<', id)));
    }
    const raw = (await q
      .orderBy('m.created_at', 'desc')
      .orderBy('u.id', 'desc')
      .limit(MEMBERS_PAGE_SIZE + 1)
      .select(...COLUMNS)) as Record<string, unknown>[];
    const rows = raw.slice(0, MEMBERS_PAGE_SIZE).map(toRow);
    const last = rows[rows.length - 1];
    return { rows, next: raw.length > MEMBERS_PAGE_SIZE ? `${last.joinedAt}.${last.id}` : undefined };
  }

  /** A member of this network as the console shows them, or undefined when not a member here. */
  async member(networkId: number, userId: number): Promise<MemberDetail | undefined> {
    if (!Number.isSafeInteger(userId) || userId <= 0) return undefined;
    const row = (await this.db('memberships as m')
      .join('users as u', 'u.id', 'm.user_id')
      .where({ 'm.network_id': networkId, 'u.id': userId, 'u.kind': PERSON_KIND })
      .first(...COLUMNS, 'u.is_root_admin', 'u.suspension_reason', 'u.suspended_until')) as Record<string, unknown> | undefined;
    if (!row) return undefined;
    const networks = (await this.db('memberships').where({ user_id: userId }).select('network_id')) as { network_id: number }[];
    return {
      ...toRow(row),
      isRootAdmin: !!row.is_root_admin,
      suspensionReason: (row.suspension_reason as string | null) ?? null,
      suspendedUntil: row.suspended_until === null || row.suspended_until === undefined ? null : Number(row.suspended_until),
      networkIds: networks.map((n) => Number(n.network_id)),
    };
  }
}
