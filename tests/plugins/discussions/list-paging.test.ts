// The topic lists page by keyset (plugins/discussions/service.ts `list`): pinned first, then by
// last activity, the id breaking ties, on the pages ("Newer"/"Older" carrying a cursor) and in
// the API (`next`); topics started between requests sort first and make nothing repeat or be
// skipped; an old `?page=` link opens the first page (the API still reads it); a cursor the list
// did not write is a localised 400; who sees which topic is unchanged on every page.
import { encodeCursor } from '../../../core';
import { apiClients, relLink, walkLinksWhileAdding, walkWhileAdding } from '../../helpers/api-clients';
import { eachApp } from '../../helpers/each-app';
import { listOutsiders } from '../../helpers/list-outsiders';
import { discApp } from './support';

const topicIds = (html: string): number[] => [...html.matchAll(/class="discussions-row[^"]*" data-topic="(\d+)"/g)].map((m) => Number(m[1]));

eachApp('topic lists page by cursor, pinned first, while topics are started between requests', discApp, async (t, app) => {
  const ann = await app.member('ann');
  const bob = await app.member('bob');
  const group = await app.container(ann, []);
  const listed: number[] = [];
  const hidden: number[] = [];
  for (let i = 0; i < 44; i++) {
    if (i % 11 === 5) hidden.push(await app.topic(ann, { title: `Group ${i}`, access: 'group', containerId: group }));
    else if (i % 11 === 7) hidden.push(await app.topic(ann, { title: `Mine ${i}`, access: 'private' }));
    else listed.push(await app.topic(ann, { title: `Topic ${i}` }));
  }
  // Two old topics pinned: they lead every walk.
  await app.db('discussion_topics').whereIn('entity_id', [listed[0], listed[1]]).update({ pinned: true });
  const as = await apiClients(app, { bob: [bob, 'read'] });
  const expectedNow = async () => ((await as('bob').get('/api/v1/discussions?limit=100')).body.topics as { id: number }[]).map((x) => x.id);
  const first = await expectedNow();
  t.deepEqual(first, [listed[1], listed[0], ...listed.slice(2).reverse()], 'pinned first, then the latest activity first');
  t.false(first.some((id) => hidden.includes(id)));

  let started = 0;
  const start = () => app.topic(ann, { title: `Late ${started++}` });
  const api = await walkWhileAdding(as('bob'), { path: '/api/v1/discussions', key: 'topics', pageSize: 10 }, start);
  t.deepEqual(api.walked, api.before, 'the API walk lists each topic of the first request once, in order');
  t.is(api.links.length, 3);
  for (const link of api.links) t.regex(link, /^\/api\/v1\/discussions\?limit=10&after=[A-Za-z0-9_-]+$/);
  t.like((await as('bob').get(api.links[0])).body, { page: null, more: true });

  const b = await app.as('bob');
  const read = async (path: string) => {
    const res = await b.get(path);
    t.is(res.status, 200, path);
    return { items: topicIds(res.text), next: relLink(res.text, 'next') };
  };
  const before = await expectedNow();
  const walked = await walkLinksWhileAdding('/discussions', read, start);
  t.deepEqual(walked.walked, before, 'the page walk lists each topic once, in order');
  t.is(walked.links.length, 1);
  t.regex(walked.links[0], /^\/discussions\?after=[A-Za-z0-9_-]+$/);

  // "Newer" from the second page lists the twenty before it; an old numbered link is the first page.
  const now = await expectedNow();
  const firstPage = await b.get('/discussions');
  const second = await b.get(relLink(firstPage.text, 'next')!);
  t.is(topicIds(second.text)[0], now[20]);
  t.deepEqual(topicIds((await b.get(relLink(second.text, 'prev')!)).text), now.slice(0, 20));
  t.deepEqual(topicIds((await b.get('/discussions?page=2')).text), now.slice(0, 20));
  t.is(relLink(firstPage.text, 'prev'), null);
  // The API still answers a numbered page, its next link a cursor.
  const numbered = (await as('bob').get('/api/v1/discussions?limit=10&page=2')).body;
  t.like(numbered, { page: 2, more: true });
  t.deepEqual(
    (numbered.topics as { id: number }[]).map((x) => x.id),
    now.slice(10, 20),
  );
  t.regex(numbered.next, /after=/);
  t.notRegex(numbered.next, /page=/);
});

eachApp('topic lists: a cursor the list did not write is a 400; guests, suspended authors and outsiders as before', discApp, async (t, app) => {
  const ann = await app.member('ann');
  const bob = await app.member('bob');
  await app.member('marie', { locale: 'fr' });
  const group = await app.container(ann, []);
  for (let i = 0; i < 22; i++) await app.topic(ann, { title: `Topic ${i}`, access: i % 2 ? 'public' : 'members' });
  const inGroup = await app.topic(ann, { title: 'Group only', access: 'group', containerId: group });
  const b = await app.as('bob');
  for (const path of ['/discussions?after=abc', `/discussions?before=${encodeCursor([1, 2])}`, `/discussions?after=${encodeCursor(['x', 1, 2])}`]) {
    const res = await b.get(path);
    t.is(res.status, 400, path);
    t.regex(res.text, /This page link is not valid for this list/);
  }
  t.regex((await (await app.as('marie')).get('/discussions?after=abc')).text, /Ce lien de page n’est pas valable pour cette liste/);
  const as = await apiClients(app, { bob: [bob, 'read'] });
  for (const query of ['after=abc', `after=${encodeCursor([1, 2])}`, 'after=' + 'A'.repeat(900)]) {
    const res = await as('bob').get(`/api/v1/discussions?${query}`);
    t.deepEqual([res.status, Object.keys(res.body.error.fields ?? {})], [400, ['query.after']], query.slice(0, 20));
  }

  const next = relLink((await b.get('/discussions')).text, 'next')!;
  t.regex(next, /^\/discussions\?after=/);
  const second = topicIds((await b.get(next)).text);
  t.is(second.length, 2);
  t.false(second.includes(inGroup), 'a group topic stays out for an outsider');
  const cursor = next.split('after=')[1];
  t.is((await app.guest().http.get(next)).status, 302, 'a guest signs in first');
  t.is((await app.guest().http.get(`/api/v1/discussions?after=${cursor}`)).status, 401);
  await app.allowGuests(true);
  const guest = await app.guest().http.get('/discussions');
  t.is(topicIds(guest.text).length, 11, 'the public topics only, one page');
  t.is(relLink(guest.text, 'next'), null);
  // A suspended author's topics leave the list, cursor or not.
  await app.rt.users.setStatus(ann, 'suspended');
  t.deepEqual(topicIds((await b.get(next)).text), []);
  t.is(((await as('bob').get(`/api/v1/discussions?after=${cursor}`)).body.topics as unknown[]).length, 0);
});

eachApp('topic lists by cursor: a group’s topics stay hidden from every outsider', discApp, async (t, app) => {
  const ann = await app.member('ann');
  const c = await app.container(ann, []);
  await app.topic(ann, { title: 'Group secret plan', access: 'group', containerId: c });
  const { hidden } = await listOutsiders(app, c);
  // A cursor before every topic (pinned ones included): the page after it lists them all.
  const after = encodeCursor([1, 9e15, 0]);
  await hidden(t, `/discussions?after=${after}`, /Group secret plan/);
  await hidden(t, `/discussions/in/${c}?after=${after}`, /Group secret plan/);
});
