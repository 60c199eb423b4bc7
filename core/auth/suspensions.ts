/**
 * Suspending an account: it cannot sign in, its sessions and open sockets end at once (in every
 * process: core/realtime/member-sockets.ts), and the suspension
 * says why (`users.suspension_reason`) and until when (`users.suspended_until`, null: until
 * an administrator reactivates it). An expired suspension is lifted by the core's
 * housekeeping and, sooner, when the member signs in after its end. The command line
 * (`ruche user suspend`) and the members console (plugins/admin) both act through here;
 * callers write the audit entry.
 */
import type { Knex } from 'knex';
import type { AuditLog } from '../audit/audit-log';
import { closeMemberSockets } from '../realtime/member-sockets';
import type { PubSub } from '../realtime/pubsub';
import type { FieldErrors } from './users';

export const SUSPENSION_REASON_MAX = 500;

export interface SuspensionInput {
  reason: string;
  /** When it ends (ms); null: until reactivated. */
  until: number | null;
}

export interface Suspension {
  reason: string | null;
  until: number | null;
}

/** The only active root admin cannot be suspended: nobody could reactivate them from the web. */
export type SuspendRefusal = 'unknown' | 'lastRootAdmin' | 'self';

interface StatusRow {
  id: number;
  status: string;
  is_root_admin: boolean | number;
  suspension_reason: string | null;
  suspended_until: number | string | null;
}

export class Suspensions {
  constructor(
    private readonly db: Knex,
    private readonly audit: AuditLog,
    private readonly pubsub: Pick<PubSub, 'publish'>,
  ) {}

  /** Checks a reason (required, up to 500 characters) and an end (in the future, or none); i18n keys per field. */
  check(input: SuspensionInput, now = Date.now()): FieldErrors {
    const errors: FieldErrors = {};
    const reason = input.reason.trim();
    if (!reason) errors.reason = { key: 'core.suspension.error.reason' };
    else if (reason.length > SUSPENSION_REASON_MAX)
      errors.reason = { key: 'core.suspension.error.reasonTooLong', params: { max: SUSPENSION_REASON_MAX } };
    if (input.until !== null && (!Number.isFinite(input.until) || input.until <= now)) errors.until = { key: 'core.suspension.error.past' };
    return errors;
  }

  /** The account's suspension, or undefined when it is not suspended (or does not exist). */
  async of(userId: number): Promise<Suspension | undefined> {
    const row = await this.row(userId);
    if (!row || row.status !== 'suspended') return undefined;
    return { reason: row.suspension_reason, until: row.suspended_until === null ? null : Number(row.suspended_until) };
  }

  /**
   * Suspends the account with a checked `input` (see `check`): ends every session and
   * replaces an earlier suspension's reason and end. `by` is the member acting (not
   * themselves). Returns the suspension it replaced (undefined when the account was not
   * suspended), or a refusal. In the caller's transaction `trx` when given (a moderation
   * decision and its audit entry): the sockets close once it is committed.
   */
  async suspend(
    userId: number,
    input: SuspensionInput,
    by?: number,
    trx?: Knex.Transaction,
  ): Promise<{ refused: SuspendRefusal } | { previous: Suspension | undefined; status: string }> {
    const row = await this.row(userId, trx);
    if (!row) return { refused: 'unknown' };
    if (by !== undefined && by === userId) return { refused: 'self' };
    if (row.is_root_admin && row.status === 'active' && (await this.activeRootAdmins(trx)) <= 1) return { refused: 'lastRootAdmin' };
    const previous =
      row.status === 'suspended'
        ? { reason: row.suspension_reason, until: row.suspended_until === null ? null : Number(row.suspended_until) }
        : undefined;
    const write = async (db: Knex) => {
      await db('users')
        .where({ id: userId })
        .update({ status: 'suspended', suspension_reason: input.reason.trim(), suspended_until: input.until, updated_at: Date.now() });
      await db('sessions').where({ user_id: userId }).delete();
    };
    // Signed out everywhere: their open sockets (chat, notifications) too, in every process.
    const closeSockets = () => closeMemberSockets(this.pubsub, userId, null);
    if (trx) {
      await write(trx);
      void trx.executionPromise.then(closeSockets, () => undefined);
    } else {
      await this.db.transaction(write);
      await closeSockets();
    }
    return { previous, status: row.status };
  }

  /** Lifts a suspension; false when the account is not suspended. */
  async reactivate(userId: number): Promise<boolean> {
    const n = await this.db('users')
      .where({ id: userId, status: 'suspended' })
      .update({ status: 'active', suspension_reason: null, suspended_until: null, updated_at: Date.now() });
    return Number(n) > 0;
  }

  /**
   * Lifts this account's suspension when its end has passed at `now` (writing
   * `core.user.suspensionEnded` to the audit log, with no actor); true when lifted.
   */
  async liftIfOver(userId: number, now = Date.now()): Promise<boolean> {
    return this.db.transaction(async (trx) => {
      const n = await trx('users')
        .where({ id: userId, status: 'suspended' })
        .whereNotNull('suspended_until')
        .where('suspended_until', '<=', now)
        .update({ status: 'active', suspension_reason: null, suspended_until: null, updated_at: now });
      if (!Number(n)) return false;
      const entry = { action: 'core.user.suspensionEnded', networkId: null, actorId: null, objectType: 'user', objectId: userId, at: now };
      await this.audit.record({ ...entry, before: { status: 'suspended' }, after: { status: 'active' } }, trx);
      return true;
    });
  }

  /** Lifts every suspension whose end has passed at `now`; returns the accounts reactivated. */
  async liftExpired(now = Date.now()): Promise<number[]> {
    const due = (await this.db('users')
      .where({ status: 'suspended' })
      .whereNotNull('suspended_until')
      .where('suspended_until', '<=', now)
      .select('id')) as { id: number }[];
    const lifted: number[] = [];
    for (const { id } of due) if (await this.liftIfOver(Number(id), now)) lifted.push(Number(id));
    return lifted;
  }

  private async row(userId: number, db: Knex = this.db): Promise<StatusRow | undefined> {
    if (!Number.isSafeInteger(userId) || userId <= 0) return undefined;
    return db('users').where({ id: userId }).first('id', 'status', 'is_root_admin', 'suspension_reason', 'suspended_until');
  }

  private async activeRootAdmins(db: Knex = this.db): Promise<number> {
    const row = await db('users').where({ is_root_admin: true, status: 'active' }).count<{ n: number | string }[]>('id as n').first();
    return Number(row?.n ?? 0);
  }
}
