// A member's followers, following and connections, and the new members, page by keyset
// (plugins/connections/service.ts `list`, `newMembers`): on their pages ("Previous"/"Next"
// links carrying a cursor) and in the API (`next` links), people who sort before the cursor,
// added between requests, make nothing repeat or be skipped; a cursor the list did not write
// is a 400; and who may read the lists is unchanged.
import type { Knex } from 'knex';
import { encodeCursor } from '../../../core';
import { apiClients, relLink, walkLinksWhileAdding, walkWhileAdding } from '../../helpers/api-clients';
import { addMemberships, addSubNetwork } from '../../helpers/members';
import { bulkMembers, eachConnApp } from './support';

const usernames = (html: string): string[] =>
  [...html.matchAll(/connections-person__name" href="[^"]*">[^<]*<\/a>\s*<span class="muted">@([^<]+)</g)].map((m) => m[1]);

type Kind = 'followers' | 'following' | 'connections';
/** Ties `other` to `userId` as one more of `userId`'s `kind`. */
async function tie(db: Knex, kind: Kind, userId: number, other: number): Promise<void> {
  const at = Date.now();
  if (kind === 'followers') await db('follows').insert({ follower_id: other, followee_id: userId, created_at: at });
  else if (kind === 'following') await db('follows').insert({ follower_id: userId, followee_id: other, created_at: at });
  else
    await db('user_relations').insert([
      { user_id: userId, other_id: other, kind: 'friend', created_at: at },
      { user_id: other, other_id: userId, kind: 'friend', created_at: at },
    ]);
}

eachConnApp('followers, following and connections page by cursor while people sorting first arrive between requests', async (t, app) => {
  const alice = await app.member('alice', 'Alice');
  const ids = await bulkMembers(app.db, 'Zed', 45);
  for (const kind of ['followers', 'following', 'connections'] as const) for (const id of ids) await tie(app.db, kind, alice, id);
  const as = await apiClients(app, { reader: [await app.member('bob', 'Bob'), 'read'] });
  const page = await app.as('bob');
  let made = 0;
  for (const kind of ['followers', 'following', 'connections'] as const) {
    // Named to sort first: numbered pages would list someone twice.
    let arrived = 0;
    const arrive = async () => (arrived++, tie(app.db, kind, alice, (await bulkMembers(app.db, `Aa${made++}x`, 1))[0]));
    const api = await walkWhileAdding(as('reader'), { path: `/api/v1/people/alice/${kind}`, key: 'people', pageSize: 10 }, arrive);
    t.is(api.before.length, 45, kind);
    t.deepEqual(api.walked, api.before, `${kind}: the API walk lists each once, by name`);
    t.is(api.links.length, 4);
    for (const link of api.links) t.regex(link, new RegExp(`^/api/v1/people/alice/${kind}\\?limit=10&after=[A-Za-z0-9_-]+$`));
    t.like((await as('reader').get(api.links[0])).body, { page: null, total: 45 + arrived });

    const now = ((await as('reader').get(`/api/v1/people/alice/${kind}?limit=100`)).body.people as { username: string }[]).map((p) => p.username);
    const read = async (path: string) => {
      const res = await page.agent.http.get(path);
      t.is(res.status, 200, path);
      return { items: usernames(res.text), next: relLink(res.text, 'next') };
    };
    const walked = await walkLinksWhileAdding(`/people/alice/${kind}`, read, arrive);
    t.deepEqual(walked.walked, now, `${kind}: the page walk lists each once, by name`);
    t.is(walked.links.length, 2);
    t.regex(walked.links[0], new RegExp(`^/people/alice/${kind}\\?after=[A-Za-z0-9_-]+$`));
  }
  // "Previous" lists the twenty people just before the page's first one.
  const second = await page.agent.http.get(`/people/alice/followers?after=${encodeCursor(['Zed 019', ids[19]])}`);
  t.is(usernames(second.text)[0], 'Zed020');
  const back = await page.agent.http.get(relLink(second.text, 'prev')!);
  const all = ((await as('reader').get('/api/v1/people/alice/followers?limit=100')).body.people as { username: string }[]).map((p) => p.username);
  t.deepEqual(usernames(back.text), all.slice(all.indexOf('Zed020') - 20, all.indexOf('Zed020')));
  t.is(relLink((await page.agent.http.get('/people/alice/followers')).text, 'prev'), null);
  // The numbered pages stay for older API clients, their next link a cursor.
  const numbered = (await as('reader').get('/api/v1/people/alice/followers?limit=20&page=2')).body;
  t.like(numbered, { page: 2, pages: 3 });
  t.deepEqual(
    numbered.people.map((p: { username: string }) => p.username),
    all.slice(20, 40),
  );
  t.regex(numbered.next, /after=/);
  t.notRegex(numbered.next, /page=/);
});

eachConnApp('new members page by cursor, newest first, while members join between requests', async (t, app) => {
  await app.member('alice', 'Alice');
  await bulkMembers(app.db, 'Old', 30, { start: 1_000 });
  const alice = await app.as('alice');
  const read = async (path: string) => {
    const res = await alice.agent.http.get(path);
    t.is(res.status, 200, path);
    return { items: usernames(res.text), next: relLink(res.text, 'next') };
  };
  const before = (await read('/connections/new-members')).items;
  t.is(before.length, 20);
  let round = 0;
  // Newcomers sort first (newest first): an offset would show the last of a page again.
  const walked = await walkLinksWhileAdding('/connections/new-members', read, () => bulkMembers(app.db, `New${round++}x`, 3));
  t.is(walked.walked.filter((u) => u.startsWith('Old')).length, 30);
  t.is(new Set(walked.walked).size, walked.walked.length, 'nobody twice');
  t.deepEqual(walked.walked.slice(0, 20), before);
  t.regex(walked.links[0], /^\/connections\/new-members\?after=[A-Za-z0-9_-]+$/);
});

eachConnApp('people lists: a cursor the list did not write is a 400; who may read the lists is unchanged', async (t, app) => {
  const alice = await app.member('alice', 'Alice');
  const fans = await bulkMembers(app.db, 'Fan', 22);
  for (const id of fans) await tie(app.db, 'followers', alice, id);
  const bob = await app.member('bob', 'Bob');
  const as = await apiClients(app, { bob: [bob, 'read'] });
  const page = await app.as('bob');

  // Bad and foreign cursors: a new-members cursor (time, id) is not a followers one (name, id), nor the reverse.
  const newest = encodeCursor([Date.now(), fans[0]]);
  const byName = encodeCursor(['Fan 001', fans[1]]);
  for (const path of ['/people/alice/followers?after=abc', `/people/alice/followers?before=${newest}`, `/connections/new-members?after=${byName}`]) {
    const res = await page.agent.http.get(path);
    t.is(res.status, 400, path);
    t.regex(res.text, /This page link is not valid for this list/);
  }
  for (const query of ['after=abc', `after=${newest}`, 'after=' + 'A'.repeat(900)]) {
    const res = await as('bob').get(`/api/v1/people/alice/followers?${query}`);
    t.deepEqual([res.status, Object.keys(res.body.error.fields ?? {})], [400, ['query.after']], query.slice(0, 20));
  }
  await app.db('users').where({ id: bob }).update({ locale: 'fr' });
  const fr = await (await app.as('bob')).agent.http.get('/people/alice/followers?after=abc');
  t.regex(fr.text, /Ce lien de page n’est pas valable pour cette liste/);

  // Readers: a member of the network reads them with cursors; a guest signs in first; a suspended
  // member's lists are unknown; in a sub-network, only its members are listed and known.
  const next = relLink((await page.agent.http.get('/people/alice/followers')).text, 'next')!;
  t.regex(next, /after=/);
  t.is(usernames((await page.agent.http.get(next)).text).length, 2);
  t.is((await app.agent().http.get(next)).status, 302);
  t.is((await app.agent().http.get(`/api/v1/people/alice/followers?after=${byName}`)).status, 401);
  await app.app.ruche.users.setStatus(alice, 'suspended');
  t.is((await page.agent.http.get(next)).status, 404);
  t.is((await as('bob').get(`/api/v1/people/alice/followers?after=${byName}`)).status, 404);
  await app.app.ruche.users.setStatus(alice, 'active');
  const paris = await addSubNetwork(app.app.ruche, 'paris', 'Paris office');
  await addMemberships(app.app.ruche, paris, [alice, bob, fans[5]]);
  const inParis = await page.agent.http.get(`/n/paris/people/alice/followers?after=${encodeCursor(['Fan 000', fans[0]])}`);
  t.deepEqual(usernames(inParis.text), ['Fan005'], 'only the sub-network’s members, after the cursor');
  t.is((await page.agent.http.get(`/n/paris/people/Fan006/followers?after=${byName}`)).status, 404, 'not a member there');
});
