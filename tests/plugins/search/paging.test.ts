/**
 * Paging the results (issue 25). Relevance ranks the newest 200 visible matches and pages by
 * number within them: ten pages at most, the last one (and any page past it) pointing to the
 * date order. The date order pages by a cursor (a result's date and id): following "More
 * results" lists every visible match once, newest first, a post dated back (an import) by its
 * date, and "Previous results" walks back through the same pages. The open tab's count is the
 * same on every page; others' posts the viewer may not see are in no page. The people tab pages
 * by a cursor too (a name and an id).
 */
import { makeApp } from '../../helpers/app';
import { eachApp } from '../../helpers/each-app';
import type { TestAgent } from '../../helpers/app';
import { bulkMembers, createMember, signedIn } from '../../helpers/members';
import { statusPost } from './support';

const DAY = 86_400_000;
/** `mk` and the letters of `i` (mkaa, mkab, …): a marker word per post. */
const marker = (i: number): string => `mk${String.fromCharCode(97 + Math.floor(i / 26))}${String.fromCharCode(97 + (i % 26))}`;
/** The markers of a results page, in the page's order. */
const inOrder = (html: string): string[] => [...new Set(html.match(/\bmk[a-z]{2}\b/g) ?? [])];
const linkOf = (html: string, rel: 'next' | 'prev'): string | null => {
  const m = new RegExp(`<a class="[^"]*" href="([^"]+)" rel="${rel}">`).exec(html);
  return m ? m[1].replace(/&amp;/g, '&').replace(/&#x3D;/g, '=') : null;
};
/** The counts the tabs show ("100+"), in order. */
const counts = (html: string): string[] => [...html.matchAll(/search-tabs__count">([^<]+)</g)].map((m) => m[1]);

/** Every page from `start`, following `rel` links: what `read` finds in each page (its markers) and its tabs' counts. */
async function walk(
  agent: TestAgent,
  start: string,
  rel: 'next' | 'prev',
  read: (html: string) => string[] = inOrder,
): Promise<{ pages: string[][]; counted: string[][]; last: string; html: string }> {
  const pages: string[][] = [];
  const counted: string[][] = [];
  let url: string | null = start;
  let last = start;
  let html = '';
  while (url && pages.length < 20) {
    const res = await agent.http.get(url);
    if (res.status !== 200) throw new Error(`${url} answered ${res.status}`);
    pages.push(read(res.text));
    counted.push(counts(res.text));
    last = url;
    html = res.text;
    url = linkOf(res.text, rel);
  }
  return { pages, counted, last, html };
}

eachApp('relevance pages by number up to a bound, the date order by a cursor, each visible match once', makeApp, async (t, app) => {
  const rt = app.app.ruche;
  const olga = await createMember(rt, 'olga');
  const fred = await createMember(rt, 'fred');
  await createMember(rt, 'mia');
  const start = Date.UTC(2026, 0, 1);
  // 205 posts mia may see, a day apart, and fred's private ones among them; the last written is dated back.
  for (let i = 0; i < 204; i++) {
    await statusPost(rt, olga, `kestrel ${marker(i)}`, { createdAt: start + i * DAY });
    if (i % 50 === 7) await statusPost(rt, fred, 'kestrel mkzz private', { access: 'private', createdAt: start + i * DAY + 1 });
  }
  await statusPost(rt, olga, `kestrel ${marker(204)}`, { createdAt: start + 100 * DAY + DAY / 2 });
  const byDate = Array.from({ length: 205 }, (_, i) => i)
    .sort((a, b) => (a === 204 ? 100.5 : a) - (b === 204 ? 100.5 : b))
    .reverse()
    .map(marker);
  const mia = await signedIn(app, 'mia');

  // The date order: eleven pages, every post once, newest first; then back the same way.
  const forward = await walk(mia, '/search?q=kestrel&sort=date', 'next');
  t.is(forward.pages.length, 11);
  t.deepEqual(forward.pages.flat(), byDate, 'every visible post once, by date, the one dated back among its neighbours');
  t.deepEqual(forward.counted, Array(11).fill(['100+']), 'the count on every page');
  t.false(forward.pages.flat().includes('mkzz'), 'no private post of another member');
  t.notRegex(forward.last, /[?&]page=/, 'no page number in the date order');
  const back = await walk(mia, forward.last, 'prev');
  t.deepEqual(back.pages.reverse(), forward.pages, 'the previous pages are the same pages');
  t.is((await mia.http.get('/search?q=kestrel&sort=date&after=bogus')).status, 400, 'a cursor the list did not write');

  // Relevance: ten pages of the 200 newest matches, the last one pointing to the date order.
  const ranked = await walk(mia, '/search?q=kestrel', 'next');
  t.is(ranked.pages.length, 10);
  t.is(new Set(ranked.pages.flat()).size, 200, 'ten pages of twenty, none twice');
  t.true(
    ranked.pages.flat().every((m) => byDate.slice(0, 200).includes(m)),
    'the 200 newest',
  );
  t.deepEqual(ranked.counted, Array(10).fill(['100+']));
  t.regex(ranked.html, /Relevance ranks the 200 newest matches\. <a href="[^"]*sort&#x3D;date[^"]*">See every result, newest first<\/a>/);
  const first = await mia.http.get('/search?q=kestrel');
  t.notRegex(first.text, /Relevance ranks/, 'not on the first page');
  const past = await mia.http.get('/search?q=kestrel&page=11');
  t.is(past.status, 200);
  t.deepEqual(inOrder(past.text), [], 'no page past the tenth');
  t.regex(past.text, /Relevance ranks the 200 newest matches/);
  t.notRegex(past.text, /Nothing you may see matches/);
  t.deepEqual(counts(past.text), ['100+'], 'counted apart');
  const french = await mia.http.get('/search?q=kestrel&page=10').set('Accept-Language', 'fr');
  t.regex(french.text, /La pertinence classe les 200 résultats les plus récents/);

  // A few matches: one page each way, counted exactly.
  const few = await mia.http.get('/search?q=kestrel+mkaa&sort=date');
  t.deepEqual(inOrder(few.text), ['mkaa']);
  t.deepEqual(counts(few.text), ['1']);
  t.is(linkOf(few.text, 'next'), null);
});

/** The members a people tab lists (`@username`), in the page's order. */
const peopleOf = (html: string): string[] => [...html.matchAll(/<div class="muted">@([a-z0-9_]+)<\/div>/g)].map((m) => m[1]);

eachApp('the people tab pages by a cursor (a name and an id): each member once, both ways, counted on every page', makeApp, async (t, app) => {
  const rt = app.app.ruche;
  await createMember(rt, 'mia');
  // 40 names, given in the reverse of their ids' order, and 5 alike (the id breaks their tie).
  const named = await bulkMembers(rt.db, 'wren', 40);
  for (const [i, id] of named.entries())
    await rt
      .db('users')
      .where({ id })
      .update({ display_name: `Wren ${marker(39 - i)}` });
  const tied = await bulkMembers(rt.db, 'wrentie', 5);
  await rt.db('users').whereIn('id', tied).update({ display_name: 'Wren mzz' });
  const expected = [...[...named.keys()].reverse().map((i) => `wren${String(i).padStart(3, '0')}`), ...[0, 1, 2, 3, 4].map((i) => `wrentie00${i}`)];
  const mia = await signedIn(app, 'mia');

  const forward = await walk(mia, '/search?q=wren&tab=people', 'next', peopleOf);
  t.deepEqual(
    forward.pages.map((p) => p.length),
    [20, 20, 5],
  );
  t.deepEqual(forward.pages.flat(), expected, 'every member once, by name then id');
  t.deepEqual(forward.counted, Array(3).fill(['45']), 'the count on every page');
  t.notRegex(forward.last, /[?&]page=/, 'no page number');
  const back = await walk(mia, forward.last, 'prev', peopleOf);
  t.deepEqual(back.pages.reverse(), forward.pages, 'the previous pages are the same pages');
  t.is((await mia.http.get('/search?q=wren&tab=people&after=bogus')).status, 400, 'a cursor the list did not write');
  // Everything lists the first four and links to the tab.
  t.deepEqual(peopleOf((await mia.http.get('/search?q=wren')).text), expected.slice(0, 4));
});
