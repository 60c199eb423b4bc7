/**
 * The member directory query: active members of a network, searched by name, narrowed by
 * profile-field filters (each filter carries its own visibility clause, so a value the viewer
 * may not see never matches), sorted by name, newest or most active, 20 per page.
 */
import type { Knex } from 'knex';
import { likeContains, type Viewer } from '../../core';
import { PAGE_SIZE, type Page } from './service';

export const SORTS = ['name', 'newest', 'active'] as const;
export type Sort = (typeof SORTS)[number];
export const isSort = (v: unknown): v is Sort => typeof v === 'string' && (SORTS as readonly string[]).includes(v);

/** Entities shared with every member (public, members) created within this window count towards "most active". */
export const ACTIVE_WINDOW_MS = 90 * 24 * 3600 * 1000;

export interface DirectoryQuery {
  networkId: number;
  viewer: Viewer | null;
  q?: string;
  sort?: Sort;
  page?: number;
  /** Narrowing clauses over `users as u` (see filters.ts). */
  filters?: ((qb: Knex.QueryBuilder) => void)[];
  now?: number;
}

export interface DirectoryRow {
  id: number;
  username: string;
  display_name: string;
  created_at: number;
}

export async function searchDirectory(db: Knex, query: DirectoryQuery): Promise<Page<DirectoryRow>> {
  const base = db('users as u').join('memberships as m', 'm.user_id', 'u.id').where('m.network_id', query.networkId).where('u.status', 'active');
  const q = (query.q ?? '').trim().slice(0, 100);
  if (q) {
    const pattern = likeContains(q);
    base.where((w) => w.whereRaw("lower(u.display_name) like ? escape '\\'", [pattern]).orWhereRaw("u.username_lower like ? escape '\\'", [pattern]));
  }
  for (const f of query.filters ?? []) base.modify(f);
  // The total rides on the page's rows (a window count over the matches the sort reads anyway):
  // one pass over the members instead of a count and then the page.
  const rows = base.clone().select('u.id', 'u.username', 'u.display_name', 'u.created_at', db.raw('count(*) over () as matches'));
  switch (query.sort ?? 'name') {
    case 'newest':
      rows.orderBy('u.created_at', 'desc').orderBy('u.id', 'desc');
      break;
    case 'active': {
      const since = (query.now ?? Date.now()) - ACTIVE_WINDOW_MS;
      rows
        // Only what every member may see counts: the ranking must not reveal activity in
        // private, friends-only, group or sub-network content.
        .select(
          db.raw(
            "(select count(*) from entities as ae where ae.owner_id = u.id and ae.created_at >= ? and ae.deleted_at is null and ae.access in ('public', 'members')) as activity",
            [since],
          ),
        )
        .orderBy('activity', 'desc')
        .orderBy('u.id');
      break;
    }
    default:
      rows.orderByRaw('lower(u.display_name)').orderBy('u.id');
  }
  const pageOf = async (n: number) =>
    (await rows
      .clone()
      .limit(PAGE_SIZE)
      .offset((n - 1) * PAGE_SIZE)) as Record<string, unknown>[];
  const asked = Math.max(1, Math.floor(query.page ?? 1) || 1);
  let page = asked;
  let items = await pageOf(page);
  let total = items.length ? Number(items[0].matches) : 0;
  if (!items.length && asked > 1) {
    // Past the last page: count, then show the last page.
    total = Number(((await base.clone().count({ n: '*' }).first()) as { n?: unknown } | undefined)?.n ?? 0);
    page = Math.max(1, Math.ceil(total / PAGE_SIZE));
    items = total ? await pageOf(page) : [];
  }
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  return {
    items: items.map((r: Record<string, unknown>) => ({
      id: Number(r.id),
      username: String(r.username),
      display_name: String(r.display_name),
      created_at: Number(r.created_at),
    })),
    page,
    pages,
    total,
  };
}
