/**
 * bm25 scores kept (SQLite, issue 21). A row's bm25 for some words depends on the row's text and
 * on the whole index (each word's document count, its IDF, and the average lengths), not on who
 * searches: it is kept per database and words, by row (`KeptRows`: forgotten when this process
 * writes the row, a set kept `FRESH_MS`), and the relevance order reads it for the candidates the
 * viewer's own access-filtered statement found. Computing it costs what FTS5's bm25 costs, mostly
 * the count of each word's documents over the whole index (1.3 ms of the 1.5 ms statement for
 * `supplier audit` on the bench site), whatever the number of rows scored.
 */
import type { Knex } from 'knex';
import { idList, preparedRead } from '../../core';
import { KeptRows } from './kept-rows';
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

const SCORES = new KeptRows<number>(KEPT, MAX_ROWS, FRESH_MS);

/**
 * bm25 of each of these rows for the words (negative, best lowest): read from what is kept when
 * every row's is, else computed for all of them. A row the words do not match scores 0 (the worst).
 */
export async function bm25Of(db: Knex, words: readonly string[], ids: readonly number[], now = Date.now()): Promise<ReadonlyMap<number, number>> {
  if (!ids.length) return new Map();
  let scores = SCORES.rows(db, words, now);
  if (!ids.every((id) => scores.has(id))) {
    const rows = await BM25.all(db, [idList(ids), ftsWords(words), Math.min(...ids), Math.max(...ids)]);
    scores = SCORES.rows(db, words, now, rows.length);
    for (const r of rows) scores.set(Number(r.id), Number(r.score));
    for (const id of ids) if (!scores.has(id)) scores.set(id, 0);
  }
  return scores;
}

/** Forgets the kept scores of these rows; every row's when `ids` is null (the bench measures a search without them). */
export function forgetScores(db: Knex, ids: readonly number[] | null): void {
  SCORES.forget(db, ids);
}
