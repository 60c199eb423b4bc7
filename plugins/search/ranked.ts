/**
 * The relevance order of content results: the newest `candidates` visible matches, scored (bm25 on
 * SQLite, ts_rank on PostgreSQL) for those rows only and multiplied by up to 2 for a new one; pages
 * by OFFSET within them.
 */
import type { Knex } from 'knex';
import type { Viewer } from '../../core';
import { scoredWords } from './common-words';
import { fixedLimit, TSQUERY, tsBindings } from './match';
import { HIT_COLUMNS, type Matcher, type Row, type Scope } from './matching';
import { bm25Of } from './scores';

/** The columns of a candidate, as `HIT_COLUMNS` reads them. */
const COLUMNS = HIT_COLUMNS.map((c) => c.slice(2));
/** Age (ms) at which a result's relevance is halved. */
const HALF_LIFE_MS = 180 * 86_400_000;
/**
 * A match's boost for its age: 2 when new, 1.5 at `HALF_LIFE_MS`, toward 1 (in SQL on PostgreSQL, here on
 * SQLite). The age in half-lives is a fraction: PostgreSQL types the bound numbers like `created_at`
 * (bigint), whose division would drop it (a post of 170 days then weighed as one of a day).
 */
const BOOST = '(1.0 + 1.0 / (1.0 + (? - c.created_at) / ?::float8))';
const boostOf = (now: number, createdAt: number): number => 1.0 + 1.0 / (1.0 + (now - createdAt) / HALF_LIFE_MS);
/** The time relevance is relative to, in a kept text: a marker given on each call. */
const NOW = -7_340_033_119;

/** A candidate as its JSON array holds it: `HIT_COLUMNS` in order (id first, date last). */
type Candidate = [number, string, number, number, number | null, number];

/**
 * The candidates as one JSON array of arrays (SQLite): node-sqlite3 makes each row of a result an
 * object one property at a time, 0.3 ms of the main thread for 200 rows of six columns, where one
 * string parsed costs a fifth of it. Only the page's rows are made objects.
 */
async function candidatesOf(
  m: Matcher,
  viewer: Viewer | null,
  networkId: number,
  words: readonly string[],
  f: Scope,
  limit: number,
  candidates: () => Knex.QueryBuilder,
): Promise<Candidate[]> {
  const db = m.rt.db;
  const [kept] = await m.read<{ rows: string | null }>(viewer, 'candidates', networkId, words, f, limit, () =>
    db.from(candidates().as('c')).select(db.raw(`json_group_array(json_array(${COLUMNS.map((c) => `c.${c}`).join(', ')})) as rows`)),
  );
  return JSON.parse(kept?.rows ?? '[]') as Candidate[];
}

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
  const vary = new Map([[NOW, now]]);
  const candidates = () => fixedLimit(m.matching(viewer, networkId, words, f).select(HIT_COLUMNS), page.candidates);
  if (m.rt.dialect === 'sqlite') {
    // The candidates, then their bm25 (kept by row: `bm25Of`), ordered here as the statement
    // below orders on PostgreSQL: the score times the boost (bm25 is negative, best lowest, and
    // the boost makes a new match lower still), then the newest. Words in half the index or more
    // weigh nothing in bm25 but cost it their whole list: left out of the score (`scoredWords`);
    // the candidates matched every word.
    const rows = await candidatesOf(m, viewer, networkId, words, f, page.candidates, candidates);
    const scores = await bm25Of(
      db,
      await scoredWords(db, words),
      rows.map((r) => r[0]),
      now,
    );
    return rows
      .map((r) => ({ r, score: scores.get(r[0])! * boostOf(now, r[5]) }))
      .sort((a, b) => a.score - b.score || b.r[0] - a.r[0])
      .slice(page.offset, page.offset + page.size + 1)
      .map(({ r }) => ({ ...(Object.fromEntries(COLUMNS.map((c, i) => [c, r[i]])) as Omit<Row, 'total'>), total: rows.length }));
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
        .orderByRaw(`ts_rank(c.tsv, ${TSQUERY(false)}) * ${BOOST} desc, c.id desc`, [...tsBindings(words, false), NOW, HALF_LIFE_MS])
        .limit(page.size + 1)
        .offset(page.offset),
    vary,
  );
}
