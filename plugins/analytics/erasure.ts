/**
 * A member's erasure: their analytics rows go at once with the figures kept from them. The
 * dashboard keeps what it computes from the rollups until the job's next run (memo.ts), keyed
 * by the network's state in `analytics_rollup`; the member's rows are deleted here (before the
 * core deletes the account, whose foreign keys would take them too) in the same transaction as
 * each of their networks' `erasures` is counted, which changes that key in every process: no
 * figure kept from before counts the erased member after.
 */
import { erased, type MemberErasure, type MemberErasureContext } from '../../core';

/** The tables with a row per member (and network, container, day or week): all keyed by `user_id`. */
const MEMBER_TABLES = [
  'analytics_member_days',
  'analytics_member_weeks',
  'analytics_member_months',
  'analytics_member_last',
  'analytics_views',
] as const;

export async function eraseMember(report: MemberErasure, { rt, userId, mode }: MemberErasureContext): Promise<MemberErasure> {
  // Anonymised, the account stays (a former member): what they did still counts, as their content stays.
  if (mode !== 'erase') return report;
  let removed = 0;
  await rt.db.transaction(async (trx) => {
    const networks = await trx('analytics_member_days').where('user_id', userId).distinct('network_id').pluck('network_id');
    for (const table of MEMBER_TABLES) removed += await trx(table).where('user_id', userId).delete();
    if (networks.length) await trx('analytics_rollup').whereIn('network_id', networks).increment('erasures', 1);
  });
  return erased(report, 'analytics', removed);
}
