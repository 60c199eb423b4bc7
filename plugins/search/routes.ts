/**
 * The search pages: `/search` (results with tabs and filters; plain HTML, works without
 * JavaScript) and `/search/suggest` (JSON suggestions while typing: people, groups, tags).
 * Handlers read the request and hand the words to `SearchPage` (view.ts).
 */
import { requireReader, type RouteDef, type RucheContext, type RouteResult } from '../../core';
import { SearchIndexer } from './indexer';
import { readRequest, resultsPage, suggestions } from './view';

async function page(ctx: RucheContext): Promise<RouteResult> {
  requireReader(ctx);
  await indexed(ctx);
  return resultsPage(ctx, await readRequest(ctx));
}

async function suggest(ctx: RucheContext): Promise<RouteResult> {
  requireReader(ctx);
  await indexed(ctx);
  return { json: await suggestions(ctx) };
}

/** What was saved a moment ago is found: the indexing it started is waited for (a GET writes nothing itself). */
async function indexed(ctx: RucheContext): Promise<void> {
  await ctx.ruche.container.resolve(SearchIndexer).settled();
}

export const searchRoutes: RouteDef[] = [
  { name: 'search.page', method: 'GET', path: '/search', public: true, handler: page },
  { name: 'search.suggest', method: 'GET', path: '/search/suggest', public: true, handler: suggest },
];
