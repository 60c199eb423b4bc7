/**
 * What every reader of the rollups shares: the network's rollup state (the last day rolled up,
 * the job's runs), the preset window a period is, and the figures kept until the next run.
 * The service the container holds reads the state at each question; `forRequest()` gives a
 * reader that reads it once per network and keeps it (one request: the dashboard's tables
 * all read the same run, and the state is one statement instead of one per figure).
 */
import type { Knex } from 'knex';
import type { Runtime } from '../../core';
import { num, type Scope } from './figures';
import { RollupMemo } from './memo';
import { periodSpans } from './months';
import { windowOf, type WindowDays } from './windows';

export type ReaderRuntime = Pick<Runtime, 'db' | 'access' | 'links'>;

export interface RollupState {
  /** The last day rolled up (rolled up again at the next run; the days before it are final). */
  last: number;
  /** The job's runs in the network: what memo.ts keeps is keyed by it. */
  runs: number;
  /** The members erased in the network (erasure.ts): what memo.ts keeps is keyed by it too. */
  erasures: number;
}

export class RollupReader {
  constructor(
    protected readonly rt: ReaderRuntime,
    private readonly memo = new RollupMemo(),
    /** The states read by this reader (a request's), or undefined: read at each question. */
    private readonly states?: Map<number, Promise<RollupState | null>>,
  ) {}

  /** This reader for one request: the same kept figures, each network's rollup state read once. */
  forRequest(): this {
    const Reader = this.constructor as new (rt: ReaderRuntime, memo: RollupMemo, states: Map<number, Promise<RollupState | null>>) => this;
    return new Reader(this.rt, this.memo, new Map());
  }

  /** The network's rollup state, or null (never rolled up). */
  protected rollupState(networkId: number): Promise<RollupState | null> {
    if (!this.states) return this.readState(networkId);
    let state = this.states.get(networkId);
    if (!state) this.states.set(networkId, (state = this.readState(networkId)));
    return state;
  }

  private async readState(networkId: number): Promise<RollupState | null> {
    const state = (await this.rt.db('analytics_rollup').where('network_id', networkId).first('last_day', 'runs', 'erasures')) as
      { last_day: unknown; runs: unknown; erasures: unknown } | undefined;
    return state ? { last: num(state.last_day), runs: num(state.runs), erasures: num(state.erasures) } : null;
  }

  /**
   * `compute()` kept until the job's next run or a member's erasure in the network (memo.ts): for
   * what the rollup tables alone decide, or what `key` also names the version of; computed
   * `again` (and kept) when the caller found the kept value out of date.
   */
  protected async memoized<T>(networkId: number, key: string, compute: () => Promise<T>, again = false): Promise<T> {
    const state = await this.rollupState(networkId);
    return this.memo.get(`${networkId}:${state ? `${state.runs}.${state.erasures}` : 'none'}:${key}`, compute, again);
  }

  protected memberDays(scope: Scope, from: number, to: number): Knex.QueryBuilder {
    return this.rt
      .db('analytics_member_days')
      .where({ network_id: scope.networkId, container_id: scope.containerId })
      .whereBetween('day', [from, to]);
  }

  /**
   * The member rows of [from, to] (`user_id`, `participations`, `contributions`): its whole months
   * from `analytics_member_months`, the whole weeks at its ends from `analytics_member_weeks`, the
   * days left from `analytics_member_days` (months.ts, weeks.ts). A member has a row per month,
   * week or day they were active in: group by `user_id` for the period's.
   */
  protected memberSpans(scope: Scope, from: number, to: number): Knex.QueryBuilder {
    const columns = ['user_id', 'participations', 'contributions'];
    const { months, weeks, days } = periodSpans(from, to);
    const rows = (table: string, column: string, range: [number, number]) =>
      this.rt.db(table).where({ network_id: scope.networkId, container_id: scope.containerId }).whereBetween(column, range).select(columns);
    const parts = [
      ...(months ? [rows('analytics_member_months', 'month', months)] : []),
      ...weeks.map((range) => rows('analytics_member_weeks', 'week', range)),
      ...days.map(([lo, hi]) => this.memberDays(scope, lo, hi).select(columns)),
    ];
    return parts.length === 1 ? parts[0] : parts[0].unionAll(parts.slice(1));
  }

  /** The last day rolled up in the network (rolled up again at the next run; the days before it are final), or null. */
  protected async lastDay(networkId: number): Promise<number | null> {
    return (await this.rollupState(networkId))?.last ?? null;
  }

  /**
   * The window [from, to] is (the last 7, 28 or 90 days up to a day rolled up), else null:
   * its figures are then one row of `analytics_days` per scope, read at `to`.
   */
  protected async windowOf(networkId: number, from: number, to: number): Promise<WindowDays | null> {
    const days = windowOf(to - from + 1);
    if (days === null) return null;
    const last = await this.lastDay(networkId);
    return last !== null && last >= to ? days : null;
  }
}
