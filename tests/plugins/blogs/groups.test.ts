// With the groups plugin: a group page has a Blog tab; its members write into the group
// (always at the group level); the group blog lists those posts for who may read them.
import { closedGroupWithTab } from '../../helpers/group-tab';
import { createdId, eachBlogApp } from './support';

eachBlogApp('blogs: a closed group gets a Blog tab; its members post into it, outsiders see nothing', async (t, app) => {
  const cast = await closedGroupWithTab(t, app, 'Blog', (id) => `/blogs/in/${id}`);
  if (!cast) return;
  const { groupId, gina: g, cora: c, out: o } = cast;

  const form = await c.get(`/blogs/new?container=${groupId}`);
  t.is(form.status, 200);
  const id = createdId(
    await c.post('/blogs', { title: 'Rehearsal notes', body: 'Tuesday', access: 'group', status: 'published', container: String(groupId) }),
  );
  const entity = await app.rt.entities.get(id);
  t.is(entity?.access, 'group');
  t.is(Number(entity?.container_id), groupId);
  t.true((await g.get(`/blogs/in/${groupId}`)).text.includes('Rehearsal notes'));
  t.is((await o.get(`/blogs/${id}`)).status, 404);
  t.false((await o.get('/blogs')).text.includes('Rehearsal notes'));
  t.is((await o.post('/blogs', { title: 'x', body: 'y', access: 'group', status: 'published', container: String(groupId) })).status, 404);
  // An archived group is read-only: its members cannot post into it any more.
  await app.db('groups').where({ entity_id: groupId }).update({ archived_at: Date.now() });
  const closed = await c.post('/blogs', { title: 'Late', body: 'z', access: 'group', status: 'published', container: String(groupId) });
  t.is(closed.status, 403);
  t.regex(closed.text, /This group is archived/);
});
