/**
 * The river read as index ranges (issue 18): when a feed's sources are few (the people I follow,
 * my groups, what I own), the newest acts of each source are read on its own index — `(actor_id,
 * id)`, `(container_id, id)`, `entity_id` — and merged by id, instead of walking the network's
 * acts newest first until enough of them are the member's: the work is bounded by the page and
 * the number of sources, not by the share of the network's traffic they make.
 *
 * `RangeMerge.next` answers a floor and every act of the sources with an id in [floor, the last
 * floor): the newest `want` of them at least (fewer only when the floor is 0: all of them). The
 * river applies its whole statement (access clause included) to those ids alone; what it drops
 * is made up by the next call, below the floor (`ActivityLog.list`): the answer is the walk's.
 */
import type { Knex } from 'knex';
import { preparedRead } from '../db/statements';

/**
 * A feed's sources as lists (`FeedQuery.ranges`): every act the feed keeps has its actor in
 * `actorIds`, its container in `containerIds` or its entity in `entityIds` (more may be listed).
 */
export interface RiverRanges {
  actorIds: readonly number[];
  containerIds: readonly number[];
  entityIds: readonly number[];
}

/** Above this many ranges, walking the network costs less (the sources make much of its traffic). */
export const MAX_RANGES = 160;

/** Reads of ranges for one call of `next` before the river walks instead (a source far denser than the others). */
const MAX_ROUNDS = 8;

const COLUMNS = { actor: 'actor_id', container: 'container_id', entity: 'entity_id' } as const;
type Kind = keyof typeof COLUMNS;
const KINDS = Object.keys(COLUMNS) as Kind[];

interface Range {
  kind: Kind;
  value: number;
  /** Every act of the range from this id up (below the first call's `before`) has been read. */
  upper: number;
}

/**
 * A round: each range's newest `k` acts in [floor, its upper), for the ranges of each kind given as
 * a JSON array of `[value, upper]`; one text whatever their number. Bindings per kind: floor, k - 1,
 * floor, the array. SQLite finds each range's k-th act (a seek and k steps on the range's index)
 * and reads the range down to it; PostgreSQL reads each range `limit k` (a lateral join).
 */
const ROUND = preparedRead<{ kind: number | string; s: number | string; id: number | string }>({
  sqlite: KINDS.map(
    (kind, n) => `select * from (with r as materialized (
  select j.key as s, json_extract(j.value, '$[0]') as v, json_extract(j.value, '$[1]') as up,
    coalesce((select x.id from activity as x where x.${COLUMNS[kind]} = json_extract(j.value, '$[0]') and x.id < json_extract(j.value, '$[1]') and x.id >= ?
      order by x.id desc limit 1 offset ?), ?) as lo
  from json_each(?) as j)
select ${n} as kind, r.s, a.id from r join activity as a on a.${COLUMNS[kind]} = r.v and a.id < r.up and a.id >= r.lo)`,
  ).join(' union all '),
  postgres: KINDS.map(
    (kind, n) => `select ${n} as kind, j.s, a.id from (select (ordinality - 1) as s, (value->>0)::bigint as v, (value->>1)::bigint as up
  from json_array_elements(?::json) with ordinality) as j
cross join lateral (select x.id from activity as x where x.${COLUMNS[kind]} = j.v and x.id < j.up and x.id >= ? order by x.id desc limit ?) as a`,
  ).join(' union all '),
});

export function rangeCount(r: RiverRanges): number {
  return r.actorIds.length + r.containerIds.length + r.entityIds.length;
}

/** A k-way merge of the sources' ranges, newest first, page after page. */
export class RangeMerge {
  private readonly ranges: Range[] = [];
  /** Acts read and not yet handed out (below the last floor). */
  private pool: number[] = [];

  constructor(
    private readonly db: Knex,
    sources: RiverRanges,
    before: number | undefined,
  ) {
    const top = before ?? Number.MAX_SAFE_INTEGER;
    const lists = { actor: sources.actorIds, container: sources.containerIds, entity: sources.entityIds };
    for (const kind of KINDS) for (const value of new Set(lists[kind])) this.ranges.push({ kind, value: Number(value), upper: top });
  }

  /**
   * The floor and every act of the sources from it up to the last floor, newest first: `want` at
   * least unless the floor is 0 (then all there are); null when the rounds would not end soon.
   */
  async next(want: number): Promise<{ ids: number[]; floor: number } | null> {
    // Acts read by the last call below its floor come first: the floor may be among them already.
    let floor = this.pool.length >= want ? this.pool[want - 1] : 0;
    for (let round = 0; ; round++) {
      const active = this.ranges.filter((r) => r.upper > floor);
      if (!active.length) break;
      if (round === MAX_ROUNDS) return null;
      // A few acts per range (most sources are sparse), more when fewer ranges are left to read.
      const k = Math.min(want, Math.max(4, Math.ceil((2 * want) / active.length)));
      const got = await this.read(active, floor, k);
      active.forEach((r, i) => {
        const ids = got[i];
        // Fewer than asked: the range has nothing more down to the round's floor.
        r.upper = ids.length < k ? floor : ids[ids.length - 1];
        for (const id of ids) this.pool.push(id);
      });
      // The floor rises to the `want`-th newest act read: below it, nothing is needed yet.
      this.pool = [...new Set(this.pool)].sort((a, b) => b - a);
      if (this.pool.length >= want) floor = Math.max(floor, this.pool[want - 1]);
    }
    const cut = this.pool.findIndex((id) => id < floor);
    const ids = cut < 0 ? this.pool : this.pool.slice(0, cut);
    this.pool = cut < 0 ? [] : this.pool.slice(cut);
    return { ids, floor };
  }

  /** Each range's newest `k` acts in [floor, its upper), newest first, in one statement. */
  private async read(active: Range[], floor: number, k: number): Promise<number[][]> {
    const of = KINDS.map((kind) => active.filter((r) => r.kind === kind));
    const arrays = of.map((ranges) => JSON.stringify(ranges.map((r) => [r.value, r.upper])));
    const sqlite = this.db.client.config.client === 'sqlite3';
    const bindings = sqlite ? arrays.flatMap((a) => [floor, k - 1, floor, a]) : arrays.flatMap((a) => [a, floor, k]);
    const got = new Map<Range, number[]>(active.map((r) => [r, []]));
    for (const row of await ROUND.all(this.db, bindings)) got.get(of[Number(row.kind)][Number(row.s)])!.push(Number(row.id));
    return active.map((r) => got.get(r)!.sort((a, b) => b - a));
  }
}
