// A group's members list pages by keyset (plugins/groups/queries.ts `members`), on its page
// ("Previous"/"Next" links carrying a cursor) and in the API (`next` links): members who sort
// before the cursor, added between requests, make nothing repeat or be skipped; a cursor the
// list did not write is a 400; and who may read the list is unchanged.
import { encodeCursor } from '../../../core';
import { apiClients, relLink, walkLinksWhileAdding, walkWhileAdding } from '../../helpers/api-clients';
import { bulkMembers, createMember } from '../../helpers/members';
import { eachAppOf } from '../../helpers/each-app';
import { groupApp, type GroupApp } from './support';

const usernames = (html: string): string[] => [...html.matchAll(/groups-member[\s\S]*?<span class="muted">@([^<]+)</g)].map((m) => m[1]);

/** Adds a member to the group straight into container_members (as the support's `join`). */
const enrol = (app: GroupApp, groupId: number, userId: number, role = 'member') =>
  app.db('container_members').insert({ container_id: groupId, user_id: userId, role, created_at: Date.now() });

eachAppOf(groupApp)('group members page by cursor, on the page and in the API, while members join between requests', async (t, app) => {
  const olga = await app.member('olga');
  const id = await app.group('olga', { name: 'Choir', visibility: 'open' });
  for (const m of await bulkMembers(app.db, 'Zed', 44)) await enrol(app, id, m);
  const as = await apiClients(app, { olga: [olga, 'read'] });

  // API: members named to sort first arrive between requests; admins come first whatever their name.
  let made = 0;
  const joinFirst = async (prefix: string) => enrol(app, id, await createMember(app.rt, `${prefix}${made++}`, { displayName: `Aaron ${made}` }));
  const api = await walkWhileAdding(as('olga'), { path: `/api/v1/groups/${id}/members`, key: 'members', pageSize: 10 }, () => joinFirst('early'));
  t.is(api.before.length, 45);
  t.deepEqual(api.walked, api.before, 'every member of the first request, once, in order');
  t.is(api.links.length, 4);
  for (const link of api.links) t.regex(link, new RegExp(`^/api/v1/groups/${id}/members\\?limit=10&after=[A-Za-z0-9_-]+$`));
  const cursorPage = (await as('olga').get(api.links[0])).body;
  t.like(cursorPage, { page: null, total: 49, readable: true });
  t.is(cursorPage.members.length, 10);
  const numbered = (await as('olga').get(`/api/v1/groups/${id}/members?limit=20&page=2`)).body;
  t.like(numbered, { page: 2, pages: 3, total: 49 });
  t.regex(numbered.next, /after=/);
  t.notRegex(numbered.next, /page=/, 'a numbered page links on by cursor');

  // The page: 20 a page, "Next" carries the cursor; members joining before it are not shown twice.
  const owner = await app.as('olga');
  const expected = ((await as('olga').get(`/api/v1/groups/${id}/members?limit=100`)).body.members as { username: string }[]).map((m) => m.username);
  const read = async (path: string) => {
    const res = await owner.get(path);
    t.is(res.status, 200, path);
    return { items: usernames(res.text), next: relLink(res.text, 'next') };
  };
  const pages = await walkLinksWhileAdding(`/groups/${id}/members`, read, () => joinFirst('late'));
  t.deepEqual(pages.walked, expected, 'the page walk lists each member once');
  t.is(pages.links.length, 2);
  t.regex(pages.links[0], new RegExp(`^/groups/${id}/members\\?after=[A-Za-z0-9_-]+$`));
  t.notRegex(pages.links.join(' '), /page=/, 'no page numbers');
  // "Previous" from the second page lists the twenty members just before its first one, now.
  const second = await owner.get(pages.links[0]);
  const prev = relLink(second.text, 'prev');
  t.regex(prev ?? '', new RegExp(`^/groups/${id}/members\\?before=[A-Za-z0-9_-]+$`));
  const now = ((await as('olga').get(`/api/v1/groups/${id}/members?limit=100`)).body.members as { username: string }[]).map((m) => m.username);
  const at = now.indexOf(usernames(second.text)[0]);
  const back = await owner.get(prev!);
  t.deepEqual(usernames(back.text), now.slice(at - 20, at));
  t.regex(relLink(back.text, 'next') ?? '', /after=/);
  t.is(relLink((await owner.get(`/groups/${id}/members`)).text, 'prev'), null, 'the first page has no previous link');

  // A cursor this list did not write: 400 with a clear message, in the member's language.
  const bad = await owner.get(`/groups/${id}/members?after=abc`);
  t.is(bad.status, 400);
  t.regex(bad.text, /This page link is not valid for this list/);
  const directoryCursor = encodeCursor(['choir', id]); // the shape of the directory's cursors (name, id)
  t.is((await owner.get(`/groups/${id}/members?before=${directoryCursor}`)).status, 400, 'a cursor of another list');
  for (const query of ['after=abc', `after=${directoryCursor}`]) {
    const res = await as('olga').get(`/api/v1/groups/${id}/members?${query}`);
    t.deepEqual([res.status, Object.keys(res.body.error.fields)], [400, ['query.after']], query);
  }
  await app.member('marie', { locale: 'fr' });
  await app.join(id, 'marie');
  const fr = await (await app.as('marie')).get(`/groups/${id}/members?after=abc`);
  t.deepEqual([fr.status, /Ce lien de page n’est pas valable pour cette liste/.test(fr.text)], [400, true]);
});

eachAppOf(groupApp)('group members by cursor: a secret group stays unknown to outsiders, a closed one closed', async (t, app) => {
  const olga = await app.member('olga');
  const mia = await app.member('mia');
  const cora = await app.member('cora');
  const closed = await app.group('olga', { name: 'Closed circle', visibility: 'closed' });
  const secret = await app.group('olga', { name: 'Hidden circle', visibility: 'secret' });
  for (const g of [closed, secret]) {
    await app.join(g, 'cora');
    for (const m of await bulkMembers(app.db, `M${g}x`, 21)) await enrol(app, g, m);
  }
  const as = await apiClients(app, { olga: [olga, 'read'], mia: [mia, 'read'], cora: [cora, 'read'] });
  for (const g of [closed, secret]) {
    const first = await (await app.as('cora')).get(`/groups/${g}/members`);
    const next = relLink(first.text, 'next');
    t.truthy(next, 'a member pages on');
    const apiNext = (await as('cora').get(`/api/v1/groups/${g}/members`)).body.next as string;
    t.regex(apiNext, /after=/);
    // Mia belongs to neither: the secret group's pages are 404 however they are reached, the closed one's a notice.
    const asMia = await app.as('mia');
    const page = await asMia.get(next!);
    const api = await as('mia').get(apiNext);
    if (g === secret) {
      t.deepEqual([page.status, api.status], [404, 404]);
      t.false(page.text.includes('Hidden circle'));
    } else {
      t.is(page.status, 200);
      t.deepEqual(usernames(page.text), [], 'the closed group shows its notice, not its members');
      t.like(api.body, { readable: false, members: [], next: null });
    }
    t.is((await app.guest().http.get(next!)).status, 302, 'a guest is sent to sign in');
    t.is((await as('olga').get(apiNext)).status, 200);
  }
});
