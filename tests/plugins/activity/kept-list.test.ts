// A page's list of cards kept whole (plugins/activity/kept-cards.ts, issue 18): when every card of a
// feed's list was kept by version, the next page with the same rows takes the list in one piece (no
// card taken, described or read on its own), the same HTML as a render without the cache; a write by
// another member or another process, an announcement and another viewer each get their own list.
import { eachAppOf } from '../../helpers/each-app';
import type { TestDatabase } from '../../helpers/databases';
import { createApp } from '../../../core';
import { StatusService } from '../../../plugins/activity/service';
import { actApp, type ActApp } from './support';

const eachKeptApp = eachAppOf((db: TestDatabase) => actApp(db));

const LIST = 'activity/partials/cards';
const CARD = 'activity/partials/entry';

/** The feed's list of cards in a page (the last one: announcements come first), without form tokens (masked per response) and dates' texts (per request). */
const listIn = (html: string): string =>
  ([...html.matchAll(/<div class="activity-feed" data-feed>[\s\S]*?(?=<p class="activity-feed__more"|<\/div>\s*<\/section>)/g)].pop()?.[0] ?? '')
    .replace(/name="_csrf" value="[^"]+"/g, '')
    .replace(/ title="[^"]*">[^<]*<\/time>/g, '></time>');

/** Counts the fragment cache's `take` by fragment name, and the status bodies' reads. */
function spy(app: ActApp): { takes: Map<string, number>; bodies: number } {
  const calls = { takes: new Map<string, number>(), bodies: 0 };
  const fragments = app.rt.views.fragments;
  const take = fragments.take.bind(fragments);
  fragments.take = (theme, name, env, key) => {
    calls.takes.set(name, (calls.takes.get(name) ?? 0) + 1);
    return take(theme, name, env, key);
  };
  const status = app.rt.container.resolve(StatusService);
  const bodies = status.bodies.bind(status);
  status.bodies = (ids) => {
    if (ids.length) calls.bodies++;
    return bodies(ids);
  };
  return calls;
}

/** The page rendered with the fragment cache off: what the kept list must equal. */
async function uncached(app: ActApp, get: () => Promise<string>): Promise<string> {
  const options = app.rt.views.fragments.options as { enabled: boolean };
  options.enabled = false;
  try {
    return await get();
  } finally {
    options.enabled = true;
  }
}

eachKeptApp('a list of kept cards is taken whole: one take, no card read, the HTML of a render without the cache', async (t, app) => {
  await app.member('alice');
  await app.member('bob');
  const ids = [await app.post('alice', 'first words'), await app.post('alice', 'second words'), await app.post('alice', 'third words')];
  const b = await app.as('bob');
  t.is((await b.post(`/entities/${ids[1]}/react`, { reaction: 'like' })).status, 303);
  const page = async (): Promise<string> => listIn((await b.agent.http.get('/activity')).text);
  const first = await page();
  t.true(first.includes('third words') && first.includes('reaction--mine'), 'the cards, with bob’s own reaction');
  const calls = spy(app);
  const again = await page();
  t.is(again, first, 'the same list');
  t.is(calls.takes.get(LIST), 1, 'the list taken once');
  t.is(calls.takes.get(CARD), undefined, 'no card taken on its own');
  t.is(calls.bodies, 0, 'no status body read');
  t.is(await uncached(app, page), again, 'the kept list is what a render without the cache gives');
  // The home feed and a member's profile section keep theirs the same way.
  const home = async (): Promise<string> => listIn((await b.agent.http.get('/feed')).text);
  const homeFirst = await home();
  calls.takes.clear();
  t.is(await home(), homeFirst, 'the home feed’s list');
  t.is(calls.takes.get(CARD), undefined, 'taken whole');
});

eachKeptApp('a new act by another member or another process, and an announcement, show on the next page', async (t, app, db) => {
  const alice = await app.member('alice');
  await app.member('bob');
  const mod = await app.member('mod');
  await app.rt.users.setRole(mod, app.rt.networks.root().id, 'moderator');
  const old = await app.post('alice', 'an older post');
  await app.post('alice', 'a newer post');
  const b = await app.as('bob');
  const page = async (): Promise<string> => listIn((await b.agent.http.get('/activity')).text);
  const first = await page();
  t.is(await page(), first, 'kept');
  await app.post('alice', 'through the form');
  t.true((await page()).includes('through the form'), 'a post through the form');
  const other = await createApp(app.config, { cwd: db.dataDir });
  try {
    const networkId = other.ruche.networks.root().id;
    await other.ruche.db.transaction(async (trx) => {
      const id = await other.ruche.entities.create({ type: 'status', ownerId: alice, networkId, access: 'members' }, trx);
      await trx('status_posts').insert({ entity_id: id, body: 'from another process' });
      await other.ruche.activity.record({ verb: 'posted', actorId: alice, entityId: id, networkId }, trx);
    });
    const withOther = await page();
    t.true(withOther.includes('from another process'), 'a post by another process');
    t.is(await page(), withOther, 'kept again');
    // The river's rows do not carry names: the members' card version does (core migration 050).
    const actorLinks = (html: string, name: string): number =>
      [...html.matchAll(/class="activity-entry__actor"[^>]*>([^<]*)</g)].filter((m) => m[1] === name).length;
    const before = String(((await other.ruche.db('users').where({ id: alice }).first('display_name')) as { display_name: unknown }).display_name);
    const cards = actorLinks(withOther, before);
    t.true(cards >= 3, 'her cards');
    await other.ruche.db('users').where({ id: alice }).update({ display_name: 'Alice Renamed' });
    const renamed = await page();
    t.is(actorLinks(renamed, 'Alice Renamed'), cards, "the actor's new name on every card of hers");
    t.is(actorLinks(renamed, before), 0, 'her old name on none');
  } finally {
    await other.close();
  }
  const m = await app.as('mod');
  t.is((await m.post(`/status/${old}/pin`, { until: '2999-01-01' })).status, 303);
  const pinnedPage = (await b.agent.http.get('/activity')).text;
  t.true(/class="activity-pinned"[\s\S]*an older post/.test(pinnedPage), 'the announcement above');
  t.false(listIn(pinnedPage).includes('an older post'), 'not listed again below');
  t.false(listIn((await b.agent.http.get('/activity')).text).includes('an older post'), 'nor on the kept list');
  t.is((await m.post(`/status/${old}/unpin`)).status, 303);
  t.true((await page()).includes('an older post'), 'back in the list once unpinned');
});

eachKeptApp('two viewers of the same rows never get each other’s list', async (t, app) => {
  await app.member('alice');
  await app.member('bob');
  await app.member('carol');
  const id = await app.post('alice', 'for all', 'members');
  const a = await app.as('alice');
  const b = await app.as('bob');
  const c = await app.as('carol');
  t.is((await b.post(`/entities/${id}/react`, { reaction: 'like' })).status, 303);
  for (let round = 0; round < 3; round++) {
    const la = listIn((await a.agent.http.get('/activity')).text);
    const lb = listIn((await b.agent.http.get('/activity')).text);
    const lc = listIn((await c.agent.http.get('/activity')).text);
    t.true(la.includes(`/status/${id}/edit`), 'the author’s edit link');
    t.false(lb.includes(`/status/${id}/edit`) || lc.includes(`/status/${id}/edit`), 'no one else’s');
    t.true(lb.includes('reaction--mine'), 'bob’s reaction pressed for bob');
    t.false(la.includes('reaction--mine') || lc.includes('reaction--mine'), 'and for no one else');
  }
});
