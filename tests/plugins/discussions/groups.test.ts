// With the groups plugin: a group page has a Discussions tab; its members start topics in
// the group (always at the group level); outsiders see nothing of them.
import { eachApp } from '../../helpers/each-app';
import { closedGroupWithTab, groupOnly } from '../../helpers/group-tab';
import { createdId, discApp } from './support';

eachApp('discussions: a closed group gets a Discussions tab; its members start topics in it, outsiders see nothing', discApp, async (t, app) => {
  const choir = await closedGroupWithTab(t, app, 'Discussions', (groupId) => `/discussions/in/${groupId}`);
  if (!choir) return;
  const { groupId, cora: c, out: o } = choir;

  t.is((await c.get(`/discussions/new?container=${groupId}`)).status, 200);
  const id = createdId(await c.post('/discussions', { title: 'Which songs on Friday?', body: 'Ideas welcome', container: String(groupId) }));
  await groupOnly(t, app, choir, '/discussions', id, 'Which songs on Friday?');
  t.is((await o.post('/discussions', { title: 'x', body: 'y', container: String(groupId) })).status, 404);
  t.is((await o.post(`/discussions/${id}/replies`, { body: 'let me in' })).status, 404);
  // An archived group takes no new topics, even from its members.
  await app.db('groups').where({ entity_id: groupId }).update({ archived_at: Date.now() });
  t.is((await c.post('/discussions', { title: 'Too late', body: 'z', container: String(groupId) })).status, 404);
});
