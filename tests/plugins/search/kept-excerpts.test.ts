/**
 * A result's title and excerpt are kept by words and row (issue 21): the next page showing the row
 * takes them without reading its text, an edit shows its new text at once (the indexer forgets the
 * row), and a viewer is shown kept excerpts of the rows they may see only.
 */
import { makeApp } from '../../helpers/app';
import { eachApp } from '../../helpers/each-app';
import { createMember, signedIn } from '../../helpers/members';
import { markersIn, statusPost } from './support';

eachApp('kept excerpts: read once, an edit shown at once, never a row the viewer may not see', makeApp, async (t, app) => {
  const rt = app.app.ruche;
  const olga = await createMember(rt, 'olga');
  await createMember(rt, 'mia');
  const shared = await statusPost(rt, olga, 'Quarterly numbers for the pelican fund mkfirst');
  await statusPost(rt, olga, 'Quarterly numbers, pelican secrets mkprivate', { access: 'private' });
  const asOlga = await signedIn(app, 'olga');
  const asMia = await signedIn(app, 'mia');
  const find = async (agent: typeof asMia, q: string): Promise<string[]> =>
    markersIn((await agent.http.get(`/search?q=${encodeURIComponent(q)}`)).text);

  t.deepEqual(await find(asOlga, 'pelican quarterly'), ['mkfirst', 'mkprivate'], 'the owner sees both');
  t.deepEqual(await find(asMia, 'pelican quarterly'), ['mkfirst'], 'another member, the same words: not the private row');

  // A page read again takes the kept excerpts: the indexed texts are not read.
  const texts: string[] = [];
  const listen = (q: { sql: string }): void => {
    if (/\bfrom\s+[`"]?(search_fts|derived_search_docs)[`"]?\s+where\s+[`"]?(rowid|entity_id)[`"]?\s+(in\b|=\s*any)/i.test(q.sql)) texts.push(q.sql);
  };
  rt.db.on('query', listen);
  t.deepEqual(await find(asMia, 'pelican quarterly'), ['mkfirst']);
  rt.db.off('query', listen);
  t.deepEqual(texts, [], 'no text read for a kept excerpt');

  // An edit that keeps the words: the page shows the new text, not the kept one.
  await rt.db.transaction(async (trx) => {
    await trx('status_posts').where({ entity_id: shared }).update({ body: 'Quarterly numbers for the pelican fund, revised mksecond' });
    await rt.entities.update(shared, {}, trx);
  });
  t.deepEqual(await find(asMia, 'pelican quarterly'), ['mksecond'], 'the edited text at once');
  t.deepEqual(await find(asOlga, 'pelican quarterly'), ['mkprivate', 'mksecond']);
  const page = (await asMia.http.get('/search?q=pelican+quarterly')).text;
  t.true(page.includes('<mark>Quarterly</mark> numbers for the <mark>pelican</mark> fund, revised mksecond'), 'highlighted');
});
