/**
 * Sign-in throttling that slows the attacker, not the victim. Counted over the last
 * `windowMs`, in the database (`login_attempts`, so several processes share the counts):
 *
 *  - per address: `addressMaxFailures` failed sign-ins from one address, whatever the
 *    accounts (password spraying), refuse further attempts from that address (429);
 *  - per (account, address) pair: `maxFailures` failures on one account from one address
 *    since that pair's last success refuse further attempts on it from there (429);
 *  - per account, stricter but never a lock: after `accountMaxFailures` failures on one
 *    account from anywhere, an address that never signed in to it must wait before each
 *    attempt — 1 second after the account's latest failure, doubling with each further
 *    failure, at most the window ("try again in N seconds"). An address the member already
 *    signed in from (their usual one) is not slowed: the owner with the right password gets
 *    in, however many guesses others made from elsewhere.
 *
 * Every attempt is recorded (the security record); those the throttle refused are marked
 * `refused` and never count as guesses, so hammering while refused extends nothing.
 */
import type { Knex } from 'knex';

export interface ThrottleOptions {
  /** Failures allowed per (account, address) pair. */
  maxFailures: number;
  /** Failures allowed per address across accounts. */
  addressMaxFailures: number;
  /** Failures on one account, from all addresses, before new addresses are slowed. */
  accountMaxFailures: number;
  windowMs: number;
}

export const DEFAULT_THROTTLE: ThrottleOptions = { maxFailures: 10, addressMaxFailures: 30, accountMaxFailures: 5, windowMs: 15 * 60_000 };

/** The first wait once an account is over its ceiling; it doubles with each further failure. */
const FIRST_DELAY_MS = 1_000;

export type ThrottleVerdict =
  | { allowed: true }
  /** Too many failures from this address, or on this account from this address: wait for the window. */
  | { allowed: false; reason: 'address' | 'pair' }
  /** The account is being guessed at from elsewhere: this new address waits `retryAfterSeconds`. */
  | { allowed: false; reason: 'account'; retryAfterSeconds: number };

type Row = { n?: number | string | null; last?: number | string | null };

export class LoginThrottle {
  private readonly options: ThrottleOptions;
  /** The clock attempts are timed by (tests replace it to move time deterministically). */
  now: () => number = () => Date.now();

  constructor(
    private readonly db: Knex,
    options: Partial<ThrottleOptions> = {},
  ) {
    this.options = { ...DEFAULT_THROTTLE, ...options };
  }

  /** Whether an attempt on `account` from `ip` may check its password now; asked before the password. */
  async check(account: string, ip: string): Promise<ThrottleVerdict> {
    const now = this.now();
    const { maxFailures, addressMaxFailures, accountMaxFailures, windowMs } = this.options;
    const since = now - windowMs;
    const failures = () => this.db('login_attempts').where('success', false).where('refused', false).where('created_at', '>', since);
    if (ip) {
      const fromAddress = (await failures().where('ip', ip).count('id as n').first()) as Row | undefined;
      if (Number(fromAddress?.n ?? 0) >= addressMaxFailures) return { allowed: false, reason: 'address' };
    }
    // The pair's last success: it resets the pair's count, and makes this address a usual one.
    const lastSuccess = ip
      ? ((await this.db('login_attempts').where({ account, ip, success: true }).max('created_at as last').first()) as Row | undefined)
      : undefined;
    const usualAddress = lastSuccess?.last != null;
    if (ip) {
      const pair = (await failures()
        .where({ account, ip })
        .where('created_at', '>', Math.max(since, Number(lastSuccess?.last ?? 0)))
        .count('id as n')
        .first()) as Row | undefined;
      if (Number(pair?.n ?? 0) >= maxFailures) return { allowed: false, reason: 'pair' };
    }
    if (usualAddress) return { allowed: true };
    const onAccount = (await failures().where({ account }).count('id as n').max('created_at as last').first()) as Row | undefined;
    const count = Number(onAccount?.n ?? 0);
    if (count < accountMaxFailures) return { allowed: true };
    const delay = Math.min(windowMs, FIRST_DELAY_MS * 2 ** Math.min(30, count - accountMaxFailures));
    const waitMs = Number(onAccount?.last ?? 0) + delay - now;
    return waitMs > 0 ? { allowed: false, reason: 'account', retryAfterSeconds: Math.ceil(waitMs / 1000) } : { allowed: true };
  }

  /** Records an attempt: `refused` when the throttle answered it without checking the password. */
  async record(account: string, ip: string, outcome: 'success' | 'failure' | 'refused'): Promise<void> {
    await this.db('login_attempts').insert({
      account: account.slice(0, 254) || null,
      ip: ip.slice(0, 64) || null,
      success: outcome === 'success',
      refused: outcome === 'refused',
      created_at: this.now(),
    });
  }
}
