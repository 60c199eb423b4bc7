/**
 * The relevance order (issue 21): the candidates are the newest visible matches, scored by where
 * and how often the words stand (bm25 on SQLite, ts_rank on PostgreSQL). Scored in a tab and a
 * group too, where the match carries scope tokens the score leaves out: a post saying the word
 * three times in four words comes before a newer one saying it once among many; the date order
 * puts the newer first. What the viewer may not see is in neither order.
 */
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
  await statusPost(rt, olga, `mksparse wombat ${filler}`, { access: 'group', containerId: group });
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
  // A result is named by its type's declaration: a status by its tab's word.
  t.regex((await coraAgent.http.get('/search?q=wombat')).text, /search-result__kind">Post</);
  const outsider = await (await signedIn(app, 'mia')).http.get('/search?q=wombat&tab=posts');
  t.deepEqual(inOrder(outsider.text), [], 'a group post is for its members');
});
