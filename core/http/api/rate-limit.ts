/**
 * Rate limits of the JSON API: each caller (a token; without one, a member or an address
 * calling `/api/`) may make `perMinute` requests per fixed one-minute window. Counted in
 * memory, per process: several processes each allow the limit. Every answer says where the
 * caller stands with the `RateLimit-Limit`, `RateLimit-Remaining` and `RateLimit-Reset`
 * (seconds) headers; past the limit, a JSON 429 with `Retry-After`.
 */
import type Koa from 'koa';
import { HttpError } from '../../errors';

const WINDOW_MS = 60_000;
/** Past this many callers tracked, windows that ended are dropped. */
const SWEEP_AT = 10_000;

export interface RateVerdict {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Seconds until the window ends. */
  resetSeconds: number;
}

export class ApiRateLimit {
  private readonly windows = new Map<string, { start: number; count: number }>();
  /** The clock windows are timed by (tests move it). */
  now: () => number = () => Date.now();

  constructor(readonly perMinute: number) {}

  /** Counts one request of `caller` and says whether it may go on. */
  take(caller: string): RateVerdict {
    const now = this.now();
    let w = this.windows.get(caller);
    if (!w || now - w.start >= WINDOW_MS) {
      if (this.windows.size >= SWEEP_AT) this.sweep(now);
      w = { start: now, count: 0 };
      this.windows.set(caller, w);
    }
    w.count += 1;
    return {
      allowed: w.count <= this.perMinute,
      limit: this.perMinute,
      remaining: Math.max(0, this.perMinute - w.count),
      resetSeconds: Math.max(1, Math.ceil((w.start + WINDOW_MS - now) / 1000)),
    };
  }

  private sweep(now: number): void {
    for (const [k, w] of this.windows) if (now - w.start >= WINDOW_MS) this.windows.delete(k);
  }
}

/** Counts the request against its caller's limit, sets the headers, and throws a 429 past it. */
export function applyRateLimit(ctx: Koa.Context, limiter: ApiRateLimit, caller: string): void {
  const v = limiter.take(caller);
  ctx.set('RateLimit-Limit', String(v.limit));
  ctx.set('RateLimit-Remaining', String(v.remaining));
  ctx.set('RateLimit-Reset', String(v.resetSeconds));
  if (!v.allowed) {
    ctx.set('Retry-After', String(v.resetSeconds));
    throw new HttpError(429, 'core.api.rateLimited', { seconds: v.resetSeconds }, 'rate_limited');
  }
}
