// The member directory: search by name, sort, 20 per page, only active members of the network;
// followers/following/connections lists and new members, paginated.
import { bulkMembers, eachConnApp } from './support';
import { statementsDuring } from '../../helpers/statements';
import { relLink } from '../../helpers/api-clients';

const decode = (html: string): string => html.replace(/&#x3D;/g, '=').replace(/&amp;/g, '&');
const names = (html: string): string[] =>
  [...html.matchAll(/connections-person__name" href="[^"]*">[^<]*<\/a>\s*<span class="muted">@([^<]+)</g)].map((m) => m[1]);

eachConnApp('directory: search by name, sort, pagination; suspended and pending hidden', async (t, app) => {
  await app.member('alice', 'Alice Zebra');
  const ids = await bulkMembers(app.db, 'Zed', 25);
  const suspended = await app.member('sam', 'Sam Zebra');
  await app.app.ruche.users.setStatus(suspended, 'suspended');
  const pending = await app.member('pat', 'Pat Zebra');
  await app.db('users').where({ id: pending }).update({ status: 'pending' });
  const alice = await app.as('alice');

  let res = await alice.agent.http.get('/people');
  t.is(res.status, 200);
  t.regex(res.text, /27 members/); // admin, alice, 25 bulk
  t.is(names(res.text).length, 20);
  t.regex(decode(res.text), /rel="next" href="\/people\?after=[A-Za-z0-9_-]+"/);
  t.notRegex(res.text, /@sam|@pat/);

  res = await alice.agent.http.get('/people?q=zebra');
  t.deepEqual(names(res.text), ['alice']);
  res = await alice.agent.http.get(relLink((await alice.agent.http.get('/people?q=ZED0&sort=name')).text, 'next')!);
  t.regex(res.text, /25 members/);
  t.is(names(res.text).length, 5);
  t.deepEqual(names(res.text), ['Zed020', 'Zed021', 'Zed022', 'Zed023', 'Zed024']);
  t.regex(decode(res.text), /rel="prev" href="\/people\?q=ZED0&sort=name&before=[A-Za-z0-9_-]+"/);
  // Wildcards are literal.
  res = await alice.agent.http.get('/people?q=%25');
  t.regex(res.text, /No members found/);
  // An old numbered link opens the first page, never a 500.
  res = await alice.agent.http.get('/people?q=Zed&page=999&sort=bogus');
  t.is(res.status, 200);
  t.is(names(res.text).length, 20);

  res = await alice.agent.http.get('/people?sort=newest');
  t.is(names(res.text)[0], 'Zed024');

  // Most active: entities created in the last 90 days.
  const now = Date.now();
  const mk = (owner: number, at: number) => ({ type: 'note', owner_id: owner, network_id: 1, access: 'members', created_at: at, updated_at: at });
  await app
    .db('entities')
    .insert([
      mk(ids[7], now),
      mk(ids[7], now),
      mk(ids[3], now),
      mk(ids[9], now - 100 * 86400_000),
      mk(ids[9], now - 100 * 86400_000),
      mk(ids[9], now - 100 * 86400_000),
    ]);
  res = await alice.agent.http.get('/people?sort=active&q=zed');
  t.deepEqual(names(res.text).slice(0, 3), ['Zed007', 'Zed003', 'Zed000']);
  // Private and friends-only posts do not count: the ranking reveals no hidden activity.
  await app.db('entities').insert(['private', 'friends', 'private'].map((access) => ({ ...mk(ids[5], now), access })));
  res = await alice.agent.http.get('/people?sort=active&q=zed');
  t.deepEqual(names(res.text).slice(0, 3), ['Zed007', 'Zed003', 'Zed000']);

  // French.
  await app.db('users').where({ username: 'alice' }).update({ locale: 'fr' });
  const fr = await app.as('alice');
  res = await fr.agent.http.get('/people?q=zed');
  t.regex(res.text, /25 membres/);
  t.regex(res.text, /Suivante/);

  // Guests are sent to sign in.
  res = await app.agent().http.get('/people');
  t.is(res.status, 302);
});

eachConnApp('followers, following and connections lists and new members are paginated', async (t, app) => {
  const aliceId = await app.member('alice', 'Alice');
  const ids = await bulkMembers(app.db, 'Fan', 23);
  await app.db('follows').insert(ids.map((id, i) => ({ follower_id: id, followee_id: aliceId, created_at: i })));
  await app.db('user_relations').insert(
    ids.slice(0, 3).flatMap((id) => [
      { user_id: id, other_id: aliceId, kind: 'friend', created_at: 1 },
      { user_id: aliceId, other_id: id, kind: 'friend', created_at: 1 },
    ]),
  );
  await app.app.ruche.users.setStatus(ids[0], 'suspended');
  const alice = await app.as('alice');

  let res = await alice.agent.http.get('/people/alice/followers');
  t.is(res.status, 200);
  t.is(names(res.text).length, 20);
  t.notRegex(res.text, /Page 1 of 2/, 'no page numbers');
  res = await alice.agent.http.get(relLink(res.text, 'next')!);
  t.is(names(res.text).length, 2); // 22 active followers
  res = await alice.agent.http.get('/people/ALICE/connections');
  t.deepEqual(names(res.text), ['Fan001', 'Fan002']);
  res = await alice.agent.http.get('/people/alice/following');
  t.regex(res.text, /Alice follows nobody yet/);
  res = await alice.agent.http.get('/people/Fan005/following');
  t.deepEqual(names(res.text), ['alice']);
  res = await alice.agent.http.get('/people/ghost/following');
  t.is(res.status, 404);

  res = await alice.agent.http.get('/connections/new-members');
  t.is(res.status, 200);
  t.deepEqual(names(res.text).slice(0, 2), ['Fan022', 'Fan021']);
  t.regex(res.text, /rel="next"/);
});

eachConnApp('suggestions: people my connections know, people of my networks I do not follow', async (t, app) => {
  const a = await app.member('alice');
  const b = await app.member('bob');
  const c = await app.member('carol');
  const d = await app.member('dave');
  const friends = (x: number, y: number) => [
    { user_id: x, other_id: y, kind: 'friend', created_at: 1 },
    { user_id: y, other_id: x, kind: 'friend', created_at: 1 },
  ];
  await app.db('user_relations').insert([...friends(a, b), ...friends(b, c)]);
  await app.db('follows').insert({ follower_id: a, followee_id: d, created_at: 1 });
  const e = await app.member('erin');
  const [g] = await app
    .db('entities')
    .insert({ type: 'group', owner_id: e, network_id: 1, access: 'members', created_at: 1, updated_at: 1 })
    .returning('id');
  const groupId = Number(typeof g === 'object' ? g.id : g);
  await app.db('container_members').insert([a, e, d].map((user_id) => ({ container_id: groupId, user_id, role: 'member', created_at: 1 })));
  const alice = await app.as('alice');
  const res = await alice.agent.http.get('/connections');
  t.is(res.status, 200);
  const groups = res.text.split('id="sugg-groups"')[1].split('id="sugg-net"')[0];
  t.deepEqual(names(groups), ['erin']); // dave is followed already
  const [fof, rest] = res.text.split('id="sugg-net"');
  const [same] = rest.split('id="new-members"');
  t.deepEqual(names(fof.split('id="sugg-fof"')[1].split('id="sugg-groups"')[0]), ['carol']);
  t.regex(fof, /1 connection in common/);
  t.false(names(same).includes('dave'));
  t.false(names(same).includes('alice'));
  t.true(names(same).includes('carol'));
});

eachConnApp('directory: the matches and their total come from one statement over the members (issue 18)', async (t, app) => {
  await app.member('alice', 'Alice Zebra');
  await bulkMembers(app.db, 'Zed', 25);
  const alice = await app.as('alice');
  await alice.agent.http.get('/people?q=zed'); // warm caches
  const next = relLink((await alice.agent.http.get('/people?q=zed')).text, 'next')!;
  const { value: res, sql: statements } = await statementsDuring(app.rt, () => alice.agent.http.get(next));
  t.regex(res.text, /25 members/);
  t.is(names(res.text).length, 5);
  t.is(statements.filter((s) => /memberships/.test(s) && /username_lower/.test(s)).length, 1, statements.join('\n'));
});

eachConnApp('"New members — welcome them!" leaves out the member who reads it (issue 27)', async (t, app) => {
  await app.member('alice');
  await app.member('bob');
  const bob = await app.as('bob');
  const home = await bob.agent.http.get('/connections');
  const fresh = names(home.text.split('id="new-members"')[1] ?? '');
  t.true(fresh.includes('alice'));
  t.false(fresh.includes('bob'), 'not on the home page');
  const list = names((await bob.agent.http.get('/connections/new-members')).text);
  t.true(list.includes('alice'));
  t.false(list.includes('bob'), 'not on the full list');
});
