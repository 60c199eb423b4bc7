/**
 * The figures the dashboard computes from the rollups, kept in this process until the rollup
 * job runs again: everything in the rollup tables changes only when the job runs, so a figure
 * keyed by the network's run (`analytics_rollup.runs`) is exact until the next run, whoever
 * asks, or a member's erasure (`analytics_rollup.erasures`, counted in the transaction that
 * deletes their rows: erasure.ts). Only what does not depend on the viewer or on live tables is kept (the distinct
 * members of a period, rankings before the viewer's access is checked); the newest
 * MEMO_ENTRIES are kept, the oldest dropped first.
 */
export const MEMO_ENTRIES = 64;

export class RollupMemo {
  private readonly entries = new Map<string, Promise<unknown>>();

  /** The value under `key` (computed once, or `again` in place of the one kept; a failure is not kept). */
  get<T>(key: string, compute: () => Promise<T>, again = false): Promise<T> {
    const found = again ? undefined : this.entries.get(key);
    if (found) {
      // Used again: now the newest.
      this.entries.delete(key);
      this.entries.set(key, found);
      return found as Promise<T>;
    }
    const value = compute();
    this.entries.delete(key);
    this.entries.set(key, value);
    value.catch(() => {
      if (this.entries.get(key) === value) this.entries.delete(key);
    });
    while (this.entries.size > MEMO_ENTRIES) this.entries.delete(this.entries.keys().next().value as string);
    return value;
  }
}
