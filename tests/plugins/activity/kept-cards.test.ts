// Feed cards kept by version (plugins/activity/kept-cards.ts, issue 18): a hit is taken from the
// fragment cache before any describe or panel read; every writer of what such a card shows makes
// the next page show the new card (a reaction, a comment, a moderator's hiding, a role); two
// viewers never get each other's kept card.
import { makeAgent } from '../../helpers/app';
import { eachAppOf } from '../../helpers/each-app';
import type { TestDatabase } from '../../helpers/databases';
import { createApp } from '../../../core';
import { LikesService } from '../../../plugins/likes/service';
import { StatusService } from '../../../plugins/activity/service';
import { actApp, PASSWORD, type ActApp } from './support';

const eachKeptApp = eachAppOf((db: TestDatabase) => actApp(db));

/** The card of entity `id` in a page, without its form tokens (masked per response). */
const cardIn = (html: string, id: number): string =>
  (new RegExp(`<article[^>]*data-entity="${id}"[\\s\\S]*?</article>`).exec(html)?.[0] ?? '').replace(/name="_csrf" value="[^"]+"/g, '');

/** Counts the calls of the status bodies' read and the reactions panel's read (a describe, a panel). */
function spyReads(app: ActApp): { bodies: number; reactions: number } {
  const calls = { bodies: 0, reactions: 0 };
  const status = app.rt.container.resolve(StatusService);
  const bodies = status.bodies.bind(status);
  status.bodies = (ids) => {
    if (ids.length) calls.bodies++;
    return bodies(ids);
  };
  const likes = app.rt.container.resolve(LikesService);
  const counts = likes.countsAndMine.bind(likes);
  likes.countsAndMine = (viewerId, ids) => {
    if (ids.length) calls.reactions++;
    return counts(viewerId, ids);
  };
  return calls;
}

eachKeptApp('a kept card is served without its describe and panel reads, the same HTML', async (t, app) => {
  await app.member('alice');
  await app.member('bob');
  const ids = [await app.post('alice', 'one'), await app.post('alice', 'two'), await app.post('alice', 'three')];
  const b = await app.as('bob');
  t.is((await b.post(`/entities/${ids[1]}/react`, { reaction: 'like' })).status, 303);
  const calls = spyReads(app);
  const strip = (html: string) => ids.map((id) => cardIn(html, id));
  const first = strip((await b.agent.http.get('/activity')).text);
  t.true(calls.bodies > 0 && calls.reactions > 0, 'the first page reads what its cards show');
  const read = { ...calls };
  const again = strip((await b.agent.http.get('/activity')).text);
  t.deepEqual(again, first, 'the same cards');
  t.is(calls.bodies, read.bodies, 'no status body read on a hit');
  t.is(calls.reactions, read.reactions, 'no reactions read on a hit');
  t.true(again[1].includes('reaction--mine'), "bob's own reaction still pressed");
  // The JSON feed is never served kept cards: its entries carry their data.
  const api = (await b.agent.http.get('/api/v1/activity').set('accept', 'application/json')).body as { items?: unknown[] };
  t.true(JSON.stringify(api).includes('three'), 'the API feed still describes its entries');
});

eachKeptApp("every writer of a kept card's panels shows on the next read: reactions, comments, their deletion", async (t, app) => {
  await app.member('alice');
  await app.member('bob');
  await app.member('carol');
  const id = await app.post('alice', 'react to me');
  const b = await app.as('bob');
  const c = await app.as('carol');
  const card = async (): Promise<string> => cardIn((await b.agent.http.get('/activity')).text, id);
  const calls = spyReads(app);
  const first = await card();
  await card();
  const hitReads = calls.reactions;
  t.is(await card(), first, 'kept');
  t.is(calls.reactions, hitReads, 'a hit');
  t.is((await c.post(`/entities/${id}/react`, { reaction: 'love' })).status, 303);
  const reacted = await card();
  t.not(reacted, first, "carol's reaction changes bob's card");
  t.true(reacted.includes('❤'), 'the reaction chosen shows');
  t.is((await c.post(`/entities/${id}/unreact`, {})).status, 303);
  t.false((await card()).includes('❤'), 'withdrawn');
  t.is((await c.post(`/entities/${id}/comments`, { body: 'a word from carol' })).status, 303);
  t.true((await card()).includes('a word from carol'), "carol's comment shows");
  const commentId = Number(((await app.rt.db('comments').where({ entity_id: id }).first('id')) as { id: unknown }).id);
  await app.rt.db('comments').where({ id: commentId }).delete();
  t.false((await card()).includes('a word from carol'), 'a comment deleted by any writer goes');
});

eachKeptApp("a moderator's hiding and a member's new role show on their kept cards", async (t, app, db) => {
  await app.member('alice');
  const bob = await app.member('bob');
  const id = await app.post('alice', 'hide me');
  const a = await app.as('alice');
  const b = await app.as('bob');
  const cardOf = async (agent: typeof a): Promise<string> => cardIn((await agent.agent.http.get('/activity')).text, id);
  const own = await cardOf(a);
  t.is(await cardOf(a), own, 'kept');
  const networkId = app.rt.networks.root().id;
  await app.rt.db('moderation_hidden').insert({ entity_id: id, network_id: networkId, hidden_by: bob, hidden_at: Date.now() });
  t.regex(await cardOf(a), /moderation-hidden/, 'the author sees the hiding on the next read');
  const asMember = await cardOf(b);
  t.is(await cardOf(b), asMember, 'kept for bob');
  t.notRegex(asMember, /moderation-hidden/, 'a member is not told of the hiding');
  // A second app (another process) makes bob a moderator: his next page shows his new rights.
  const other = await createApp(app.config, { cwd: db.dataDir });
  try {
    await other.ruche.db('memberships').where({ user_id: bob, network_id: networkId }).update({ role: 'moderator' });
  } finally {
    await other.close();
  }
  const asModerator = await cardOf(b);
  t.regex(asModerator, /moderation-hidden/, 'a moderator is');
  const fragments = app.rt.views.fragments;
  (fragments.options as { enabled: boolean }).enabled = false;
  const fresh = await cardOf(b);
  (fragments.options as { enabled: boolean }).enabled = true;
  const noTimes = (html: string) => html.replace(/ title="[^"]*">[^<]*<\/time>/g, '></time>');
  t.is(noTimes(asModerator), noTimes(fresh), 'the kept card is the one a render without the cache gives');
  await app.rt.db('moderation_hidden').where({ entity_id: id }).delete();
  t.notRegex(await cardOf(a), /moderation-hidden/, "the hiding's end shows to the author");
  t.notRegex(await cardOf(b), /moderation-hidden/, 'and to the moderator');
});

eachKeptApp('two viewers and a guest: a kept card is never another viewer’s', async (t, app) => {
  await app.member('alice');
  await app.member('bob');
  const id = await app.post('alice', 'for everyone', 'public');
  const a = await app.as('alice');
  const b = await app.as('bob');
  t.is((await b.post(`/entities/${id}/react`, { reaction: 'like' })).status, 303);
  const guest = makeAgent(app.app);
  await app.rt.networks.update(app.rt.networks.root().id, { allowGuests: true });
  for (let round = 0; round < 3; round++) {
    const pa = cardIn((await a.agent.http.get('/activity')).text, id);
    const pb = cardIn((await b.agent.http.get('/activity')).text, id);
    const pg = cardIn((await guest.http.get('/activity')).text, id);
    t.true(pa.includes(`/status/${id}/edit`) && !pb.includes(`/status/${id}/edit`), 'the edit link is the author’s only');
    t.true(pb.includes('reaction--mine') && !pa.includes('reaction--mine'), 'the pressed reaction is bob’s only');
    if (pg) t.false(pg.includes(`/status/${id}/edit`) || pg.includes('reaction--mine'), 'a guest gets neither');
  }
  void PASSWORD;
});

eachKeptApp("a blog post's kept card follows its edit, through the form or by any writer of its row", async (t, app) => {
  await app.member('alice');
  await app.member('bob');
  const a = await app.as('alice');
  const res = await a.post('/blogs', { title: 'First title', body: 'Some body', access: 'members', status: 'published' });
  t.is(res.status, 303);
  const id = Number(/\/blogs\/(\d+)/.exec(res.headers.location ?? '')?.[1]);
  const b = await app.as('bob');
  const card = async (): Promise<string> => cardIn((await b.agent.http.get('/activity')).text, id);
  const first = await card();
  t.true(first.includes('First title'));
  const hits = app.rt.views.fragments.stats().hits;
  t.is(await card(), first, 'kept');
  t.true(app.rt.views.fragments.stats().hits > hits, 'a hit');
  t.is((await a.post(`/blogs/${id}/edit`, { title: 'Second title', body: 'Some body', access: 'members', status: 'published' })).status, 303);
  t.true((await card()).includes('Second title'), 'the edit through the form');
  await app.rt.db('blog_posts').where({ entity_id: id }).update({ title: 'Third title' });
  const third = await card();
  t.true(third.includes('Third title') && !third.includes('Second title'), 'a write of the row by any writer');
});
