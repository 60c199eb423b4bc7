/**
 * The members by a profile field (service.ts `adoption`): the values each member of the scope
 * holds, read once from the profiles plugin's statement (`profiles:valueHolders`) and kept, and
 * the counts of a view from them, the scope's members now and the period's active members.
 */
import type { Knex } from 'knex';
import type { ValueHolders } from '../profiles/hooks';
import type { Funnel } from './figures';
import { num } from './figures';

/** Each member of the scope (when read) and the values they hold of those asked (trimmed, lowercased; none: []). */
export type ValueSplit = Map<number, string[]>;

type Steps = keyof Omit<Funnel, 'members'>;

/** The split of the scope's members (`members`: a statement of `m.user_id`) by the values `holders` answers; without it, none each. */
export async function readSplit(db: Knex, members: Knex.QueryBuilder, holders: ValueHolders | null): Promise<ValueSplit> {
  const q = db.from(members.select('m.user_id').as('m')).select('m.user_id');
  if (holders) q.leftJoin(holders.query.as('h'), 'h.user_id', 'm.user_id').select('h.v');
  const split: ValueSplit = new Map();
  for (const r of (await q) as { user_id: unknown; v?: unknown }[]) {
    const values = split.get(num(r.user_id)) ?? [];
    if (r.v !== null && r.v !== undefined) values.push(String(r.v));
    split.set(num(r.user_id), values);
  }
  return split;
}

/** Whether `sorted` (ascending) holds `id`. */
function holds(sorted: Float64Array, id: number): boolean {
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] === id) return true;
    if (sorted[mid] < id) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}

/**
 * The funnel of each value (null: the members holding none) over `members`, each counted in
 * every value `split` gives them, and as active, participating, contributing where `ids` hold them.
 */
export function countBySplit(members: readonly number[], split: ValueSplit, ids: Record<Steps, Float64Array>): Map<string | null, Funnel> {
  const out = new Map<string | null, Funnel>();
  for (const id of members) {
    const values = split.get(id);
    const flags = { active: holds(ids.active, id), participating: holds(ids.participating, id), contributing: holds(ids.contributing, id) };
    for (const value of values?.length ? values : [null]) {
      let f = out.get(value);
      if (!f) out.set(value, (f = { members: 0, active: 0, participating: 0, contributing: 0 }));
      f.members++;
      if (flags.active) f.active++;
      if (flags.participating) f.participating++;
      if (flags.contributing) f.contributing++;
    }
  }
  return out;
}
