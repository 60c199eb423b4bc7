// The profile's counts (followers, following, connections) are read from connection_counts, which
// the database keeps in step with follows, friendships, memberships and account states (issue 18).
// After every change the table must equal the counts computed from the rows, and the profile
// page must show them.
import type { ExecutionContext } from 'ava';
import type { Knex } from 'knex';
import { addMemberships, addSubNetwork } from '../../helpers/members';
import { countsFromRows } from '../../../plugins/connections/counts';
import { migratorConfig } from '../../../core/db/migration';
import { migrations } from '../../../plugins/connections/migrations';
import { bulkMembers, eachConnApp } from './support';

type Counts = Record<string, { followers: number; following: number; friends: number }>;

/** connection_counts without its all-zero rows, keyed `user:network`. */
async function stored(db: Knex): Promise<Counts> {
  const rows = (await db('connection_counts').select()) as Record<string, number | string>[];
  const out: Counts = {};
  for (const r of rows) {
    const c = { followers: Number(r.followers), following: Number(r.following), friends: Number(r.friends) };
    if (c.followers || c.following || c.friends) out[`${r.user_id}:${r.network_id}`] = c;
  }
  return out;
}

/** The same counts, computed from the rows. */
async function computed(db: Knex): Promise<Counts> {
  const out: Counts = {};
  for (const column of ['followers', 'following', 'friends'] as const) {
    for (const r of (await countsFromRows(db, column)) as { user_id: number; network_id: number; n: number | string }[]) {
      const key = `${r.user_id}:${r.network_id}`;
      out[key] ??= { followers: 0, following: 0, friends: 0 };
      out[key][column] = Number(r.n);
    }
  }
  return out;
}

async function inStep(t: ExecutionContext, db: Knex, what: string): Promise<Counts> {
  const now = await stored(db);
  t.deepEqual(now, await computed(db), `counts in step after ${what}`);
  return now;
}

const profileCounts = (html: string): string[] =>
  [...html.matchAll(/<li><a href="[^"]*\/(?:followers|following|connections)">([^<]+)<\/a><\/li>/g)].map((m) => m[1]);

eachConnApp('profile counts follow follows, connections, memberships, suspensions and deletions', async (t, app) => {
  const rt = app.app.ruche;
  const [aliceId, bobId, carolId] = await app.members('alice', 'bob', 'carol');
  const alice = await app.as('alice');
  const bob = await app.as('bob');
  const carol = await app.as('carol');

  t.deepEqual(profileCounts((await alice.agent.http.get('/people/bob')).text), ['No followers', 'Follows nobody', 'No connections']);
  await alice.post('/people/bob/follow');
  await carol.post('/people/bob/follow');
  await bob.post('/people/alice/follow');
  let c = await inStep(t, app.db, 'follows');
  t.is(c[`${bobId}:1`].followers, 2);
  t.regex((await alice.agent.http.get('/people/bob')).text, /href="\/people\/bob\/followers">2 followers</);
  await carol.post('/people/bob/unfollow');
  c = await inStep(t, app.db, 'an unfollow');
  t.is(c[`${bobId}:1`].followers, 1);

  // Connect: request, accept (two relation rows), then remove.
  await alice.post('/people/carol/connect');
  const request = await app.db('connection_requests').where({ from_id: aliceId, to_id: carolId }).first('id');
  await carol.post(`/connections/requests/${request.id}/accept`);
  c = await inStep(t, app.db, 'an accepted connection');
  t.deepEqual([c[`${aliceId}:1`].friends, c[`${carolId}:1`].friends], [1, 1]);
  t.regex((await bob.agent.http.get('/people/carol')).text, /href="\/people\/carol\/connections">1 connection</);

  // A sub-network counts only its members: bob's follower alice joins it, then leaves.
  const paris = await addSubNetwork(rt, 'paris', 'Paris office');
  await addMemberships(rt, paris, [bobId]);
  c = await inStep(t, app.db, 'bob joining paris');
  t.false(`${bobId}:${paris}` in c, 'nobody who follows bob is in paris');
  t.is(c[`${aliceId}:${paris}`].followers, 1, 'alice is followed by bob, who is in paris');
  await addMemberships(rt, paris, [aliceId]);
  c = await inStep(t, app.db, 'alice joining paris');
  t.is(c[`${bobId}:${paris}`].followers, 1);
  t.regex((await bob.agent.http.get('/n/paris/people/bob')).text, /href="\/n\/paris\/people\/bob\/followers">1 follower</);
  await app.db('memberships').where({ user_id: aliceId, network_id: paris }).delete();
  c = await inStep(t, app.db, 'alice leaving paris');
  t.false(`${bobId}:${paris}` in c);

  // Suspended accounts are not counted; reactivated ones are again.
  await rt.users.setStatus(aliceId, 'suspended');
  c = await inStep(t, app.db, 'a suspension');
  t.false(`${bobId}:1` in c, 'bob has no active follower left');
  t.false(`${carolId}:1` in c, 'nor carol a connection');
  await rt.users.setStatus(aliceId, 'active');
  c = await inStep(t, app.db, 'a reactivation');
  t.is(c[`${bobId}:1`].followers, 1);

  // A deleted account (one without content: content keeps its owner) leaves every count; its rows go by cascade.
  const [daveId] = await bulkMembers(app.db, 'dave', 1);
  await app.db('follows').insert({ follower_id: daveId, followee_id: bobId, created_at: Date.now() });
  await app.db('user_relations').insert([
    { user_id: daveId, other_id: carolId, kind: 'friend', created_at: Date.now() },
    { user_id: carolId, other_id: daveId, kind: 'friend', created_at: Date.now() },
  ]);
  c = await inStep(t, app.db, 'rows written straight into the tables');
  t.deepEqual([c[`${bobId}:1`].followers, c[`${carolId}:1`].friends], [2, 2]);
  await app.db('users').where({ id: daveId }).delete();
  c = await inStep(t, app.db, 'a deletion');
  t.deepEqual([c[`${bobId}:1`].followers, c[`${carolId}:1`].friends], [1, 1]);
  t.deepEqual(profileCounts((await bob.agent.http.get('/people/bob')).text), ['1 follower', 'Follows 1', 'No connections']);
});

eachConnApp('profile counts stay exact under simultaneous follows and unfollows', async (t, app) => {
  const starId = await app.member('star');
  const fans = await bulkMembers(app.db, 'fan', 12);
  const svc = app.app.ruche.container.resolve((await import('../../../plugins/connections/service')).ConnectionsService);
  await Promise.all(fans.map((id) => svc.follow(1, id, starId)));
  let c = await inStep(t, app.db, 'simultaneous follows');
  t.is(c[`${starId}:1`].followers, fans.length);
  await Promise.all([...fans.slice(0, 7).map((id) => svc.unfollow(1, id, starId)), ...fans.slice(7).map((id) => svc.follow(1, id, starId))]);
  c = await inStep(t, app.db, 'simultaneous unfollows and repeated follows');
  t.is(c[`${starId}:1`].followers, fans.length - 7);
});

eachConnApp('connections migration 004 fills the counts from existing rows, and down removes them', async (t, app) => {
  const config = migratorConfig('connections', migrations);
  t.deepEqual(await app.app.ruche.db.migrate.down(config), [1, ['004_connection_counts']], 'the last migration of connections is 004');
  const [a, b, c] = await bulkMembers(app.db, 'm', 3);
  await app.db('follows').insert([
    { follower_id: a, followee_id: b, created_at: 1 },
    { follower_id: c, followee_id: b, created_at: 1 },
  ]);
  await app.db('user_relations').insert([
    { user_id: a, other_id: c, kind: 'friend', created_at: 1 },
    { user_id: c, other_id: a, kind: 'friend', created_at: 1 },
  ]);
  await app.app.ruche.db.migrate.up(config);
  const counts = await inStep(t, app.db, 'the migration');
  t.deepEqual(counts[`${b}:1`], { followers: 2, following: 0, friends: 0 });
  t.deepEqual(counts[`${a}:1`], { followers: 0, following: 1, friends: 1 });
  await app.app.ruche.db.migrate.down(config);
  t.false(await app.db.schema.hasTable('connection_counts'));
  await app.db('follows').insert({ follower_id: b, followee_id: a, created_at: 2 });
  t.pass('without the table no trigger is left to fail a write');
  await app.app.ruche.db.migrate.up(config);
  await inStep(t, app.db, 'migrating up again');
});
