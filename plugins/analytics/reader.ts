/**
 * What every reader of the rollups shares: the network's rollup state (the last day rolled up,
 * the job's runs), the preset window a period is, and the figures kept until the next run.
 */
import type { Knex } from 'knex';
import type { Runtime } from '../../core';
import { num, type Scope } from './figures';
import { RollupMemo } from './memo';
import { windowOf, type WindowDays } from './windows';

export type ReaderRuntime = Pick<Runtime, 'db' | 'access' | 'links'>;

export class RollupReader {
  private readonly memo = new RollupMemo();
  constructor(protected readonly rt: ReaderRuntime) {}

  /** The network's rollup state: the last day rolled up and the job's runs, or null. */
  protected async rollupState(networkId: number): Promise<{ last: number; runs: number } | null> {
    const state = (await this.rt.db('analytics_rollup').where('network_id', networkId).first('last_day', 'runs')) as
      { last_day: unknown; runs: unknown } | undefined;
    return state ? { last: num(state.last_day), runs: num(state.runs) } : null;
  }

  /** `compute()` kept until the job's next run in the network (memo.ts): for what the rollup tables alone decide. */
  protected async memoized<T>(networkId: number, key: string, compute: () => Promise<T>): Promise<T> {
    const state = await this.rollupState(networkId);
    return this.memo.get(`${networkId}:${state?.runs ?? 'none'}:${key}`, compute);
  }

  protected memberDays(scope: Scope, from: number, to: number): Knex.QueryBuilder {
    return this.rt
      .db('analytics_member_days')
      .where({ network_id: scope.networkId, container_id: scope.containerId })
      .whereBetween('day', [from, to]);
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
