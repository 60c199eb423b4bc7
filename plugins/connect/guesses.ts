/**
 * A limit on guessing codes: a code that opens nothing (unknown, expired, replaced, another
 * network's, malformed) counts as a failure of the member who tried it and of their address.
 * Past `MEMBER_FAILURES` failures of one member, or `ADDRESS_FAILURES` from one address, within
 * `WINDOW_MS`, every code they try is refused with a 429 until the oldest failure leaves the
 * window — a good code too, so that guessing on does not tell which code worked. Counted in
 * memory, per process (the pages that look codes up are GETs: they write nothing); several
 * processes each allow the limit.
 */
export const MEMBER_FAILURES = 10;
export const ADDRESS_FAILURES = 30;
export const WINDOW_MS = 15 * 60_000;
/** Past this many keys tracked, those whose failures all left the window are dropped. */
const SWEEP_AT = 10_000;

export class CodeGuesses {
  private readonly failures = new Map<string, number[]>();
  /** The clock failures are timed by (tests move it). */
  now: () => number = () => Date.now();

  /** Seconds `userId` (from `address`) must wait before trying a code, or 0. */
  wait(userId: number, address: string): number {
    const now = this.now();
    const waits = [this.waitOf(`m:${userId}`, MEMBER_FAILURES, now), address ? this.waitOf(`a:${address}`, ADDRESS_FAILURES, now) : 0];
    return Math.ceil(Math.max(...waits) / 1000);
  }

  /** A code `userId` tried from `address` opened nothing. */
  failed(userId: number, address: string): void {
    const now = this.now();
    if (this.failures.size >= SWEEP_AT) this.sweep(now);
    for (const key of [`m:${userId}`, address ? `a:${address}` : '']) {
      if (!key) continue;
      const list = this.recent(key, now);
      list.push(now);
      this.failures.set(key, list);
    }
  }

  private recent(key: string, now: number): number[] {
    return (this.failures.get(key) ?? []).filter((at) => at > now - WINDOW_MS);
  }

  /** Milliseconds until `key` is under `max` failures again. */
  private waitOf(key: string, max: number, now: number): number {
    const list = this.recent(key, now);
    return list.length < max ? 0 : list[list.length - max] + WINDOW_MS - now;
  }

  private sweep(now: number): void {
    for (const key of [...this.failures.keys()]) if (!this.recent(key, now).length) this.failures.delete(key);
  }
}
