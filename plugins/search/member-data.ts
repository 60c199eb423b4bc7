/**
 * The member-data contract (core/members/) for the search index: an erased member's words leave
 * it. Their entities' documents go from the index at once (the queue would drop them later). The
 * "did you mean" vocabulary is pruned by a job once the erasure is over and the queue it filled
 * is indexed (the posts their comments were under, read again without them): each of their words
 * goes unless a document still holds it. The index holds nothing else of a member (it is rebuilt
 * from the entities).
 */
import type { Knex } from 'knex';
import { erased, memberDataHooks, wordsOf, type JobDef, type Runtime } from '../../core';
import { SearchIndexer } from './indexer';

/** The job that prunes an erased member's words from the vocabulary. */
export const PRUNE_TERMS = 'search.pruneTerms';

/** The index's documents of `ids`: their title, body (and keywords on SQLite) as one text each. */
async function documents(rt: Runtime, ids: number[]): Promise<string[]> {
  if (!ids.length) return [];
  const rows =
    rt.dialect === 'sqlite'
      ? await rt.db('search_fts').whereIn('rowid', ids).select('title', 'body', 'keywords')
      : await rt.db('derived_search_docs').whereIn('entity_id', ids).select('title', 'body');
  return rows.map((r: Record<string, string | null>) => Object.values(r).join(' '));
}

/** Whether a document of the index still holds `term` (a plain scan: erasures are rare). */
async function stillIndexed(rt: Runtime, term: string): Promise<boolean> {
  const like = `%${term}%`;
  const columns = rt.dialect === 'sqlite' ? ['title', 'body', 'keywords'] : ['title', 'body'];
  const q = rt.db(rt.dialect === 'sqlite' ? 'search_fts' : 'derived_search_docs').where((w: Knex.QueryBuilder) => {
    for (const c of columns) w.orWhereRaw(`lower(${c}) like ?`, [like]);
  });
  return !!(await q.first(rt.db.raw('1 as found')));
}

/** Indexes what the queue holds, then drops each of `words` no document holds any more. */
export async function pruneTerms(rt: Runtime, words: readonly string[]): Promise<number> {
  const indexer = rt.container.resolve(SearchIndexer);
  await indexer.settled();
  await indexer.drain();
  let removed = 0;
  for (const term of words) if (!(await stillIndexed(rt, term))) removed += await rt.db('derived_search_terms').where({ term }).delete();
  return removed;
}

export const pruneTermsJob: JobDef = {
  kind: PRUNE_TERMS,
  personal: true,
  async handler(payload, rt) {
    const words = Array.isArray(payload.words) ? payload.words.filter((w): w is string => typeof w === 'string') : [];
    await pruneTerms(rt, words);
  },
};

export const memberData = memberDataHooks('search', {
  async erasing(report, { rt, userId, mode }) {
    if (mode !== 'erase') return report;
    const ids = (await rt.db('entities').where({ owner_id: userId }).pluck('id')).map(Number);
    const texts = await documents(rt, ids);
    const words = [...new Set(texts.flatMap((text) => wordsOf(text)))];
    const indexer = rt.container.resolve(SearchIndexer);
    for (let i = 0; i < ids.length; i += 500) await indexer.remove(rt.db, ids.slice(i, i + 500));
    if (words.length) await rt.jobs.schedule(PRUNE_TERMS, { words });
    return erased(report, 'search', texts.length);
  },
});
