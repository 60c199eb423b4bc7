/**
 * Sanctions a network's reviewer takes from the queue on the member a report is about (the
 * reported member, or the author of the reported content):
 *  - suspend: the account cannot sign in for a period or until reactivated (the core's
 *    rt.suspensions). An account is the installation's: a reviewer suspends it only where the
 *    core's account scope lets them (`scopes.ofAccount`: a sub-network's own member for its
 *    reviewers; anyone else needs root rights);
 *  - ban: removed from this network and kept from joining it again (the core's rt.bans); the
 *    account and its other networks are untouched.
 * Group admins take neither; moderators and admins of the network are not sanctioned from
 * here (an administrator changes their role first), nor does anyone sanction themselves.
 */
import type { Knex } from 'knex';
import { BAN_REASON_MAX, HttpError, type Runtime, type Viewer } from '../../core';
import { REVIEW, type Decision } from './constants';
import type { ReviewScope } from './queue';

export const SANCTIONS = ['suspend', 'ban'] as const;
export type Sanction = (typeof SANCTIONS)[number];
export const isSanction = (d: Decision): d is Sanction => (SANCTIONS as readonly string[]).includes(d);

/** The periods a suspension is chosen from, in days; 0: until an administrator reactivates the account. */
export const SUSPEND_DAYS = [1, 7, 30, 0] as const;
const DAY = 86_400_000;

export interface SanctionInput {
  reason: string;
  days: string;
}

/** Checks a sanction's form: a reason of 1 to BAN_REASON_MAX characters, a known period for a suspension (i18n key of the problem, or null). */
export function sanctionProblem(decision: Sanction, input: SanctionInput): string | null {
  const reason = input.reason.trim();
  if (!reason) return 'moderation.errors.reasonRequired';
  if (reason.length > BAN_REASON_MAX) return 'moderation.errors.reasonTooLong';
  if (decision === 'suspend' && !(SUSPEND_DAYS as readonly number[]).includes(Number(input.days))) return 'moderation.errors.period';
  return null;
}

/** When a suspension of `days` ends (null: until reactivated). */
export const suspendedUntil = (days: string, now = Date.now()): number | null => (Number(days) ? now + Number(days) * DAY : null);

/** The sanctions the viewer may take on member `userId` in their review scope (none for a group admin). */
export async function sanctionsFor(rt: Runtime, viewer: Viewer, scope: ReviewScope, userId: number): Promise<Sanction[]> {
  if (!scope.all || userId === viewer.id) return [];
  const rows = (await rt
    .db('memberships as m')
    .join('users as u', 'u.id', 'm.user_id')
    .where('m.user_id', userId)
    .select('m.network_id', 'm.role', 'u.status', 'u.is_root_admin')) as {
    network_id: number;
    role: string;
    status: string;
    is_root_admin: boolean | number;
  }[];
  const here = rows.find((r) => Number(r.network_id) === scope.networkId);
  if (!here || here.role !== 'member' || here.status !== 'active') return [];
  const isRootAdmin = here.is_root_admin === true || Number(here.is_root_admin) === 1;
  if (isRootAdmin) return [];
  const account = rt.scopes.ofAccount({ networkIds: rows.map((r) => Number(r.network_id)), isRootAdmin });
  return rt.scopes.mayAct(viewer, REVIEW, account) ? ['suspend', 'ban'] : ['ban'];
}

/** Refused in the decision's transaction: the member's standing changed since the form (suspended, made a moderator...). */
export const SANCTION_REFUSED = 'moderation.errors.sanctionRefused';
const refused = () => new HttpError(409, SANCTION_REFUSED);

/**
 * Takes sanction `decision` on member `userId` in the decision's transaction, after checking
 * again, on the row locked (PostgreSQL), that they are still an active plain member of the
 * network: their standing may have changed since the route's check (`sanctionsFor`). Refused,
 * it throws a 409 and the whole decision rolls back (nothing closed, recorded or audited).
 * Answers the audit entry's before and after.
 */
export async function sanction(
  rt: Runtime,
  trx: Knex.Transaction,
  viewer: Viewer,
  networkId: number,
  userId: number,
  decision: Sanction,
  input: SanctionInput,
  now: number,
): Promise<{ before: Record<string, unknown>; after: Record<string, unknown> }> {
  if (rt.dialect === 'postgres') await trx('users').where({ id: userId }).forUpdate().first('id');
  const here = (await trx('memberships as m')
    .join('users as u', 'u.id', 'm.user_id')
    .where({ 'm.user_id': userId, 'm.network_id': networkId })
    .first('m.role', 'u.status', 'u.is_root_admin')) as { role: string; status: string; is_root_admin: boolean | number } | undefined;
  if (!here || here.role !== 'member' || here.status !== 'active' || here.is_root_admin === true || Number(here.is_root_admin) === 1) throw refused();
  const reason = input.reason.trim();
  if (decision === 'ban') {
    const banned = await rt.bans.ban(networkId, userId, reason, viewer.id, trx, now);
    if ('refused' in banned) throw refused();
    return { before: { member: userId, role: banned.role }, after: { member: userId, banned: true, reason } };
  }
  const until = suspendedUntil(input.days, now);
  const done = await rt.suspensions.suspend(userId, { reason, until }, viewer.id, trx);
  if ('refused' in done) throw refused();
  return { before: { member: userId, status: done.status }, after: { member: userId, status: 'suspended', reason, until } };
}
