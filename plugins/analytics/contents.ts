/**
 * The top contents of any period without grouping every content of it. The job keeps, per
 * network, scope (0: the whole network, else a group) and content, a bound on its acts over
 * any period (`analytics_content_totals`: its acts over every day rolled up, its first and
 * last day with acts). A period's best contents are read in the order of that bound, those
 * whose days meet the period only, each summed exactly from `analytics_content_days`; once the
 * N-th best sum is above the bound of the next content, no content left can reach it (nor tie
 * with it: ties are ranked by id), and the ranking is the one summing every content gives.
 * A year of the bench network reads about 260 contents instead of grouping 198,000.
 */
import type { Knex } from 'knex';
import { num, type Ranked, type Scope } from './figures';
import type { Period } from './period';

/** Candidates read and summed at a time. */
const BATCH = 400;
/** Batches read before the period's contents are grouped instead (a bound too loose to pay: short periods of long-lived contents). */
const MAX_BATCHES = 8;

/**
 * Keeps the bounds of the network's contents with acts on a day from `from` on (just rolled
 * up): their acts over every day rolled up, first and last day, for the network and for their
 * group. A bound kept for a content whose rows were rolled up again to fewer acts stays above
 * its acts (still a bound); a content's rows are written only here and by the rollup of days,
 * which calls this after.
 */
export async function rollupContentTotals(trx: Knex, networkId: number, from: number): Promise<void> {
  const touched = 'entity_id in (select entity_id from analytics_content_days where network_id = ? and day >= ?)';
  await sumContentTotals(trx, `network_id = ? and ${touched}`, [networkId, networkId, from]);
}

/** Upserts the bounds of the content-days matching `where` (every day of each of their contents must match: the sums are totals). */
export async function sumContentTotals(db: Knex, where: string, bindings: readonly number[]): Promise<void> {
  const columns = 'sum(acts), min(day), max(day)';
  for (const [scope, filter, group] of [
    ['0', '', 'network_id, entity_id'],
    ['container_id', 'and container_id > 0', 'network_id, container_id, entity_id'],
  ])
    await db.raw(
      `insert into analytics_content_totals (network_id, container_id, entity_id, acts, first_day, last_day)
       select network_id, ${scope}, entity_id, ${columns} from analytics_content_days
       where ${where} ${filter}
       group by ${group}
       on conflict (network_id, container_id, entity_id) do update set
         acts = excluded.acts, first_day = excluded.first_day, last_day = excluded.last_day`,
      [...bindings],
    );
}

/** The period's acts per content of the scope, every content of it, best first (acts, then id): what `topContentsOf` answers the first `limit` of. */
export function contentSums(db: Knex, scope: Scope, period: Pick<Period, 'from' | 'to'>): Knex.QueryBuilder {
  return db('analytics_content_days')
    .where('network_id', scope.networkId)
    .modify((q) => (scope.containerId ? q.where('container_id', scope.containerId) : q))
    .whereBetween('day', [period.from, period.to])
    .groupBy('entity_id')
    .select('entity_id as id', db.raw('sum(acts) as acts'))
    .orderBy([{ column: 'acts', order: 'desc' }, { column: 'id' }]);
}

const byRank = (a: Ranked, b: Ranked): number => b.acts - a.acts || a.id - b.id;

/**
 * The first `limit` rows of `contentSums` (the same rows, the same order), read by the bounds
 * `batch` at a time, at most `batches` times before grouping the period's contents instead.
 */
export async function topContentsOf(
  db: Knex,
  scope: Scope,
  period: Pick<Period, 'from' | 'to'>,
  limit: number,
  { batch: size, batches } = { batch: BATCH, batches: MAX_BATCHES },
): Promise<Ranked[]> {
  const bounds = db('analytics_content_totals')
    .where({ network_id: scope.networkId, container_id: scope.containerId })
    .where('first_day', '<=', period.to)
    .where('last_day', '>=', period.from)
    // Any order by the bound will do (ties among the bounds are not the ranking's): the index's, read backwards.
    .orderBy([
      { column: 'acts', order: 'desc' },
      { column: 'entity_id', order: 'desc' },
    ])
    .select('entity_id as id', 'acts');
  const found: Ranked[] = [];
  for (let batch = 0; batch < batches; batch++) {
    const read = (
      (await bounds
        .clone()
        .offset(batch * size)
        .limit(size)) as Record<string, unknown>[]
    ).map((r) => ({
      id: num(r.id),
      bound: num(r.acts),
    }));
    if (read.length) {
      const sums = (await contentSums(db, scope, period)
        .clearOrder()
        .whereIn(
          'entity_id',
          read.map((r) => r.id),
        )) as Record<string, unknown>[];
      found.push(...sums.map((r) => ({ id: num(r.id), acts: num(r.acts) })));
      found.sort(byRank);
    }
    // Every content left has at most the last bound read: below the N-th sum, none can enter (nor tie).
    const last = read[read.length - 1]?.bound ?? 0;
    if (read.length < size || (found.length >= limit && found[limit - 1].acts > last)) return found.slice(0, limit);
  }
  return ((await contentSums(db, scope, period).limit(limit)) as Record<string, unknown>[]).map((r) => ({ id: num(r.id), acts: num(r.acts) }));
}
