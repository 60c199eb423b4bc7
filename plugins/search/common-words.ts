/**
 * The words bm25 gives no weight (SQLite, issue 21). FTS5's bm25 counts the documents holding
 * each word of its cursor, reading the word's whole list, for the word's IDF; a word in half the
 * indexed documents or more gets an IDF of 1e-6 (FTS5 clamps `log((N - n + 0.5) / (n + 0.5)) <= 0`
 * to it): it adds millionths to a score, yet counting it cost most of the relevance statement
 * (`the` is in 267,000 of the bench site's 270,000 documents: 6.5 ms where `supplier` alone
 * costs 1 ms). The relevance order scores its candidates on the other words; the candidates
 * still match every word.
 *
 * Whether a word is common is kept per database for ten minutes (at most `KEPT` words): the
 * first search with a word counts its documents up to half the index, about what bm25 read.
 */
import type { Knex } from 'knex';
import { preparedRead } from '../../core';
import { ftsWords } from './match';

/** How long a word's count and the index's size are kept (ms). */
const FRESH_MS = 10 * 60_000;
/** Words kept per database, the least recently counted dropped first. */
const KEPT = 2000;

/** The documents bm25 counts as N (`xRowCount`: one `docsize` row each). */
const ROWS = preparedRead<{ n: number }>('select count(*) as n from search_fts_docsize');
/** The documents holding a word, counted up to a limit. */
const HOLDING = preparedRead<{ n: number }>('select count(*) as n from (select 1 from search_fts where search_fts match ? limit ?)');

interface Kept {
  rows: { n: number; at: number } | null;
  common: Map<string, { common: boolean; at: number }>;
}

const perDatabase = new WeakMap<Knex, Kept>();

/** The index's documents (kept `FRESH_MS`). */
async function indexRows(db: Knex, kept: Kept, now: number): Promise<number> {
  if (!kept.rows || now - kept.rows.at > FRESH_MS) kept.rows = { n: Number((await ROWS.first(db, []))?.n ?? 0), at: now };
  return kept.rows.n;
}

/** Whether bm25 gives `word` no weight: it is in half the index's documents or more. */
async function isCommon(db: Knex, kept: Kept, word: string, now: number): Promise<boolean> {
  const known = kept.common.get(word);
  if (known && now - known.at <= FRESH_MS) return known.common;
  const half = Math.ceil((await indexRows(db, kept, now)) / 2);
  const holding = half ? Number((await HOLDING.first(db, [ftsWords([word]), half]))?.n ?? 0) : 0;
  const common = half > 0 && holding >= half;
  kept.common.delete(word);
  if (kept.common.size >= KEPT) kept.common.delete(kept.common.keys().next().value as string);
  kept.common.set(word, { common, at: now });
  return common;
}

/**
 * The words the relevance order scores with bm25: every word but those in half the index or
 * more (all of them when every word is that common, so the cursor still matches something).
 */
export async function scoredWords(db: Knex, words: readonly string[], now = Date.now()): Promise<readonly string[]> {
  if (words.length < 2) return words;
  let kept = perDatabase.get(db);
  if (!kept) perDatabase.set(db, (kept = { rows: null, common: new Map() }));
  const rare: string[] = [];
  for (const w of words) if (!(await isCommon(db, kept, w, now))) rare.push(w);
  return rare.length ? rare : words;
}
