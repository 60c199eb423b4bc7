/**
 * Rate limits of the JSON API: each caller (a token; without one, a member or an address
 * calling `/api/`) may make `perMinute` requests per fixed one-minute window. One process
 * counts in memory; when several serve the port (`ruche start --workers N`) they count in the
 * database (`api_rate_windows`, one upsert per request), so the limit holds across them.
 * Every answer says where the caller stands with the `RateLimit-Limit`, `RateLimit-Remaining`
 * and `RateLimit-Reset` (seconds) headers; past the limit, a JSON 429 with `Retry-After`.
 */
import cluster from 'node:cluster';
import type Koa from 'koa';
import type { Knex } from 'knex';
import type { RucheConfig } from '../../config';
import { HttpError } from '../../errors';

const WINDOW_MS = 60_000;
/** Past this many callers tracked in memory, windows that ended are dropped. */
const SWEEP_AT = 10_000;

export interface RateVerdict {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Seconds until the window ends. */
  resetSeconds: number;
}

/** Where the counts are kept: this process's memory, or the database every process shares. */
export type RateStore = 'memory' | 'database';

/** The store the configuration asks for; `auto` is the database in a worker of `--workers N`. */
export function rateStoreOf(config: RucheConfig, inWorker = cluster.isWorker): RateStore {
  const set = config.api.rateLimitStore;
  return set === 'auto' ? (inWorker ? 'database' : 'memory') : set;
}

export class ApiRateLimit {
  private readonly windows = new Map<string, { start: number; count: number }>();
  /** The clock windows are timed by (tests move it). */
  now: () => number = () => Date.now();

  /** `db` is needed by the `database` store only. */
  constructor(
    readonly perMinute: number,
    readonly store: RateStore = 'memory',
    private readonly db?: Knex,
  ) {}

  /** Counts one request of `caller` and says whether it may go on. */
  async take(caller: string): Promise<RateVerdict> {
    const now = this.now();
    const { start, count } = this.store === 'database' ? await this.countShared(caller, now) : this.countHere(caller, now);
    return {
      allowed: count <= this.perMinute,
      limit: this.perMinute,
      remaining: Math.max(0, this.perMinute - count),
      resetSeconds: Math.max(1, Math.ceil((start + WINDOW_MS - now) / 1000)),
    };
  }

  /** In memory: a window starts at the caller's first request after the last one ended. */
  private countHere(caller: string, now: number): { start: number; count: number } {
    let w = this.windows.get(caller);
    if (!w || now - w.start >= WINDOW_MS) {
      if (this.windows.size >= SWEEP_AT) this.sweep(now);
      w = { start: now, count: 0 };
      this.windows.set(caller, w);
    }
    w.count += 1;
    return w;
  }

  /**
   * In the database: windows are the clock's minutes, so that every process names the same
   * one; one atomic upsert counts the request. A caller's first request of a window removes
   * its ended ones.
   */
  private async countShared(caller: string, now: number): Promise<{ start: number; count: number }> {
    const db = this.db!;
    const start = now - (now % WINDOW_MS);
    const key = caller.slice(0, 120);
    const [row] = (await db('api_rate_windows')
      .insert({ caller: key, window_start: start, count: 1 })
      .onConflict(['caller', 'window_start'])
      .merge({ count: db.raw('api_rate_windows.count + 1') })
      .returning('count')) as { count: number | string }[];
    const count = Number(row.count);
    if (count === 1) await db('api_rate_windows').where({ caller: key }).where('window_start', '<', start).delete();
    return { start, count };
  }

  private sweep(now: number): void {
    for (const [k, w] of this.windows) if (now - w.start >= WINDOW_MS) this.windows.delete(k);
  }
}

/** Counts the request against its caller's limit, sets the headers, and throws a 429 past it. */
export async function applyRateLimit(ctx: Koa.Context, limiter: ApiRateLimit, caller: string): Promise<void> {
  const v = await limiter.take(caller);
  ctx.set('RateLimit-Limit', String(v.limit));
  ctx.set('RateLimit-Remaining', String(v.remaining));
  ctx.set('RateLimit-Reset', String(v.resetSeconds));
  if (!v.allowed) {
    ctx.set('Retry-After', String(v.resetSeconds));
    throw new HttpError(429, 'core.api.rateLimited', { seconds: v.resetSeconds }, 'rate_limited');
  }
}
