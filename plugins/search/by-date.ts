/**
 * The date order of content results, newest first, paged by a keyset over the date and the id: each
 * page reads the next `CANDIDATES` visible matches past the cursor in the index's order (creation
 * order) and sorts them by date, so a row dated back (an import) is placed by its date among its
 * neighbours. The first page counts its window.
 */
import { readKeyset, whereAfterKey, type KeyColumn, type KeysetCursor, type Viewer } from '../../core';
import { fixedLimit } from './match';
import { HIT_COLUMNS, type Matcher, type Row, type Scope } from './matching';

/** The date order over the window of candidates (`c`) and over `entities` (`e`). */
const BY_DATE: KeyColumn[] = [
  { sql: 'c.created_at', desc: true },
  { sql: 'c.id', desc: true },
];
const BY_DATE_E: KeyColumn[] = [
  { sql: 'e.created_at', desc: true },
  { sql: 'e.id', desc: true },
];

export function byDate(
  m: Matcher,
  viewer: Viewer | null,
  networkId: number,
  words: readonly string[],
  f: Scope,
  cursor: Pick<KeysetCursor, 'after' | 'before'>,
  window: { candidates: number; pageSize: number },
) {
  const db = m.rt.db;
  const backwards = !cursor.after && !!cursor.before;
  const key = cursor.after ?? cursor.before;
  const candidates = fixedLimit(m.matching(viewer, networkId, words, f, false, backwards ? 'asc' : 'desc').select(...HIT_COLUMNS), window.candidates);
  if (key) whereAfterKey(candidates, backwards ? BY_DATE_E.map((c) => ({ ...c, desc: false })) : BY_DATE_E, key);
  const outer = db.from(candidates.as('c')).select('c.*');
  if (!key) outer.select(db.raw('count(*) over () as total'));
  return readKeyset<Row>(
    outer,
    BY_DATE,
    cursor,
    window.pageSize,
    (r) => [Number(r.created_at), Number(r.id)],
    (q) => m.read<Row>(viewer, 'byDate', networkId, words, f, cursor, () => fixedLimit(q, window.pageSize + 1)),
  );
}
