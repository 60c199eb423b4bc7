// With the groups plugin: a group page has a Discussions tab; its members start topics in
// the group (always at the group level); outsiders see nothing of them.
import { eachApp } from '../../helpers/each-app';
import { formGroup } from '../../helpers/members';
import { createdId, discApp } from './support';

eachApp('discussions: a closed group gets a Discussions tab; its members start topics in it, outsiders see nothing', discApp, async (t, app) => {
  if (!app.rt.routes.get('groups.view')) {
    t.log('no groups plugin: skipped');
    t.pass();
    return;
  }
  await app.member('gina');
  const cora = await app.member('cora');
  await app.member('out');
  const g = await app.as('gina');
  const groupId = await formGroup(g, app.rt, { name: 'Choir', description: '', category: 'social', visibility: 'closed' }, [cora]);
  const page = await g.get(`/groups/${groupId}`);
  t.true(page.text.includes(`href="/discussions/in/${groupId}"`), 'the Discussions tab');

  const c = await app.as('cora');
  t.is((await c.get(`/discussions/new?container=${groupId}`)).status, 200);
  const id = createdId(await c.post('/discussions', { title: 'Which songs on Friday?', body: 'Ideas welcome', container: String(groupId) }));
  const entity = await app.rt.entities.get(id);
  t.is(entity?.access, 'group');
  t.is(Number(entity?.container_id), groupId);
  t.true((await g.get(`/discussions/in/${groupId}`)).text.includes('Which songs on Friday?'));
  const o = await app.as('out');
  t.is((await o.get(`/discussions/${id}`)).status, 404);
  t.false((await o.get('/discussions')).text.includes('Which songs on Friday?'));
  t.is((await o.post('/discussions', { title: 'x', body: 'y', container: String(groupId) })).status, 404);
  t.is((await o.post(`/discussions/${id}/replies`, { body: 'let me in' })).status, 404);
  // An archived group takes no new topics, even from its members.
  await app.db('groups').where({ entity_id: groupId }).update({ archived_at: Date.now() });
  t.is((await c.post('/discussions', { title: 'Too late', body: 'z', container: String(groupId) })).status, 404);
});
