// The search plugin indexes in the background after each commit that queued entities: a test
// that counts a page's queries waits for it first, so it counts the page's own.
import type { Runtime } from '../../core';
import { SearchIndexer } from '../../plugins/search/indexer';

/** Resolves once the search plugin's background indexing (where it is loaded) is over. */
export async function searchSettled(rt: Runtime): Promise<void> {
  if (rt.plugins.list().some((p) => p.manifest.id === 'search')) await rt.container.resolve(SearchIndexer).settled();
}
