/**
 * What a result shows of its text (issue 21): its title and an excerpt around the searched words,
 * highlighted. They come from the row's indexed text and the words alone, the same whoever
 * searches, so they are kept per database and words, by row (`KeptRows`, as the bm25 scores):
 * a page reads the text of the rows it lacks only, and cuts and highlights each once.
 */
import type { Knex } from 'knex';
import { highlightedExcerpt, type ExcerptPart } from '../../core';
import { KeptRows } from './kept-rows';
import { excerptText } from './text';

/** A result's title and excerpt, highlighted (a status has no title: its first words stand for one). */
export interface ShownText {
  title: ExcerptPart[];
  excerpt: ExcerptPart[];
}

/** How long the excerpts of a set of words are kept (ms): as the scores, the catch-up job's period. */
const FRESH_MS = 60_000;
/** Sets of words kept per database, rows per set: a page's worth of rows is about 1 KB. */
const EXCERPTS = new KeptRows<ShownText>(128, 400, FRESH_MS);

/** The title and excerpt of an indexed text for the words. */
export function shownText(text: { title: string; body: string }, words: readonly string[]): ShownText {
  // The body as a reader sees it (Markdown marks off).
  const body = excerptText(text.body);
  return text.title
    ? { title: highlightedExcerpt(text.title, words, 200), excerpt: highlightedExcerpt(body, words) }
    : { title: highlightedExcerpt(body, words, 90), excerpt: [] };
}

/**
 * The title and excerpt of each of these rows for the words: the kept ones, and those of the rows
 * `read` returns the indexed text of (the rows lacking one). A row without text (gone from the index
 * since the page's statement) shows none and is not kept.
 */
export async function shownTexts(
  db: Knex,
  words: readonly string[],
  ids: readonly number[],
  read: (ids: readonly number[]) => Promise<ReadonlyMap<number, { title: string; body: string }>>,
  now = Date.now(),
): Promise<Map<number, ShownText>> {
  const kept = EXCERPTS.rows(db, words, now);
  const out = new Map<number, ShownText>();
  const missing: number[] = [];
  for (const id of ids) {
    const shown = kept.get(id);
    if (shown) out.set(id, shown);
    else missing.push(id);
  }
  if (!missing.length) return out;
  const texts = await read(missing);
  const keep = EXCERPTS.rows(db, words, now, texts.size);
  for (const id of missing) {
    const text = texts.get(id);
    const shown = text ? shownText(text, words) : { title: [], excerpt: [] };
    if (text) keep.set(id, shown);
    out.set(id, shown);
  }
  return out;
}
