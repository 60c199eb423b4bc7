/**
 * Search: find what you may see, and nothing else. Content plugins declare on their entity
 * types what is indexed (`entities[].search`, core/content/search.ts); this plugin keeps the
 * index (SQLite FTS5, PostgreSQL tsvector), answers the results page, the suggestions while
 * typing and the header's search box (`layout:search`), and depends on no content plugin.
 * Every query applies the core's access clause in the statement that ranks.
 */
import { definePlugin, link, onEvent, onFilter, onSearchQueued, registerService, t } from '../../core';
import { SearchIndexer } from './indexer';
import { memberData, pruneTermsJob } from './member-data';
import { migrations } from './migrations';
import { SearchQuery } from './query';
import { searchRoutes } from './routes';

export default definePlugin({
  id: 'search',
  version: '1.0.0',
  name: 'search.plugin.name',
  description: 'search.plugin.description',
  core: '^1.0.0',
  defaultEnabled: true,
  routes: searchRoutes,
  templates: ['results', 'partials/result'],
  hooks: [
    ...memberData,
    // Serving: what is queued is indexed as soon as it is committed, and an empty index is built.
    onEvent('app:ready', (_payload, rt) => {
      const indexer = rt.container.resolve(SearchIndexer);
      onSearchQueued(rt.db, () => indexer.soon());
      indexer.soon(() => indexer.catchUp());
    }),
    onEvent('app:closing', (_payload, rt) => rt.container.resolve(SearchIndexer).stop()),
    onFilter('search:reindex', (_value, c, rt) => rt.container.resolve(SearchIndexer).reindex(c.only, c.progress)),
    onFilter('layout:search', (value, view, rt) => {
      const ctx = view.ctx;
      if (!ctx.state.viewer && !ctx.state.network.allowGuests) return value;
      return {
        action: link(ctx, 'search.page'),
        label: t(ctx, 'search.box.label'),
        placeholder: t(ctx, 'search.box.placeholder'),
        suggest: link(ctx, 'search.suggest'),
        script: rt.assets.url([], 'search:search.js'),
        value: ctx.state.routeName === 'search.page' ? String(ctx.query.q ?? '').slice(0, 200) : '',
      };
    }),
  ],
  jobs: [
    {
      kind: 'search.catchUp',
      everyMs: 60_000,
      async handler(_payload, rt) {
        const indexer = rt.container.resolve(SearchIndexer);
        indexer.soon(() => indexer.catchUp());
        await indexer.settled();
      },
    },
    pruneTermsJob,
  ],
  migrations,
  seed: () => import('./seed'),
  i18n: 'i18n',
  services(container) {
    registerService(container, SearchIndexer);
    registerService(container, SearchQuery);
  },
});
