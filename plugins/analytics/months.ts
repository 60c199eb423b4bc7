/**
 * Monthly member rows (`analytics_member_months`): per network, container, calendar month (UTC)
 * and member, the month's participations and contributions, summed from the member-days by the
 * rollup job in the same transaction as the days, as the weekly rows are (weeks.ts). A long
 * period's distinct members are the union of its whole months' rows, then of the whole weeks
 * and days at its two ends: a year reads 11 or 12 months' rows (about 9,700 a month on the
 * bench network) instead of 52 weeks' (7,750 a week). A member's erasure deletes their monthly
 * rows with their member-days (erasure.ts, and the foreign key to `users`).
 */
import type { Knex } from 'knex';
import { DAY_MS } from './verbs';
import { weekSpans } from './weeks';

/** The month of a UTC day number: months since January 1970. */
export function monthOf(day: number): number {
  const date = new Date(day * DAY_MS);
  return (date.getUTCFullYear() - 1970) * 12 + date.getUTCMonth();
}
/** The first day of a month. */
export const monthStart = (month: number): number => Date.UTC(1970 + Math.floor(month / 12), month % 12, 1) / DAY_MS;

/** [from, to] as its whole months (null: none), then the whole weeks and days left at its two ends (weekSpans), as ranges. */
export function periodSpans(from: number, to: number): { months: [number, number] | null; weeks: [number, number][]; days: [number, number][] } {
  const first = monthOf(from - 1) + 1;
  const last = monthOf(to + 1) - 1;
  const ends: [number, number][] = first > last ? [[from, to]] : [];
  if (first <= last) {
    if (from < monthStart(first)) ends.push([from, monthStart(first) - 1]);
    if (to >= monthStart(last + 1)) ends.push([monthStart(last + 1), to]);
  }
  const weeks: [number, number][] = [];
  const days: [number, number][] = [];
  for (const [lo, hi] of ends) {
    const spans = weekSpans(lo, hi);
    if (spans.weeks) weeks.push(spans.weeks);
    days.push(...spans.days);
  }
  return { months: first <= last ? [first, last] : null, weeks, days };
}

/**
 * The network's monthly rows of every month touching the days [from, to], summed again from
 * `analytics_member_days` (whole months). Called by the rollup after it wrote those member-days.
 */
export async function rollupMonths(trx: Knex, networkId: number, from: number, to: number): Promise<void> {
  await trx('analytics_member_months')
    .where('network_id', networkId)
    .whereBetween('month', [monthOf(from), monthOf(to)])
    .delete();
  await sumMonths(trx, networkId, monthOf(from), monthOf(to));
}

/** Inserts the network's monthly rows of the months [first, last] (no row of those months there yet), one statement a month. */
export async function sumMonths(db: Knex, networkId: number, first: number, last: number): Promise<void> {
  for (let month = first; month <= last; month++)
    await db.raw(
      `insert into analytics_member_months (network_id, container_id, month, user_id, participations, contributions)
       select network_id, container_id, cast(? as integer), user_id, sum(participations), sum(contributions)
       from analytics_member_days where network_id = ? and day >= ? and day < ?
       group by network_id, container_id, user_id`,
      [month, networkId, monthStart(month), monthStart(month + 1)],
    );
}
