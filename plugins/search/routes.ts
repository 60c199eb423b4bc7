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
  await catchUp(ctx);
  return resultsPage(ctx, await readRequest(ctx));
}

async function suggest(ctx: RucheContext): Promise<RouteResult> {
  requireReader(ctx);
  await catchUp(ctx);
  return { json: await suggestions(ctx) };
}

/** What was saved a moment ago is found: the queue is indexed before answering. */
async function catchUp(ctx: RucheContext): Promise<void> {
  const indexer = ctx.ruche.container.resolve(SearchIndexer);
  await indexer.ensureBuilt();
  if (await indexer.pending()) await indexer.drain(2);
}

export const searchRoutes: RouteDef[] = [
  { name: 'search.page', method: 'GET', path: '/search', public: true, handler: page },
  { name: 'search.suggest', method: 'GET', path: '/search/suggest', public: true, handler: suggest },
];
