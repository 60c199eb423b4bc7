// With the groups plugin: a group page has a Blog tab; its members write into the group
// (always at the group level); the group blog lists those posts for who may read them.
import { closedGroupWithTab, groupOnly } from '../../helpers/group-tab';
import { createdId, eachBlogApp } from './support';

eachBlogApp('blogs: a closed group gets a Blog tab; its members post into it, outsiders see nothing', async (t, app) => {
  const cast = await closedGroupWithTab(t, app, 'Blog', (id) => `/blogs/in/${id}`);
  if (!cast) return;
  const { groupId, cora: c, out: o } = cast;

  const form = await c.get(`/blogs/new?container=${groupId}`);
  t.is(form.status, 200);
  const id = createdId(
    await c.post('/blogs', { title: 'Rehearsal notes', body: 'Tuesday', access: 'group', status: 'published', container: String(groupId) }),
  );
  await groupOnly(t, app, cast, '/blogs', id, 'Rehearsal notes');
  t.is((await o.post('/blogs', { title: 'x', body: 'y', access: 'group', status: 'published', container: String(groupId) })).status, 404);
  // An archived group is read-only: its members cannot post into it any more.
  await app.db('groups').where({ entity_id: groupId }).update({ archived_at: Date.now() });
  const closed = await c.post('/blogs', { title: 'Late', body: 'z', access: 'group', status: 'published', container: String(groupId) });
  t.is(closed.status, 403);
  t.regex(closed.text, /This group is archived/);
});
