/**
 * What the search keeps per database and set of words, by index row (issue 21): what a row's text
 * and the whole index make of the words, the same whoever searches (bm25 scores, highlighted
 * excerpts). Which rows a viewer is shown is never kept: each page reads its rows with the viewer's
 * own access-filtered statement, then takes what is kept for those rows only.
 *
 * A row is forgotten when this process writes or removes its index row (`forgetRows`, the indexer,
 * again after the commit); a set of words is kept `freshMs` from its first row, so a row another
 * process wrote (its catch-up, a CLI reindex) weighs at most that long. At most `sets` sets of words
 * per database, the least recently read dropped first; past `maxRows` rows a set starts again.
 */
import type { Knex } from 'knex';

interface Kept<V> {
  at: number;
  byRow: Map<number, V>;
}

/** Every store, so that a row written is forgotten by all. */
const stores = new Set<KeptRows<unknown>>();

export class KeptRows<V> {
  private readonly perDatabase = new WeakMap<Knex, Map<string, Kept<V>>>();

  constructor(
    private readonly sets: number,
    private readonly maxRows: number,
    private readonly freshMs: number,
  ) {
    stores.add(this as KeptRows<unknown>);
  }

  /**
   * The rows kept for these words (a fresh, empty map when none are, or they are older than
   * `freshMs`), read as the most recent set. `room` rows about to be added start the set again
   * when they would pass `maxRows`.
   */
  rows(db: Knex, words: readonly string[], now: number, room = 0): Map<number, V> {
    let kept = this.perDatabase.get(db);
    if (!kept) this.perDatabase.set(db, (kept = new Map()));
    const key = JSON.stringify(words);
    let set = kept.get(key);
    kept.delete(key);
    if (!set || now - set.at > this.freshMs || set.byRow.size + room > this.maxRows) set = { at: now, byRow: new Map() };
    if (kept.size >= this.sets) kept.delete(kept.keys().next().value as string);
    kept.set(key, set);
    return set.byRow;
  }

  /** Forgets these rows in every set of words (every row when `ids` is null). */
  forget(db: Knex, ids: readonly number[] | null): void {
    const kept = this.perDatabase.get(db);
    if (!kept) return;
    if (ids === null) kept.clear();
    else for (const set of kept.values()) for (const id of ids) set.byRow.delete(Number(id));
  }
}

/** Forgets what every store keeps of these rows (their index rows are written or removed); every row's when `ids` is null. */
export function forgetRows(db: Knex, ids: readonly number[] | null): void {
  for (const store of stores) store.forget(db, ids);
}
