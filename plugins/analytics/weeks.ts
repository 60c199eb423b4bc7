/**
 * Weekly member rows (`analytics_member_weeks`): per network, container, ISO week (Monday to
 * Sunday, UTC) and member, the week's participations and contributions, summed from the
 * member-days by the rollup job in the same transaction as the days. Distinct members do not
 * add up across days, but they do by union: a period's members active, participating and
 * contributing are the union of the member ids of its whole weeks (one row per member and week)
 * and of the days at its two ends, counted in SQL (a 90-day period reads 12 or 13 weeks' rows
 * and at most 12 days', not 90 days'). A member's erasure deletes their weekly rows with their
 * member-days (foreign key to `users`).
 */
import type { Knex } from 'knex';

/** The week of a UTC day number: weeks start on Mondays (day 0, 1970-01-01, was a Thursday: week 0 began on day -3). */
export const weekOf = (day: number): number => Math.floor((day + 3) / 7);
/** The first day (a Monday) of a week. */
export const weekStart = (week: number): number => week * 7 - 3;
/** The same as `weekOf`, in SQL (days are never negative: integer division is the floor on both databases). */
const WEEK_OF = (column: string): string => `cast((${column} + 3) / 7 as integer)`;

/** [from, to] as the whole weeks inside it (null: none) and the days left at its two ends, as ranges of days. */
export function weekSpans(from: number, to: number): { weeks: [number, number] | null; days: [number, number][] } {
  const first = weekOf(from - 1) + 1;
  const last = weekOf(to + 1) - 1;
  if (first > last) return { weeks: null, days: [[from, to]] };
  const days: [number, number][] = [];
  if (from < weekStart(first)) days.push([from, weekStart(first) - 1]);
  if (to > weekStart(last) + 6) days.push([weekStart(last) + 7, to]);
  return { weeks: [first, last], days };
}

/**
 * The network's weekly rows of every week touching the days [from, to], summed again from
 * `analytics_member_days` (whole weeks: the days of those weeks outside [from, to] were rolled
 * up before, or are not yet). Called by the rollup after it wrote those member-days.
 */
export async function rollupWeeks(trx: Knex, networkId: number, from: number, to: number): Promise<void> {
  const [first, last] = [weekOf(from), weekOf(to)];
  await trx('analytics_member_weeks').where('network_id', networkId).whereBetween('week', [first, last]).delete();
  await sumWeeks(trx, 'network_id = ? and day >= ? and day <= ?', [networkId, weekStart(first), weekStart(last) + 6]);
}

/** Inserts the weekly rows of the member-days matching `where` (every week of theirs must be in it: no row of those weeks there yet). */
export async function sumWeeks(db: Knex, where: string, bindings: readonly number[]): Promise<void> {
  await db.raw(
    `insert into analytics_member_weeks (network_id, container_id, week, user_id, participations, contributions)
     select network_id, container_id, ${WEEK_OF('day')}, user_id, sum(participations), sum(contributions)
     from analytics_member_days where ${where}
     group by network_id, container_id, ${WEEK_OF('day')}, user_id`,
    [...bindings],
  );
}
