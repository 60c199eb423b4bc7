/**
 * The relevance order of content results: the newest `candidates` visible matches, scored (bm25 on
 * SQLite, ts_rank on PostgreSQL) for those rows only and multiplied by up to 2 for a new one; pages
 * by OFFSET within them.
 */
import type { Viewer } from '../../core';
import { scoredWords } from './common-words';
import { ftsWords, TSQUERY, tsBindings } from './match';
import { HIT_COLUMNS, type Matcher, type Row, type Scope } from './matching';

/** Age (ms) at which a result's relevance is halved. */
const HALF_LIFE_MS = 180 * 86_400_000;
/** The time relevance is relative to, in a kept text: a marker given on each call. */
const NOW = -7_340_033_119;

export async function ranked(
  m: Matcher,
  viewer: Viewer | null,
  networkId: number,
  words: readonly string[],
  f: Scope,
  now: number,
  page: { candidates: number; size: number; offset: number },
): Promise<Row[]> {
  const db = m.rt.db;
  const boost = '(1.0 + 1.0 / (1.0 + (? - c.created_at) / ?))';
  const vary = new Map([[NOW, now]]);
  const candidates = () => m.matching(viewer, networkId, words, f).select(HIT_COLUMNS).limit(page.candidates);
  if (m.rt.dialect === 'sqlite') {
    // Words in half the index or more weigh nothing in bm25 but cost it their whole list: left
    // out of its cursor (`scoredWords`); the candidates matched every word.
    const scored = await scoredWords(db, words);
    // bm25 is scored by a second cursor matching the words alone, in any column (`ftsWords`):
    // with a scope phrase FTS5 would first count every row holding its token (its IDF, `n1` or
    // `tstatus` is on most of the index) for a phrase bm25 weighs 0, and with the column filter
    // it reads each word's positions to count its rows. The candidates matched the words in the
    // text columns, so each is matched again. That cursor reads only the candidates' rowid
    // range; bm25 is negative, best lowest, and the boost makes a new match lower still.
    return m.read<Row>(
      viewer,
      'ranked',
      networkId,
      words,
      f,
      [page, scored],
      () =>
        db
          .withMaterialized('c', candidates())
          .from('search_fts')
          .joinRaw('join c on c.id = +search_fts.rowid')
          .whereRaw('search_fts match ?', [ftsWords(scored)])
          .whereRaw('search_fts.rowid >= (select min(id) from c)')
          .select('c.id', 'c.type', 'c.owner_id', 'c.network_id', 'c.container_id', 'c.created_at', db.raw('(select count(*) from c) as total'))
          .orderByRaw(`bm25(search_fts, 10.0, 1.0, 6.0, 0.0) * ${boost}, c.id desc`, [NOW, HALF_LIFE_MS])
          .limit(page.size + 1)
          .offset(page.offset),
      vary,
    );
  }
  // The candidates carry their `tsv` (read to match them): ts_rank needs no second lookup of each.
  return m.read<Row>(
    viewer,
    'ranked',
    networkId,
    words,
    f,
    page,
    () =>
      db
        .from(candidates().select('d.tsv').as('c'))
        .select('c.id', 'c.type', 'c.owner_id', 'c.network_id', 'c.container_id', 'c.created_at', db.raw('count(*) over () as total'))
        .orderByRaw(`ts_rank(c.tsv, ${TSQUERY(false)}) * ${boost} desc, c.id desc`, [...tsBindings(words, false), NOW, HALF_LIFE_MS])
        .limit(page.size + 1)
        .offset(page.offset),
    vary,
  );
}
