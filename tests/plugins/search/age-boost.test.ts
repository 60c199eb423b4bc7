/**
 * The relevance order's boost for age (issue 21): of two matches scoring the same, the newer comes
 * first, however close in age they are. Both posts here say the same thing; the one written
 * first (the lower id) is dated yesterday, the other 170 days ago — inside one half-life (180 days),
 * where a boost computed in whole half-lives would see no difference and leave the higher id first.
 */
import { makeApp } from '../../helpers/app';
import { eachApp } from '../../helpers/each-app';
import { signedIn } from '../../helpers/members';
import { closedGroupOfOlga, statusPost } from './support';

const DAY = 86_400_000;

eachApp('of two equal matches, the newer ranks first, even within one half-life', makeApp, async (t, app) => {
  const rt = app.app.ruche;
  const { olga } = await closedGroupOfOlga(app, 'Reading club');
  const now = Date.now();
  const recent = await statusPost(rt, olga, 'mkrecent wombat', { createdAt: now - DAY });
  const older = await statusPost(rt, olga, 'mkolder wombat', { createdAt: now - 170 * DAY });
  t.true(older > recent, 'the older post has the higher id');

  const cora = await signedIn(app, 'cora');
  for (const path of ['/search?q=wombat', '/search?q=wombat&tab=posts']) {
    const page = await cora.http.get(path);
    t.is(page.status, 200, path);
    t.deepEqual([...new Set(page.text.match(/\bmk[a-z]+\b/g) ?? [])], ['mkrecent', 'mkolder'], `${path}: the newer first`);
  }
});
