// In a sub-network the directory and the actions are about that network's members only,
// and every link keeps the /n/<slug> prefix.
import { eachDatabase } from '../../helpers/databases';
import { connApp } from './support';

const names = (html: string): string[] =>
  [...html.matchAll(/connections-person__name" href="([^"]*)">[^<]*<\/a>\s*<span class="muted">@([^<]+)</g)].map((m) => `${m[2]} ${m[1]}`);

eachDatabase('a sub-network directory lists its own members; actions there refuse outsiders', async (t, db) => {
  const app = await connApp(db);
  try {
    const rt = app.app.ruche;
    const [row] = await rt
      .db('networks')
      .insert({
        slug: 'paris',
        name: 'Paris office',
        parent_id: rt.networks.root().id,
        join_policy: 'open',
        allow_guests: false,
        theme: 'default',
        locale: 'en',
        created_at: Date.now(),
      })
      .returning('id');
    const paris = Number(typeof row === 'object' ? row.id : row);
    await rt.networks.load();
    const aliceId = await app.member('alice');
    const bobId = await app.member('bob');
    await app.member('carol');
    await rt.db('memberships').insert([
      { user_id: aliceId, network_id: paris, role: 'member', created_at: 1 },
      { user_id: bobId, network_id: paris, role: 'member', created_at: 2 },
    ]);
    const alice = await app.as('alice');

    let res = await alice.agent.http.get('/n/paris/people');
    t.is(res.status, 200);
    t.deepEqual(names(res.text), ['alice /n/paris/people/alice', 'bob /n/paris/people/bob']);
    res = await alice.post('/n/paris/people/carol/follow');
    t.is(res.status, 404);
    res = await alice.post('/n/paris/people/bob/follow');
    t.is(res.status, 303);
    t.is(res.headers.location, '/n/paris/people/bob');
    t.deepEqual(
      app.events.map((e) => e.payload),
      [{ networkId: paris, fromId: aliceId, toId: bobId }],
    );
    res = await alice.agent.http.get('/n/paris/people/bob/followers');
    t.deepEqual(names(res.text), ['alice /n/paris/people/alice']);
    // The root directory lists everyone.
    res = await alice.agent.http.get('/people?q=o');
    t.deepEqual(
      names(res.text).map((n) => n.split(' ')[0]),
      ['bob', 'carol'],
    );
  } finally {
    await app.close();
  }
});
