/**
 * "Did you mean": a close spelling of the searched words among the indexed words
 * (`derived_search_terms`), by edit distance.
 */
import type { Knex } from 'knex';
import { editDistance } from './text';

/**
 * A close spelling of the words: each word not indexed is replaced by the nearest indexed
 * word (edit distance 1, or 2 for words of six letters and more). Null when nothing is close.
 * The caller offers it only when it finds something for this viewer, so the words of what a
 * viewer may not see are never suggested.
 */
export async function closeSpelling(db: Knex, words: readonly string[]): Promise<string[] | null> {
  let changed = false;
  const out: string[] = [];
  for (const w of words) {
    const known = await db('derived_search_terms').where({ term: w }).first('term');
    if (known || w.length < 3) {
      out.push(w);
      continue;
    }
    const max = w.length >= 6 ? 2 : 1;
    const candidates = (await db('derived_search_terms')
      .where('initial', w.slice(0, 1))
      .whereBetween('length', [w.length - max, w.length + max])
      .limit(5000)
      .pluck('term')) as string[];
    let best: string | null = null;
    let bestDistance = max + 1;
    for (const c of candidates) {
      const d = editDistance(w, c, max);
      if (d < bestDistance || (d === bestDistance && best !== null && c < best)) {
        best = c;
        bestDistance = d;
      }
    }
    if (best && bestDistance <= max) {
      out.push(best);
      changed = true;
    } else out.push(w);
  }
  return changed ? out : null;
}
