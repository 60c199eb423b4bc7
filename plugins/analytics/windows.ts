/**
 * The trailing windows the rollup keeps on each day's row of `analytics_days`: over the 7, 28
 * and 90 days ending that day, the distinct members active, participating and contributing,
 * and the acts (contributions, comments, reactions). A preset period (the last 7, 28 or 90
 * days) and the one before it each end on a day, so their funnel and top groups are one row
 * per scope, whatever the size of the network.
 */
export const WINDOWS = [7, 28, 90] as const;
export type WindowDays = (typeof WINDOWS)[number];
export const SETS = ['active', 'participating', 'contributing'] as const;
export type SetName = (typeof SETS)[number];

/** `active_7`: the column of one set over one window. */
export const setColumn = (set: SetName, days: WindowDays): string => `${set}_${days}`;
/** `acts_28`: the acts over one window. */
export const actsColumn = (days: WindowDays): string => `acts_${days}`;

/** The columns the migration adds (`active_7` and `active_28` are also kept as `wau` and `mau`). */
export const WINDOW_COLUMNS: readonly string[] = [...SETS.flatMap((set) => WINDOWS.map((w) => setColumn(set, w))), ...WINDOWS.map(actsColumn)];

/** The window a period of `days` days is, if any. */
export const windowOf = (days: number): WindowDays | null => ((WINDOWS as readonly number[]).includes(days) ? (days as WindowDays) : null);

export const LONGEST_WINDOW: WindowDays = 90;

/**
 * The days [from, to] as disjoint runs, each read from ONE row of `analytics_days`: runs of 90,
 * then 28, then 7 days from `to` backwards, each the trailing window (`acts_90`…) of its last
 * day, then single days (null: that day's own acts). A year is four rows of 90 days and five
 * days, not 365 rows; exact, since a container without a row on a day had no one active, so no
 * acts, over the 90 days ending that day.
 */
export function windowRuns(from: number, to: number): { day: number; window: WindowDays | null }[] {
  const runs: { day: number; window: WindowDays | null }[] = [];
  let end = to;
  for (const w of [...WINDOWS].reverse()) for (; end - from + 1 >= w; end -= w) runs.push({ day: end, window: w });
  for (; end >= from; end--) runs.push({ day: end, window: null });
  return runs;
}
