/**
 * The core's hourly housekeeping: rows that only ever grow are trimmed once they can no
 * longer matter. Sessions past their absolute or idle end (a session is otherwise deleted
 * only when it is presented again); sign-in attempts older than the retention (they hold
 * addresses, personal data, and the throttle only reads the last 15 minutes plus each
 * address's last success); single-use links a month after they expired (until then the
 * page can still say "expired" rather than "unknown"); finished jobs after a week, failed
 * ones after a month; audit log entries after `audit.retentionDays` (config); webhook
 * deliveries a month after they were made, once they are no longer waiting. Suspensions
 * whose end has passed are lifted (core/auth/suspensions.ts). Members' data archives go once
 * their 48 hours are over (core/members/export.ts), bytes included.
 */
import type { Runtime } from '../runtime';
import type { JobDef } from './runner';
import { purgeExpiredExports } from '../members/export';

const DAY = 86_400_000;
export const HOUSEKEEPING_EVERY_MS = 3_600_000;
export const LOGIN_ATTEMPTS_KEPT_MS = 90 * DAY;
export const EXPIRED_LINKS_KEPT_MS = 30 * DAY;
export const DONE_JOBS_KEPT_MS = 7 * DAY;
export const FAILED_JOBS_KEPT_MS = 30 * DAY;
export const WEBHOOK_DELIVERIES_KEPT_MS = 30 * DAY;

export interface Trimmed {
  sessions: number;
  loginAttempts: number;
  links: number;
  jobs: number;
  audit: number;
  webhookDeliveries: number;
  /** Suspensions lifted because their end passed. */
  suspensionsEnded: number;
}

/** Deletes what has outlived its use at `now`; returns how many rows each table lost. */
export async function housekeeping(rt: Pick<Runtime, 'db' | 'config' | 'audit' | 'suspensions'>, now: number): Promise<Trimmed> {
  const db = rt.db;
  const idleMs = rt.config.session.idleMinutes * 60_000;
  const sessions = await db('sessions')
    .where('expires_at', '<', now)
    .orWhere('last_seen_at', '<', now - idleMs)
    .delete();
  const loginAttempts = await db('login_attempts')
    .where('created_at', '<', now - LOGIN_ATTEMPTS_KEPT_MS)
    .delete();
  const links = await db('auth_tokens')
    .where('expires_at', '<', now - EXPIRED_LINKS_KEPT_MS)
    .delete();
  const jobs = await db('jobs')
    .where((w) => w.where('status', 'done').where('finished_at', '<', now - DONE_JOBS_KEPT_MS))
    .orWhere((w) => w.where('status', 'failed').where('finished_at', '<', now - FAILED_JOBS_KEPT_MS))
    .delete();
  const audit = await rt.audit.purge(now - rt.config.audit.retentionDays * DAY);
  const webhookDeliveries = await db('webhook_deliveries')
    .where('created_at', '<', now - WEBHOOK_DELIVERIES_KEPT_MS)
    .whereIn('status', ['delivered', 'failed', 'cancelled'])
    .delete();
  const suspensionsEnded = (await rt.suspensions.liftExpired(now)).length;
  return {
    sessions: Number(sessions),
    loginAttempts: Number(loginAttempts),
    links: Number(links),
    jobs: Number(jobs),
    audit,
    webhookDeliveries: Number(webhookDeliveries),
    suspensionsEnded,
  };
}

export const housekeepingJob: JobDef = {
  kind: 'core.housekeeping',
  everyMs: HOUSEKEEPING_EVERY_MS,
  maxAttempts: 1,
  handler: async (_payload, rt, job) => {
    const trimmed = await housekeeping(rt, job.now);
    const exports = await purgeExpiredExports(rt, job.now); // members' archives past their 48 hours
    rt.logger.info({ trimmed, exports }, 'housekeeping');
  },
};
