/**
 * The lists: the directory (search, category, pages), "my groups" (memberships, my
 * invitations, my requests), a group's members, and the pending requests of a group.
 * Every list of groups goes through the core access clause on the group entities.
 */
import type { Knex } from 'knex';
import {
  KeptBuilds,
  keysetCursor,
  keysetOrder,
  keysetPageOf,
  keysetQuery,
  likeContains,
  preparedRead,
  readPage,
  type AccessFacts,
  type KeysetCursor,
  type KeysetPage,
  type Runtime,
  type Viewer,
} from '../../core';
import { MEMBER_COUNTS } from './member-counts';
import { GROUP } from './service';

export const PAGE_SIZE = 20;

export interface Page<T> {
  items: T[];
  page: number;
  pages: number;
  total: number;
}

export interface GroupListItem {
  id: number;
  name: string;
  handle: string;
  description_html: string;
  description: string;
  cover_key: string | null;
  category: 'business' | 'social';
  visibility: 'open' | 'closed' | 'secret';
  archived_at: number | null;
  members: number;
}

const FIELDS = ['e.id', 'g.name', 'g.handle', 'g.description', 'g.description_html', 'g.cover_key', 'g.category', 'g.visibility', 'g.archived_at'];
/** A listed group's columns with its active members (from the counts the database keeps). */
const COLUMNS = [...FIELDS, 'gmc.members'];

function toItem(r: Record<string, unknown>): GroupListItem {
  return {
    id: Number(r.id),
    name: String(r.name),
    handle: String(r.handle),
    description: String(r.description ?? ''),
    description_html: String(r.description_html ?? ''),
    cover_key: (r.cover_key as string | null) ?? null,
    category: r.category as GroupListItem['category'],
    visibility: r.visibility as GroupListItem['visibility'],
    archived_at: r.archived_at === null || r.archived_at === undefined ? null : Number(r.archived_at),
    members: Number(r.members ?? 0),
  };
}

/** The group entities (`e`) of a network this viewer may know about. */
function visibleGroupEntities(rt: Runtime, viewer: Viewer | null, networkId: number): Knex.QueryBuilder {
  return rt.db('entities as e').where('e.type', GROUP).where('e.network_id', networkId).modify(rt.access.visibleTo(viewer, 'e'));
}

/** The directory's order: by name, the id breaking ties; the kinds of its cursor's parts. */
export const DIRECTORY_CURSOR = ['text', 'int'] as const;
const DIRECTORY_ORDER = keysetOrder(DIRECTORY_CURSOR, [{ sql: 'g.name_lower' }, { sql: 'g.entity_id' }], (r: Record<string, unknown>) => [
  String(r.name_lower),
  Number(r.id),
]);

/** Groups of a network this viewer may know about, with their `groups` row (`g`). */
export function visibleGroups(rt: Runtime, viewer: Viewer | null, networkId: number): Knex.QueryBuilder {
  return visibleGroupEntities(rt, viewer, networkId).join('groups as g', 'g.entity_id', 'e.id');
}

/** The directory's texts kept built, by viewer facts, network, filters and page. */
const DIRECTORY = new KeptBuilds(512);
/** Longest key of a kept text; a longer one (a member of very many groups) is built on each call. */
const MAX_KEY = 4096;

export async function directory(
  rt: Runtime,
  viewer: Viewer | null,
  networkId: number,
  opts: { q?: string; category?: string; page?: number; after?: readonly [string, number]; before?: readonly [string, number]; limit?: number },
): Promise<Page<GroupListItem> & KeysetPage<GroupListItem>> {
  const q = (opts.q ?? '').trim().slice(0, 100);
  const filters = (qb: Knex.QueryBuilder): Knex.QueryBuilder => {
    if (q) {
      const pattern = likeContains(q);
      qb.where((w) => w.whereRaw("g.name_lower like ? escape '\\'", [pattern]).orWhereRaw("lower(g.description) like ? escape '\\'", [pattern]));
    }
    if (opts.category) qb.where('g.category', opts.category);
    return qb;
  };
  // Without a search the total is read from entities alone (an index covers it).
  const counted = () => (q || opts.category ? filters(visibleGroups(rt, viewer, networkId)) : visibleGroupEntities(rt, viewer, networkId));
  // Both texts are kept by what the builder reads (the viewer's access facts, the network, the
  // filters, the page asked for): a directory page no longer pays knex's build (issue 18).
  const key = JSON.stringify([rt.access.visibilityKey(viewer), networkId, q, opts.category ?? null]);
  const kept = key.length <= MAX_KEY ? key : null;
  const [countRow] = await DIRECTORY.read<{ n?: unknown }>(rt.db, kept && `count ${kept}`, () => counted().count({ n: '*' }));
  const total = Number(countRow?.n ?? 0);
  const size = opts.limit ?? PAGE_SIZE;
  const pages = Math.max(1, Math.ceil(total / size));
  const page = Math.min(Math.max(1, Math.floor(opts.page ?? 1) || 1), pages);
  // The page walks the groups by name through their own index and stops at the page, each
  // checked for access on the way (a join driven by entities would read every group of the
  // network, then sort them all); the group's columns and member count come with it.
  const listQuery = () =>
    filters(rt.db('groups as g').where('g.network_id', networkId))
      .whereExists(visibleGroupEntities(rt, viewer, networkId).select(rt.db.raw('1')).where('e.id', rt.db.ref('g.entity_id')))
      .leftJoin(`${MEMBER_COUNTS} as gmc`, 'gmc.group_id', 'g.entity_id')
      .select('g.entity_id as id', 'g.name_lower', ...COLUMNS.filter((c) => c !== 'e.id'));
  // Keyset by name then id (the pages' and the API's cursors); a numbered page (older API clients) skips rows.
  const cursor = keysetCursor(opts, (page - 1) * size);
  const rows = await DIRECTORY.read<Record<string, unknown>>(rt.db, kept && `page ${kept} ${JSON.stringify([cursor, size])}`, () =>
    keysetQuery(listQuery(), DIRECTORY_ORDER.columns, cursor, size),
  );
  const listed = keysetPageOf(rows, cursor, size, DIRECTORY_ORDER.keyOf);
  return { ...listed, items: listed.items.map(toItem), page, pages, total };
}

/** A listed group's columns in SQL written once (the chooser's statements, kept prepared). */
const SQL_COLUMNS = `${FIELDS.join(', ')}, gmc.members`;
const LISTED = `entities e join groups g on g.entity_id = e.id left join ${MEMBER_COUNTS} gmc on gmc.group_id = e.id`;
const MY_GROUPS = preparedRead<Record<string, unknown>>(
  `select ${SQL_COLUMNS}, cm.role from ${LISTED} join container_members cm on cm.container_id = e.id
   where e.type = '${GROUP}' and e.network_id = ? and cm.user_id = ? and e.deleted_at is null order by cm.role, g.name_lower`,
);
// Invitations name the group to its invitee even when it is secret: that is how they learn of it.
const MY_INVITATIONS = preparedRead<Record<string, unknown>>(
  `select i.id as invitation_id, i.created_at as invited_at, u.display_name as inviter, ${SQL_COLUMNS}
   from ${LISTED} join group_invitations i on i.group_id = e.id join users u on u.id = i.inviter_id
   where i.user_id = ? and e.network_id = ? and i.accepted_at is null and e.deleted_at is null order by i.id desc`,
);
// With the facts the access model decides on: a request is listed while its group is visible.
const MY_REQUESTS = preparedRead<Record<string, unknown> & AccessFacts>(
  `select r.created_at as requested_at, ${SQL_COLUMNS}, e.owner_id, e.network_id, e.access, e.container_id, e.deleted_at, e.published, e.withheld
   from ${LISTED} join group_requests r on r.group_id = e.id
   where r.user_id = ? and e.network_id = ? and e.deleted_at is null order by r.id desc`,
);

/** The viewer's groups in this network (admin ones first), invitations and pending requests: three prepared statements. */
export async function mine(rt: Runtime, viewer: Viewer, networkId: number) {
  const [member, invitations, asked] = await Promise.all([
    MY_GROUPS.all(rt.db, [networkId, viewer.id]),
    MY_INVITATIONS.all(rt.db, [viewer.id, networkId]),
    MY_REQUESTS.all(rt.db, [viewer.id, networkId]),
  ]);
  const seen = await Promise.all(asked.map((r) => rt.access.canSee(viewer, r)));
  const requests = asked.filter((_r, i) => seen[i]);
  return {
    member: member.map((r) => ({ ...toItem(r), role: r.role === 'admin' ? 'admin' : 'member' })),
    invitations: invitations.map((r) => ({
      ...toItem(r),
      invitationId: Number(r.invitation_id),
      inviter: String(r.inviter),
      invitedAt: Number(r.invited_at),
    })),
    requests: requests.map((r) => ({ ...toItem(r), requestedAt: Number(r.requested_at) })),
  };
}

export interface MemberRow {
  id: number;
  username: string;
  display_name: string;
  photo_key: string | null;
  role: 'admin' | 'member';
  since: number;
}

/** A group's members in their list's order: admins first, then by name, the id breaking ties. */
/** The kinds of a members cursor's parts (role, name, id). */
export const MEMBER_CURSOR = ['text', 'text', 'int'] as const;
export const MEMBER_ORDER = keysetOrder(
  MEMBER_CURSOR,
  [{ sql: 'cm.role' }, { sql: 'lower(u.display_name)' }, { sql: 'u.id' }],
  (r: Record<string, unknown>) => [String(r.role), String(r.name_lower), Number(r.id)],
);

const activeMembers = (rt: Runtime, groupId: number): Knex.QueryBuilder =>
  rt.db('container_members as cm').join('users as u', 'u.id', 'cm.user_id').where('cm.container_id', groupId).where('u.status', 'active');

/** One page of a group's active members (admins first, then by name), by keyset. */
export async function members(rt: Runtime, groupId: number, cursor: KeysetCursor, limit = PAGE_SIZE): Promise<KeysetPage<MemberRow>> {
  const query = activeMembers(rt, groupId).select(
    'u.id',
    'u.username',
    'u.display_name',
    'u.photo_key',
    'cm.role',
    'cm.created_at',
    rt.db.raw('lower(u.display_name) as name_lower'),
  );
  const page = await readPage(query, MEMBER_ORDER, cursor, limit);
  return {
    ...page,
    items: page.items.map((r) => ({
      id: Number(r.id),
      username: String(r.username),
      display_name: String(r.display_name),
      photo_key: (r.photo_key as string | null) ?? null,
      role: r.role === 'admin' ? 'admin' : 'member',
      since: Number(r.created_at),
    })),
  };
}

/** Pending join requests of a group (for its admins), oldest first. */
export async function pendingRequests(
  rt: Runtime,
  groupId: number,
): Promise<{ userId: number; username: string; display_name: string; at: number }[]> {
  const rows = (await rt
    .db('group_requests as r')
    .join('users as u', 'u.id', 'r.user_id')
    .where('r.group_id', groupId)
    .where('u.status', 'active')
    .orderBy('r.id')
    .select('u.id', 'u.username', 'u.display_name', 'r.created_at')) as Record<string, unknown>[];
  return rows.map((r) => ({ userId: Number(r.id), username: String(r.username), display_name: String(r.display_name), at: Number(r.created_at) }));
}

/** Pending invitations of a group (for its admins). */
export async function pendingInvitations(rt: Runtime, groupId: number): Promise<{ username: string; display_name: string }[]> {
  return (await rt
    .db('group_invitations as i')
    .join('users as u', 'u.id', 'i.user_id')
    .where('i.group_id', groupId)
    .whereNull('i.accepted_at')
    .orderBy('i.id')
    .select('u.username', 'u.display_name')) as { username: string; display_name: string }[];
}
