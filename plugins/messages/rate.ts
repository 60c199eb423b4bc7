/**
 * Per-member sending limit: a sliding window of one minute, in this process — exact where
 * one process serves (SQLite); on PostgreSQL the service counts stored messages instead.
 */
export class RateLimiter {
  private readonly sent = new Map<number, number[]>();

  /** Counts one send for `userId`; false when the limit for the last minute is reached. */
  take(userId: number, perMinute: number, now = Date.now()): boolean {
    const since = now - 60_000;
    const times = (this.sent.get(userId) ?? []).filter((t) => t > since);
    if (times.length >= perMinute) {
      this.sent.set(userId, times);
      return false;
    }
    times.push(now);
    this.sent.set(userId, times);
    if (this.sent.size > 10_000) for (const [k, v] of this.sent) if (!v.some((t) => t > since)) this.sent.delete(k);
    return true;
  }
}
