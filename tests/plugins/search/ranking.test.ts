/**
 * The relevance order (issue 21): the candidates are the newest visible matches, scored by where
 * and how often the words stand (bm25 on SQLite, ts_rank on PostgreSQL). Scored in a tab and a
 * group too, where the match carries scope tokens the score leaves out: a post saying the word
 * three times in four words comes before a newer one saying it once among many; the date order
 * puts the newer first. What the viewer may not see is in neither order.
 */
import { scoredWords } from '../../../plugins/search/common-words';
import { makeApp } from '../../helpers/app';
import { eachApp } from '../../helpers/each-app';
import { signedIn } from '../../helpers/members';
import { closedGroupOfOlga, statusPost } from './support';

/** The markers of a results page, in the page's order. */
const inOrder = (html: string): string[] => [...new Set(html.match(/\bmk[a-z]+\b/g) ?? [])];

eachApp('relevance scores where the words stand, in every tab and inside a group', makeApp, async (t, app) => {
  const rt = app.app.ruche;
  const { olga, group } = await closedGroupOfOlga(app, 'Reading club');
  const filler = 'the quarterly meeting notes mention several other things about the garden and the weather this week';
  await statusPost(rt, olga, 'mkdense wombat wombat wombat', { access: 'group', containerId: group });
  const sparse = await statusPost(rt, olga, `mksparse wombat ${filler}`, { access: 'group', containerId: group });
  await statusPost(rt, olga, `mkprivate wombat wombat wombat wombat`, { access: 'private', containerId: group });

  const coraAgent = await signedIn(app, 'cora');
  for (const path of [
    `/search?q=wombat&group=${group}&tab=posts`,
    `/search?q=wombat&group=${group}`,
    '/search?q=wombat&tab=posts',
    '/search?q=wombat',
  ]) {
    const ranked = await coraAgent.http.get(path);
    t.is(ranked.status, 200, path);
    t.deepEqual(inOrder(ranked.text), ['mkdense', 'mksparse'], `${path}: the denser match first`);
    const byDate = await coraAgent.http.get(`${path}&sort=date`);
    t.deepEqual(inOrder(byDate.text), ['mksparse', 'mkdense'], `${path}: newest first by date`);
  }
  // The scores are kept (SQLite) for the words: a row's new text is scored again, not read back.
  await rt.db.transaction(async (trx) => {
    await trx('status_posts').where({ entity_id: sparse }).update({ body: 'mksparse wombat wombat wombat wombat' });
    await rt.entities.update(sparse, {}, trx);
  });
  for (const path of [`/search?q=wombat&group=${group}&tab=posts`, '/search?q=wombat']) {
    const ranked = await coraAgent.http.get(path);
    t.deepEqual(inOrder(ranked.text), ['mksparse', 'mkdense'], `${path}: the edited post, denser now, first`);
  }
  // A result is named by its type's declaration: a status by its tab's word.
  t.regex((await coraAgent.http.get('/search?q=wombat')).text, /search-result__kind">Post</);
  const outsider = await (await signedIn(app, 'mia')).http.get('/search?q=wombat&tab=posts');
  t.deepEqual(inOrder(outsider.text), [], 'a group post is for its members');
});

eachApp('a word in half the index or more weighs nothing in the order, and is not counted for it', makeApp, async (t, app) => {
  const rt = app.app.ruche;
  const { olga } = await closedGroupOfOlga(app, 'Reading club');
  // `common` is in every post, `wombat` in three of eleven: bm25 gives `common` no weight.
  await statusPost(rt, olga, 'mkbeta common wombat wombat wombat');
  await statusPost(rt, olga, 'mkalpha common common common common wombat');
  await statusPost(rt, olga, 'mkgamma common wombat the garden and the weather this week');
  for (let i = 0; i < 8; i++) await statusPost(rt, olga, `mkfill common note ${i}`);

  const cora = await signedIn(app, 'cora');
  const page = await cora.http.get('/search?q=common+wombat');
  t.is(page.status, 200);
  const found = inOrder(page.text).filter((m) => m !== 'mkfill');
  t.deepEqual([...found].sort(), ['mkalpha', 'mkbeta', 'mkgamma']);
  // SQLite's bm25 weighs each word by its rarity (PostgreSQL's ts_rank does not: its order is not this test's).
  if (rt.dialect === 'sqlite') {
    // Scored on `wombat`: the post saying it three times, then the shorter of the two saying it
    // once; scored on `common` (the word left out) `mkalpha` would come first.
    t.deepEqual(found, ['mkbeta', 'mkalpha', 'mkgamma']);
    t.deepEqual(await scoredWords(rt.db, ['common', 'wombat']), ['wombat'], 'the common word is left out of the scoring cursor');
    t.deepEqual(await scoredWords(rt.db, ['common', 'note']), ['common', 'note'], 'every word is scored when all are common');
    t.deepEqual(await scoredWords(rt.db, ['wombat', 'garden']), ['wombat', 'garden'], 'rarer words are all scored');
    // The same order as bm25 over both words (as before the words were left out).
    const both = (await rt.db.raw(
      `select rowid as id from search_fts where search_fts match '"common" "wombat"' order by bm25(search_fts, 10.0, 1.0, 6.0, 0.0), rowid desc`,
    )) as { id: number }[];
    const texts = await rt
      .db('status_posts')
      .whereIn(
        'entity_id',
        both.map((r) => r.id),
      )
      .select('entity_id', 'body');
    const marker = new Map(texts.map((r: { entity_id: number; body: string }) => [Number(r.entity_id), r.body.split(' ')[0]]));
    t.deepEqual(
      both.map((r) => marker.get(Number(r.id))),
      ['mkbeta', 'mkalpha', 'mkgamma'],
    );
  }
});
