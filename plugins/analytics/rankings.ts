/**
 * The dashboard's rankings: top groups, contents and contributors of a period, each ranked
 * from the rollups once until the job's next run (memo.ts), then checked for the viewer (the
 * core's access model) or for active accounts at each view.
 */
import type { Knex } from 'knex';
import type { Viewer } from '../../core';
import { num, type ContentRow, type ContributorRow, type Ranked, type Scope } from './figures';
import { contentSums, topContentsOf } from './contents';
import type { Period } from './period';
import { RollupReader } from './reader';
import { RANKED_CONTENTS } from './rollup';
import { actsColumn, windowRuns } from './windows';

export const TOP_LIMIT = 10;
/** The ranked contents checked for the viewer at a time (most are visible to an admin: one batch). */
const CANDIDATES = 40;

export class AnalyticsRankings extends RollupReader {
  /** The network's groups with the most acts in the period, those the viewer may see. */
  async topGroups(viewer: Viewer, networkId: number, period: Period): Promise<Ranked[]> {
    const db = this.rt.db;
    const window = await this.windowOf(networkId, period.from, period.to);
    // Every group of the period ranked (a network has at most a few thousand), kept until the next run.
    const ranking = await this.memoized(networkId, `groups:${period.from}:${period.to}`, async () => {
      // Each run's row per group (one day of the index by network and day), its acts from the
      // column of its window: a preset period is one run; any other a few (windowRuns). One
      // statement per run, not `day in (...)`, which SQLite reads by the key (every day of every group).
      const runs = window ? [{ day: period.to, window }] : windowRuns(period.from, period.to);
      const rows = runs
        .map((r) =>
          db('analytics_days')
            .where({ network_id: networkId, day: r.day })
            .where('container_id', '>', 0)
            .select('container_id', db.raw(`${r.window ? actsColumn(r.window) : 'contributions + comments + reactions'} as acts`)),
        )
        .reduce((all, run) => all.unionAll(run));
      const q = db
        .from(rows.as('r'))
        .groupBy('container_id')
        .havingRaw('sum(acts) > 0')
        .select('container_id as id', db.raw('sum(acts) as acts'))
        .orderBy([{ column: 'acts', order: 'desc' }, { column: 'id' }]);
      return ((await q) as Record<string, unknown>[]).map((r) => ({ id: num(r.id), acts: num(r.acts) }));
    });
    const out: Ranked[] = [];
    for (let offset = 0; offset < ranking.length && out.length < TOP_LIMIT; offset += CANDIDATES) {
      const batch = ranking.slice(offset, offset + CANDIDATES);
      const seen = new Set(
        (
          (await db('entities as e')
            .whereIn(
              'e.id',
              batch.map((g) => g.id),
            )
            .modify(this.rt.access.visibleTo(viewer, 'e'))
            .pluck('e.id')) as unknown[]
        ).map(Number),
      );
      out.push(...batch.filter((g) => seen.has(g.id)).slice(0, TOP_LIMIT - out.length));
    }
    return out;
  }

  /**
   * The contents with the most reactions, comments and replies in the period, those the viewer
   * may see. The network's preset periods ending on the last day rolled up read the ranking the
   * rollup keeps (`analytics_top_contents`, for that day only); other periods and groups rank
   * the best RANKED_CONTENTS once until the job's next run, by the contents' bounds (contents.ts:
   * the period's acts of a few hundred contents summed, not every content grouped); a viewer who may see too few of the kept ones has the whole
   * ranking summed again. Either way the best ranked are checked for the viewer CANDIDATES at a
   * time (`access.visibleTo`) until TOP_LIMIT are kept, instead of joining every content of the
   * period to the access rules.
   */
  async topContents(viewer: Viewer, scope: Scope, period: Period): Promise<ContentRow[]> {
    const db = this.rt.db;
    const window = scope.containerId ? null : await this.windowOf(scope.networkId, period.from, period.to);
    const ranked = window !== null && (await this.lastDay(scope.networkId)) === period.to;
    const sums = contentSums(db, scope, period);
    const kept = ranked
      ? this.pagesOf(
          db('analytics_top_contents')
            .where({ network_id: scope.networkId, window_days: window, day: period.to })
            .orderBy('place')
            .select('entity_id as id', 'acts'),
        )
      : this.pagesOf(
          await this.memoized(scope.networkId, `contents:${scope.containerId}:${period.from}:${period.to}`, () =>
            topContentsOf(db, scope, period, RANKED_CONTENTS),
          ),
        );
    const { rows, read } = await this.visibleRanked(viewer, kept);
    // The whole ranking was kept (a ranking the job kept is never empty), or enough of it is visible: the same rows as summing again.
    if (rows.length >= TOP_LIMIT || (read < RANKED_CONTENTS && (read > 0 || !ranked))) return rows;
    return (await this.visibleRanked(viewer, this.pagesOf(sums))).rows;
  }

  /** A ranking (a statement, or rows kept) read CANDIDATES rows at a time. */
  private pagesOf(ranked: Knex.QueryBuilder | Ranked[]): (offset: number) => Promise<Ranked[]> {
    if (Array.isArray(ranked)) return (offset) => Promise.resolve(ranked.slice(offset, offset + CANDIDATES));
    return async (offset) =>
      ((await ranked.clone().offset(offset).limit(CANDIDATES)) as Record<string, unknown>[]).map((r) => ({ id: num(r.id), acts: num(r.acts) }));
  }

  /** The first TOP_LIMIT contents of a ranking (`id`, `acts`, best first) the viewer may see, and how many ranked rows were read. */
  private async visibleRanked(viewer: Viewer, pages: (offset: number) => Promise<Ranked[]>): Promise<{ rows: ContentRow[]; read: number }> {
    const db = this.rt.db;
    const out: ContentRow[] = [];
    let read = 0;
    for (let offset = 0; out.length < TOP_LIMIT; offset += CANDIDATES) {
      const batch = await pages(offset);
      read += batch.length;
      if (batch.length === 0) break;
      const seen = (await db('entities as e')
        .join('users as o', 'o.id', 'e.owner_id')
        .whereIn(
          'e.id',
          batch.map((r) => r.id),
        )
        .modify(this.rt.access.visibleTo(viewer, 'e'))
        .select('e.id', 'e.type', 'o.display_name as owner_name', 'e.created_at')) as Record<string, unknown>[];
      const byId = new Map(seen.map((r) => [num(r.id), r]));
      for (const { id, acts } of batch) {
        const e = byId.get(id);
        if (e && out.length < TOP_LIMIT) out.push({ id, acts, type: String(e.type), ownerName: String(e.owner_name), createdAt: num(e.created_at) });
      }
      if (batch.length < CANDIDATES) break;
    }
    return { rows: out, read };
  }

  /**
   * The members who contributed and participated most (shown only where the network allows):
   * the best RANKED_CONTENTS of the period's weekly and daily member rows (`memberSpans`) kept until the job's next run, those
   * with an active account now shown; where fewer than TOP_LIMIT of them are, counted again.
   */
  async topContributors(scope: Scope, period: Period): Promise<ContributorRow[]> {
    const db = this.rt.db;
    const ranking = (): Knex.QueryBuilder =>
      db
        .from(this.memberSpans(scope, period.from, period.to).as('s'))
        .groupBy('user_id')
        .select('user_id as id', db.raw('sum(contributions) as contributions'), db.raw('sum(participations) as participations'))
        .havingRaw('sum(contributions) + sum(participations) > 0')
        .orderBy([{ column: 'contributions', order: 'desc' }, { column: 'participations', order: 'desc' }, { column: 'id' }]);
    const rowsOf = (rows: Record<string, unknown>[]) =>
      rows.map((r) => ({ id: num(r.id), contributions: num(r.contributions), participations: num(r.participations) }));
    const kept = await this.memoized(scope.networkId, `contributors:${scope.containerId}:${period.from}:${period.to}`, async () =>
      rowsOf((await ranking().limit(RANKED_CONTENTS)) as Record<string, unknown>[]),
    );
    const named = async (list: typeof kept): Promise<ContributorRow[]> => {
      const users = new Map(
        (
          (await db('users')
            .whereIn(
              'id',
              list.map((r) => r.id),
            )
            .where('status', 'active')
            .select('id', 'username', 'display_name')) as Record<string, unknown>[]
        ).map((u) => [num(u.id), u]),
      );
      return list
        .filter((r) => users.has(r.id))
        .slice(0, TOP_LIMIT)
        .map((r) => ({ ...r, username: String(users.get(r.id)!.username), name: String(users.get(r.id)!.display_name) }));
    };
    const top = await named(kept);
    if (top.length >= TOP_LIMIT || kept.length < RANKED_CONTENTS) return top;
    return named(rowsOf((await ranking()) as Record<string, unknown>[]));
  }
}
