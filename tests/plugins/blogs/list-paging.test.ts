// The blog lists (network, author, container) page by keyset (plugins/blogs/service.ts `list`):
// "Newer"/"Older" links carry a cursor of publication time and id, so posts published between
// two requests (they sort first) make nothing repeat or be skipped; an old `?page=` link opens
// the first page; a cursor the list did not write is a localised 400; and who sees which post
// is unchanged on every page.
import { encodeCursor } from '../../../core';
import { apiClients, relLink, walkLinksWhileAdding } from '../../helpers/api-clients';
import { listOutsiders } from '../../helpers/list-outsiders';
import { eachBlogApp } from './support';

const postIds = (html: string): number[] => [...html.matchAll(/data-post="(\d+)"/g)].map((m) => Number(m[1]));

eachBlogApp('blog lists page by cursor while newer posts are published between requests; hidden posts stay out', async (t, app) => {
  const olga = await app.member('olga');
  const cora = await app.member('cora');
  await app.member('mia');
  const container = await app.container(olga, [cora]);
  const shown: number[] = [];
  const hiddenFromMia: number[] = [];
  for (let i = 0; i < 24; i++) {
    if (i % 6 === 2) hiddenFromMia.push(await app.write(olga, { title: `In the group ${i}`, access: 'group' }, container));
    else if (i % 6 === 4) hiddenFromMia.push(await app.write(olga, { title: `Mine ${i}`, access: 'private' }));
    else shown.push(await app.write(olga, { title: `Post ${i}` }));
  }
  const newestFirst = [...shown].reverse();
  const mia = await app.as('mia');
  const read = async (path: string) => {
    const res = await mia.get(path);
    t.is(res.status, 200, path);
    return { items: postIds(res.text), next: relLink(res.text, 'next') };
  };
  const late: number[] = [];
  const publish = async () => late.push(await app.write(olga, { title: `Late ${late.length}` }));
  for (const list of ['/blogs', '/blogs/by/olga']) {
    const expected = [...late].reverse().concat(newestFirst);
    const walked = await walkLinksWhileAdding(list, read, publish);
    t.deepEqual(walked.walked, expected, `${list}: each visible post of the first request once, newest first (the late ones sort before the cursor)`);
    t.is(walked.links.length, Math.ceil(expected.length / 10) - 1);
    t.regex(walked.links[0], new RegExp(`^${list}\\?after=[A-Za-z0-9_-]+$`));
  }
  // A member of the group walks its list; "Newer" from the second page lists the ten before it.
  const coraAgent = await app.as('cora');
  const inGroup = await coraAgent.get(`/blogs/in/${container}`);
  t.deepEqual(postIds(inGroup.text), [...hiddenFromMia].filter((_, i) => i % 2 === 0).reverse());
  const now = postIds((await mia.get('/blogs')).text);
  const second = await mia.get(relLink((await mia.get('/blogs')).text, 'next')!);
  const back = await mia.get(relLink(second.text, 'prev')!);
  t.deepEqual(postIds(back.text), now);
  t.is(relLink(back.text, 'prev'), null, 'the first page has no "Newer" link');
  // An old numbered link opens the first page.
  t.deepEqual(postIds((await mia.get('/blogs?page=2')).text), now);
});

eachBlogApp('blog lists: a cursor the list did not write is a 400; guests, suspended authors and outsiders as before', async (t, app) => {
  const olga = await app.member('olga');
  const bob = await app.member('bob');
  await app.member('marie', { locale: 'fr' });
  const container = await app.container(olga, []);
  for (let i = 0; i < 12; i++) await app.write(olga, { title: `Post ${i}`, access: i % 2 ? 'public' : 'members' });
  const inGroup = await app.write(olga, { title: 'Group only', access: 'group' }, container);
  const bobAgent = await app.as('bob');
  for (const path of ['/blogs?after=abc', `/blogs?before=${encodeCursor(['x', 1])}`, `/blogs/by/olga?after=${encodeCursor([1, 2, 3])}`]) {
    const res = await bobAgent.get(path);
    t.is(res.status, 400, path);
    t.regex(res.text, /This page link is not valid for this list/);
  }
  t.regex((await (await app.as('marie')).get('/blogs?after=abc')).text, /Ce lien de page n’est pas valable pour cette liste/);
  const as = await apiClients(app, { bob: [bob, 'read'] });
  for (const query of ['after=abc', `after=${encodeCursor(['x', 1])}`]) {
    const res = await as('bob').get(`/api/v1/blogs?${query}`);
    t.deepEqual([res.status, Object.keys(res.body.error.fields ?? {})], [400, ['query.after']], query);
  }

  const next = relLink((await bobAgent.get('/blogs')).text, 'next')!;
  t.regex(next, /^\/blogs\?after=/);
  t.is(postIds((await bobAgent.get(next)).text).length, 2);
  t.false(postIds((await bobAgent.get(next)).text).includes(inGroup), 'a group post stays out for an outsider');
  // A guest signs in first unless the network lets guests in; then sees the public posts only.
  t.is((await app.guest().http.get(next)).status, 302);
  t.is((await app.guest().http.get(`/api/v1/blogs?after=${next.split('after=')[1]}`)).status, 401);
  await app.allowGuests(true);
  const guestFirst = await app.guest().http.get('/blogs');
  t.is(postIds(guestFirst.text).length, 6);
  t.is(relLink(guestFirst.text, 'next'), null, 'six public posts: one page');
  // A suspended author's posts leave the lists and their author's list, cursor or not.
  await app.rt.users.setStatus(olga, 'suspended');
  t.deepEqual(postIds((await bobAgent.get(next)).text), []);
  t.is((await bobAgent.get(next.replace('/blogs', '/blogs/by/olga'))).status, 404);
});

eachBlogApp('blog lists by cursor: a group’s posts stay hidden from every outsider', async (t, app) => {
  const olga = await app.member('olga');
  const c = await app.container(olga, []);
  await app.write(olga, { title: 'Group secret plan', access: 'group' }, c);
  const { hidden } = await listOutsiders(app, c);
  // A cursor before every post: the page after it lists them all.
  const after = encodeCursor([9e15, 0]);
  await hidden(t, `/blogs?after=${after}`, /Group secret plan/);
  await hidden(t, `/blogs/in/${c}?after=${after}`, /Group secret plan/);
});
