/**
 * The dashboard's figures, read from the rollups (rollup.ts) and the core's tables
 * (memberships, container members, invitations, entities), never from a plugin's tables.
 * A scope is a network (`containerId` 0) or one group of it.
 */
import type { Knex } from 'knex';
import { idList, PERSON_KIND } from '../../core';
import { num, type AdoptionRow, type DayFigures, type Funnel, type MemberFacts, type Responses, type Scope, type ChoiceValues } from './figures';
import { AnalyticsRankings } from './rankings';
import type { RollupMemo } from './memo';
import type { ReaderRuntime, RollupState } from './reader';
import { DAY_MS } from './verbs';
import { setColumn, SETS } from './windows';

export type * from './figures';
export { TOP_LIMIT } from './rankings';

/**
 * `column in (the ids of one binding)`, a JSON array (`idList`), looked up as a set: SQLite reads
 * it with `json_each` into a temporary index, PostgreSQL hashes the subquery (`= any(array(...))`,
 * the core's `perDialect` form for an indexed column, would compare each row with every id).
 */
const inIdList = (db: Knex, column: string): string =>
  db.client.config.client === 'pg'
    ? `${column} in (select json_array_elements_text(?::json)::bigint)`
    : `${column} in (select value from json_each(?))`;

/** The distinct members active, participating and contributing in a period: their counts, and their ids as `idList` bindings (kept until the job's next run: a few bytes per member). */
interface ActiveMembers {
  counts: Omit<Funnel, 'members'>;
  ids: Record<keyof Omit<Funnel, 'members'>, string>;
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
    const ids = (keep: (r: (typeof rows)[number]) => boolean) => idList(rows.filter(keep).map((r) => num(r.user_id)));
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
   * active members holding it (`field.holders`, the profiles plugin's statement) and, from the
   * rollups, those active, participating and contributing in [from, to]; then the members
   * holding none of them. A member with several values (a multiple choice) counts in each.
   * Counted in one statement, a row per value: never the members themselves. The period's
   * active members are those kept until the job's next run (`activeMembers`, the funnel's),
   * bound as three lists of ids (active, participating, contributing); the scope's members and
   * the values they hold are read at each view.
   */
  async adoption(scope: Scope, from: number, to: number, field: ChoiceValues): Promise<AdoptionRow[]> {
    const db = this.rt.db;
    const { ids } = await this.activeMembers(scope, from, to);
    const count = (name: keyof typeof ids) => db.raw(`sum(case when ${inIdList(db, 'm.user_id')} then 1 else 0 end) as ${name}`, [ids[name]]);
    const q = db
      .from(this.scopeMembers(scope).select('m.user_id').as('m'))
      .select(db.raw('count(*) as members'), count('active'), count('participating'), count('contributing'));
    if (field.holders) q.leftJoin(field.holders.query.as('h'), 'h.user_id', 'm.user_id').groupBy('h.v').select('h.v');
    else q.select(db.raw('null as v'));
    const rows = (await q) as Record<string, unknown>[];
    const row = (value: string | null, r: Record<string, unknown> | undefined): AdoptionRow => ({
      value,
      members: num(r?.members),
      active: num(r?.active),
      participating: num(r?.participating),
      contributing: num(r?.contributing),
    });
    const byValue = new Map(rows.map((r) => [r.v === null ? null : String(r.v), r]));
    return [...field.values.map((v) => row(v, byValue.get(v.trim().toLowerCase()))), row(null, byValue.get(null))];
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
