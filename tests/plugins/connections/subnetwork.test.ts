// In a sub-network the directory and the actions are about that network's members only,
// and every link keeps the /n/<slug> prefix.
import { addMemberships, addSubNetwork } from '../../helpers/members';
import { eachConnApp } from './support';

const names = (html: string): string[] =>
  [...html.matchAll(/connections-person__name" href="([^"]*)">[^<]*<\/a>\s*<span class="muted">@([^<]+)</g)].map((m) => `${m[2]} ${m[1]}`);

eachConnApp('a sub-network directory lists its own members; actions there refuse outsiders', async (t, app) => {
  const rt = app.app.ruche;
  const paris = await addSubNetwork(rt, 'paris', 'Paris office');
  const aliceId = await app.member('alice');
  const bobId = await app.member('bob');
  await app.member('carol');
  await addMemberships(rt, paris, [aliceId, bobId]);
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
});
