// With the groups plugin: a group page has a Blog tab; its members write into the group
// (always at the group level); the group blog lists those posts for who may read them.
import { eachDatabase } from '../../helpers/databases';
import { formGroup } from '../../helpers/members';
import { blogApp, createdId } from './support';

eachDatabase('blogs: a closed group gets a Blog tab; its members post into it, outsiders see nothing', async (t, db) => {
  const app = await blogApp(db);
  try {
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
    t.true(page.text.includes(`href="/blogs/in/${groupId}"`), 'the Blog tab');

    const c = await app.as('cora');
    const form = await c.get(`/blogs/new?container=${groupId}`);
    t.is(form.status, 200);
    const id = createdId(
      await c.post('/blogs', { title: 'Rehearsal notes', body: 'Tuesday', access: 'group', status: 'published', container: String(groupId) }),
    );
    const entity = await app.rt.entities.get(id);
    t.is(entity?.access, 'group');
    t.is(Number(entity?.container_id), groupId);
    t.true((await g.get(`/blogs/in/${groupId}`)).text.includes('Rehearsal notes'));
    const o = await app.as('out');
    t.is((await o.get(`/blogs/${id}`)).status, 404);
    t.false((await o.get('/blogs')).text.includes('Rehearsal notes'));
    t.is((await o.post('/blogs', { title: 'x', body: 'y', access: 'group', status: 'published', container: String(groupId) })).status, 404);
    // An archived group is read-only: its members cannot post into it any more.
    await app.db('groups').where({ entity_id: groupId }).update({ archived_at: Date.now() });
    const closed = await c.post('/blogs', { title: 'Late', body: 'z', access: 'group', status: 'published', container: String(groupId) });
    t.is(closed.status, 403);
    t.regex(closed.text, /This group is archived/);
  } finally {
    await app.close();
  }
});
