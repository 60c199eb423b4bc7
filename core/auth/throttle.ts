/**
 * Sign-in throttling: after `maxFailures` failed attempts within `windowMs` for one account
 * or from one IP address, further attempts are refused (429) until the window moves on.
 * Every attempt is recorded in `login_attempts` (the security record).
 */
import type { Knex } from 'knex';

export interface ThrottleOptions {
  maxFailures: number;
  windowMs: number;
}

export const DEFAULT_THROTTLE: ThrottleOptions = { maxFailures: 10, windowMs: 15 * 60_000 };

export class LoginThrottle {
  constructor(private readonly db: Knex, private readonly options: ThrottleOptions = DEFAULT_THROTTLE) {}

  /** Whether this account or IP has used up its failures; checked before the password. */
  async isBlocked(account: string, ip: string): Promise<boolean> {
    const since = Date.now() - this.options.windowMs;
    const count = async (column: 'account' | 'ip', value: string): Promise<number> => {
      if (!value) return 0;
      const row = await this.db('login_attempts').where(column, value).where('success', false).where('created_at', '>', since).count<{ n: number | string }[]>('id as n').first();
      return Number(row?.n ?? 0);
    };
    return (await count('account', account)) >= this.options.maxFailures || (await count('ip', ip)) >= this.options.maxFailures;
  }

  async record(account: string, ip: string, success: boolean): Promise<void> {
    await this.db('login_attempts').insert({ account: account.slice(0, 254) || null, ip: ip.slice(0, 64) || null, success, created_at: Date.now() });
  }
}
