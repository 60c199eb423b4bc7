/**
 * bm25 scores kept (SQLite, issue 21). A row's bm25 for some words depends on the row's text and
 * on the whole index (each word's document count, its IDF, and the average lengths), not on who
 * searches: it is kept per database and words, by row, and the relevance order reads it for the
 * candidates the viewer's own access-filtered statement found. Computing it costs what FTS5's
 * bm25 costs, mostly the count of each word's documents over the whole index (1.3 ms of the
 * 1.5 ms statement for `supplier audit` on the bench site), whatever the number of rows scored.
 *
 * A row's score is forgotten when this process writes or removes its index row (`forgetScores`,
 * the indexer); the scores of a set of words are kept `FRESH_MS` from the first computed, so a row
 * another process wrote (their catch-up, a CLI reindex) and the index's drifting counts weigh at
 * most that long. At most `KEPT` sets of words, the least recently read dropped first.
 */
import type { Knex } from 'knex';
import { idList, preparedRead } from '../../core';
import { ftsWords } from './match';

/** How long the scores of a set of words are kept (ms): the catch-up job's period. */
const FRESH_MS = 60_000;
/** Sets of words kept per database. */
const KEPT = 128;
/** Rows kept per set of words (past it, the set starts again): with `KEPT`, at most about 6 MB. */
const MAX_ROWS = 1000;

/**
 * The bm25 of the listed rows: title and tags weigh over the body (10, 1, 6; the `scope` column
 * nothing). The cursor matches the words alone, in any column (`ftsWords`: without a column filter
 * FTS5 counts each word's rows from the doclist without reading the positions), and reads only the
 * rows' rowid range.
 */
const BM25 = preparedRead<{ id: number; score: number }>(
  `with c(id) as materialized (select value from json_each(?)) ` +
    `select c.id as id, bm25(search_fts, 10.0, 1.0, 6.0, 0.0) as score from search_fts join c on c.id = +search_fts.rowid ` +
    `where search_fts match ? and search_fts.rowid >= ? and search_fts.rowid <= ?`,
);

interface Scores {
  at: number;
  byRow: Map<number, number>;
}

const perDatabase = new WeakMap<Knex, Map<string, Scores>>();

/**
 * bm25 of each of these rows for the words (negative, best lowest): read from what is kept when
 * every row's is, else computed for all of them. A row the words do not match scores 0 (the worst).
 */
export async function bm25Of(db: Knex, words: readonly string[], ids: readonly number[], now = Date.now()): Promise<ReadonlyMap<number, number>> {
  if (!ids.length) return new Map();
  let kept = perDatabase.get(db);
  if (!kept) perDatabase.set(db, (kept = new Map()));
  const key = JSON.stringify(words);
  let scores = kept.get(key);
  if (scores && now - scores.at > FRESH_MS) scores = undefined;
  kept.delete(key);
  if (!scores || !ids.every((id) => scores!.byRow.has(id))) {
    const rows = await BM25.all(db, [idList(ids), ftsWords(words), Math.min(...ids), Math.max(...ids)]);
    if (!scores || scores.byRow.size + rows.length > MAX_ROWS) scores = { at: now, byRow: new Map() };
    for (const r of rows) scores.byRow.set(Number(r.id), Number(r.score));
    for (const id of ids) if (!scores.byRow.has(id)) scores.byRow.set(id, 0);
  }
  if (kept.size >= KEPT) kept.delete(kept.keys().next().value as string);
  kept.set(key, scores);
  return scores.byRow;
}

/** Forgets the kept scores of these rows (their index rows are written or removed); every row's when `ids` is null. */
export function forgetScores(db: Knex, ids: readonly number[] | null): void {
  const kept = perDatabase.get(db);
  if (!kept) return;
  if (ids === null) kept.clear();
  else for (const scores of kept.values()) for (const id of ids) scores.byRow.delete(Number(id));
}
