// Groups belong to one network: a sub-network's groups are listed and reached only under
// /n/<slug>, links keep the prefix, and the root network does not know them.
import { eachApp } from '../../helpers/each-app';
import { addMemberships, addSubNetwork } from '../../helpers/members';
import { groupApp, idFrom } from './support';

eachApp('a sub-network has its own groups, reached under its prefix only', groupApp, async (t, app) => {
  const rt = app.rt;
  const paris = await addSubNetwork(rt, 'paris', 'Paris office');
  for (const u of ['alice', 'bob', 'carol']) await app.member(u);
  await addMemberships(rt, paris, [app.ids.alice, app.ids.bob]);
  const alice = await app.as('alice');
  const created = await alice.post('/n/paris/groups', { name: 'Paris runners', description: '', category: 'social', visibility: 'open' });
  const id = idFrom(created, /^\/n\/paris\/groups\/(\d+)$/);
  const list = await alice.get('/n/paris/groups');
  t.regex(list.text, new RegExp(`href="/n/paris/groups/${id}"`));
  t.notRegex((await alice.get('/groups')).text, /Paris runners/, 'not in the root directory');
  t.is((await alice.get(`/groups/${id}`)).status, 404, 'not reachable outside its network');
  const bob = await app.as('bob');
  const joined = await bob.post(`/n/paris/groups/${id}/join`);
  t.is(joined.headers.location, `/n/paris/groups/${id}`);
  t.is((await (await app.as('carol')).get('/n/paris/groups')).status, 403, 'members of other networks only');
  const { groupFor } = await import('../../../plugins/groups/api');
  t.is((await groupFor(rt, id, (await rt.users.viewer(app.ids.bob)) ?? null))?.href, `/n/paris/groups/${id}`);
  const page = await bob.get(`/n/paris/groups/${id}`);
  t.regex(page.text, new RegExp(`name="next" value="/n/paris/groups/${id}"`), 'forms come back under the prefix');
});
