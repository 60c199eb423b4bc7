/**
 * The dashboard's figures, read from the rollups (rollup.ts) and the core's tables
 * (memberships, container members, invitations, entities), never from a plugin's tables.
 * A scope is a network (`containerId` 0) or one group of it.
 */
import type { Knex } from 'knex';
import { PERSON_KIND, type Viewer } from '../../core';
import { countBySplit, readSplit, type ValueSplit } from './adoption';
import { num, type AdoptionRow, type DayFigures, type Funnel, type MemberFacts, type Responses, type Scope, type ChoiceValues } from './figures';
import { AnalyticsRankings } from './rankings';
import type { RollupMemo } from './memo';
import type { ReaderRuntime, RollupState } from './reader';
import { DAY_MS } from './verbs';
import { setColumn, SETS } from './windows';

export type * from './figures';
export { TOP_LIMIT } from './rankings';

/** The distinct members active, participating and contributing in a period: their counts, and their ids sorted (kept until the job's next run: 8 bytes per member). */
interface ActiveMembers {
  counts: Omit<Funnel, 'members'>;
  ids: Record<keyof Omit<Funnel, 'members'>, Float64Array>;
}

export class AnalyticsService extends AnalyticsRankings {
  static readonly uses = ['db', 'access', 'links'] as const;
  constructor(rt: ReaderRuntime, memo?: RollupMemo, states?: Map<number, Promise<RollupState | null>>) {
    super(rt, memo, states);
  }

  /**
   * The members active in [from, to], each with whether they participated and contributed.
   * A period ending on or after the last final day reads each member's last days
   * (`analytics_member_last`, one row per member) and the member-days of the days not final
   * yet; any other period its whole weeks' rows and its end days' (`memberSpans`).
   */
  private activeMembers(scope: Scope, from: number, to: number): Promise<ActiveMembers> {
    return this.memoized(scope.networkId, `active:${scope.containerId}:${from}:${to}`, () => this.countActive(scope, from, to));
  }

  private async countActive(scope: Scope, from: number, to: number): Promise<ActiveMembers> {
    const rows = (await this.activeFlags(scope, from, to, await this.lastDay(scope.networkId))) as { user_id: unknown; p: unknown; c: unknown }[];
    const ids = (keep: (r: (typeof rows)[number]) => boolean) => Float64Array.from(rows.filter(keep).map((r) => num(r.user_id))).sort();
    const count = (keep: (r: (typeof rows)[number]) => boolean) => rows.filter(keep).length;
    return {
      counts: { active: rows.length, participating: count((r) => num(r.p) > 0), contributing: count((r) => num(r.c) > 0) },
      ids: { active: ids(() => true), participating: ids((r) => num(r.p) > 0), contributing: ids((r) => num(r.c) > 0) },
    };
  }

  /**
   * The members active in [from, to] as a statement: one row per member, `user_id`, `p` and `c`
   * (1 where they participated, contributed). A period ending on or after the last final day
   * reads each member's last days (`analytics_member_last`) and the member-days of the days not
   * final yet; any other period the rows of its whole weeks and of the days at its two ends
   * (`memberSpans`, weeks.ts). (`lastDay` is the network's
   * last day rolled up, read by the caller: a query builder is a thenable, which an async
   * function would run instead of return.)
   */
  private activeFlags(scope: Scope, from: number, to: number, lastDay: number | null): Knex.QueryBuilder {
    const db = this.rt.db;
    const last = lastDay ?? Infinity;
    const days = (lo: number) =>
      db
        .from(this.memberSpans(scope, lo, to).as('s'))
        .select(
          'user_id',
          db.raw('case when participations > 0 or contributions > 0 then 1 else 0 end as p'),
          db.raw('case when contributions > 0 then 1 else 0 end as c'),
        );
    const source =
      to >= last - 1
        ? db('analytics_member_last')
            .where({ network_id: scope.networkId, container_id: scope.containerId })
            .where('active_day', '>=', from)
            .select(
              'user_id',
              db.raw('case when participated_day >= ? then 1 else 0 end as p', [from]),
              db.raw('case when contributed_day >= ? then 1 else 0 end as c', [from]),
            )
            .unionAll(days(Math.max(from, last)))
        : days(from);
    return db.from(source.as('x')).groupBy('user_id').select('user_id', db.raw('max(p) as p'), db.raw('max(c) as c'));
  }

  /** The scope's members now: active people among the network's members (not guests) or the group's. */
  private scopeMembers(scope: Scope): Knex.QueryBuilder {
    const db = this.rt.db;
    const base = scope.containerId
      ? db('container_members as m').where('m.container_id', scope.containerId)
      : db('memberships as m').where('m.network_id', scope.networkId).whereNot('m.role', 'guest');
    return base.join('users as u', 'u.id', 'm.user_id').where({ 'u.status': 'active', 'u.kind': PERSON_KIND });
  }

  /** Members (`members` when the caller has counted them), and the distinct ones active, participating and contributing in [from, to]. */
  async funnel(scope: Scope, from: number, to: number, members?: number): Promise<Funnel> {
    const window = await this.windowOf(scope.networkId, from, to);
    let counts: Omit<Funnel, 'members'>;
    if (window) {
      const row = (await this.rt
        .db('analytics_days')
        .where({ network_id: scope.networkId, container_id: scope.containerId, day: to })
        .first(SETS.map((set) => `${setColumn(set, window)} as ${set}`))) as Record<string, unknown> | undefined;
      counts = { active: num(row?.active), participating: num(row?.participating), contributing: num(row?.contributing) };
    } else {
      counts = (await this.activeMembers(scope, from, to)).counts;
    }
    return { members: members ?? (await this.memberFacts(scope, from, to)).members, ...counts };
  }

  /**
   * Adoption by a profile field's values (a site, a department): for each value, the scope's
   * active members holding it (`field.holders`, the profiles plugin's statement) and, of them,
   * those active, participating and contributing in [from, to]; then the members holding none
   * of them. A member with several values (a multiple choice) counts in each. Read at each view:
   * the scope's members now (their ids). Kept: the period's active members (`activeMembers`, the
   * funnel's: until the job's next run) and the values each member of the scope holds, as the
   * viewer may see them (`valueSplit`: until the job's next run, an erasure, or a write of the
   * profile values, `field.holders.version`); counted again when a member of the scope now was
   * not one then (joined, or came back from a suspension).
   */
  async adoption(viewer: Viewer, scope: Scope, from: number, to: number, field: ChoiceValues): Promise<AdoptionRow[]> {
    const [{ ids }, members] = await Promise.all([this.activeMembers(scope, from, to), this.scopeMemberIds(scope)]);
    let split = await this.valueSplit(viewer, scope, field, false);
    if (members.some((id) => !split.has(id))) split = await this.valueSplit(viewer, scope, field, true);
    const byValue = countBySplit(members, split, ids);
    const row = (value: string | null): AdoptionRow => ({
      value,
      ...(byValue.get(value === null ? null : value.trim().toLowerCase()) ?? { members: 0, active: 0, participating: 0, contributing: 0 }),
    });
    return [...field.values.map(row), row(null)];
  }

  /** The scope's members now, by id. */
  private async scopeMemberIds(scope: Scope): Promise<number[]> {
    return ((await this.scopeMembers(scope).select('m.user_id')) as { user_id: unknown }[]).map((r) => num(r.user_id));
  }

  /** The values of `field` each member of the scope holds, as the viewer may see them; kept (see `adoption`), or read `again`. */
  private valueSplit(viewer: Viewer, scope: Scope, field: ChoiceValues, again: boolean): Promise<ValueSplit> {
    const holders = field.holders;
    if (!holders || holders.version === null) return readSplit(this.rt.db, this.scopeMembers(scope), holders);
    const key = `split:${scope.containerId}:${field.key}:${holders.version}:${JSON.stringify(field.values)}:${this.rt.access.visibilityKey(viewer)}`;
    return this.memoized(scope.networkId, key, () => readSplit(this.rt.db, this.scopeMembers(scope), holders), again);
  }

  async memberFacts(scope: Scope, from: number, to: number): Promise<MemberFacts> {
    return (await this.memberFactsOf(scope, [[from, to]]))[0];
  }

  /** The member facts of each span [from, to] (a period and the one it is compared with): the members counted in one statement for all. */
  async memberFactsOf(scope: Scope, spans: readonly (readonly [number, number])[]): Promise<MemberFacts[]> {
    const ms = spans.map(([from, to]) => [from * DAY_MS, (to + 1) * DAY_MS] as const);
    const db = this.rt.db;
    const row = (await this.scopeMembers(scope)
      .select(
        db.raw('count(*) as members'),
        ...ms.map(([lo, hi], i) => db.raw(`sum(case when m.created_at >= ? and m.created_at < ? then 1 else 0 end) as registered_${i}`, [lo, hi])),
      )
      .first()) as Record<string, unknown> | undefined;
    return Promise.all(
      ms.map(async ([lo, hi], i) => ({
        members: num(row?.members),
        registered: num(row?.[`registered_${i}`]),
        invited: scope.containerId ? null : await this.rt.links.countInvitations(scope.networkId, lo, hi),
      })),
    );
  }

  /** One row per day of [from, to], days without a rollup as zeros. */
  async days(scope: Scope, from: number, to: number): Promise<DayFigures[]> {
    const rows = (await this.rt
      .db('analytics_days')
      .where({ network_id: scope.networkId, container_id: scope.containerId })
      .whereBetween('day', [from, to])
      .select('day', 'dau', 'wau', 'mau', 'contributions', 'comments', 'reactions')) as Record<string, unknown>[];
    const byDay = new Map(rows.map((r) => [num(r.day), r]));
    const out: DayFigures[] = [];
    for (let day = from; day <= to; day++) {
      const r = byDay.get(day);
      out.push({
        day,
        dau: num(r?.dau),
        wau: num(r?.wau),
        mau: num(r?.mau),
        contributions: num(r?.contributions),
        comments: num(r?.comments),
        reactions: num(r?.reactions),
      });
    }
    return out;
  }

  /**
   * Discussions started in [from, to]: how many, how many answered, the median time to the
   * first reply. Read from `analytics_topics` (the job's alone) once until the job's next run.
   */
  responses(scope: Scope, from: number, to: number): Promise<Responses> {
    return this.memoized(scope.networkId, `responses:${scope.containerId}:${from}:${to}`, () => this.countResponses(scope, from, to));
  }

  private async countResponses(scope: Scope, from: number, to: number): Promise<Responses> {
    const q = this.rt
      .db('analytics_topics')
      .where('network_id', scope.networkId)
      .where('started_at', '>=', from * DAY_MS)
      .where('started_at', '<', (to + 1) * DAY_MS)
      .select('started_at', 'first_reply_at');
    if (scope.containerId) q.where('container_id', scope.containerId);
    const rows = (await q) as { started_at: unknown; first_reply_at: unknown }[];
    const delays = rows
      .filter((r) => r.first_reply_at !== null)
      .map((r) => num(r.first_reply_at) - num(r.started_at))
      .sort((a, b) => a - b);
    const mid = delays.length >> 1;
    const median = delays.length === 0 ? null : delays.length % 2 ? delays[mid] : Math.round((delays[mid - 1] + delays[mid]) / 2);
    return { topics: rows.length, answered: delays.length, medianMs: median };
  }
}
