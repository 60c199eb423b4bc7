// Every access level against every kind of viewer, through the predicate (canSee), the
// post page and the three lists (network, author, container).
import { ACCESS_LEVELS, matrixViewers, SEES, VIEWER_NAMES, VIEWERS, type AccessLevelName } from '../../helpers/who-sees';
import { eachBlogApp } from './support';

eachBlogApp('blogs: every access level against owner, friend, member, group member, moderator, admin and guest', async (t, app) => {
  const { owner, container, agents, get } = await matrixViewers(app);
  const posts: Record<string, number> = {};
  for (const level of ACCESS_LEVELS) {
    posts[level] = await app.write(owner, { title: `Level ${level}`, access: level as never }, level === 'group' ? container : null);
  }

  for (const who of VIEWERS) {
    const viewer =
      who === 'guest' ? null : ((await app.rt.users.viewer((await app.db('users').where({ username: VIEWER_NAMES[who] }).first('id')).id)) ?? null);
    const [network, author, inContainer] = await Promise.all([get(who, '/blogs'), get(who, '/blogs/by/olga'), get(who, `/blogs/in/${container}`)]);
    t.is(network.status, 200, `${who}: network list`);
    t.is(author.status, 200, `${who}: author list`);
    if (who === 'guest') t.is(inContainer.status, 302, 'guest: the members-only container asks to sign in');
    else t.is(inContainer.status, 200, `${who}: container list`);
    for (const [level, id] of Object.entries(posts)) {
      const sees = SEES[level as AccessLevelName].includes(who);
      const entity = await app.rt.entities.get(id);
      t.is(await app.rt.access.canSee(viewer, entity!), sees, `${level} / ${who}: predicate`);
      const page = await get(who, `/blogs/${id}`);
      t.is(page.status, sees ? 200 : who === 'guest' ? 302 : 404, `${level} / ${who}: page`);
      if (sees) t.true(page.text.includes(`Level ${level}`));
      const marker = `data-post="${id}"`;
      t.is(network.text.includes(marker), sees, `${level} / ${who}: network list`);
      t.is(author.text.includes(marker), sees, `${level} / ${who}: author list`);
      if (who !== 'guest') t.is(inContainer.text.includes(marker), sees && level === 'group', `${level} / ${who}: container list`);
    }
  }

  // the visible access level is shown on the card and the page
  const o = agents.get('owner')!;
  t.true((await o.get(`/blogs/${posts.friends}`)).text.includes('My connections'));
  // posting into a container: members only, always at the group level
  const c = agents.get('groupie')!;
  const form = await c.get(`/blogs/new?container=${container}`);
  t.is(form.status, 200);
  t.true(form.text.includes('<option value="group" selected>'));
  t.false(form.text.includes('<option value="public"'));
  const res = await c.post('/blogs', { title: 'In the group', body: 'Hi', access: 'public', status: 'published', container: String(container) });
  t.is(res.status, 303);
  const made = await app.rt.entities.get(Number(/\/blogs\/(\d+)$/.exec(res.headers.location)![1]));
  t.is(made?.access, 'group');
  t.is(Number(made?.container_id), container);
  const m = agents.get('member')!;
  t.is((await m.get(`/blogs/new?container=${container}`)).status, 404, 'not a member of the container');
  t.is((await m.post('/blogs', { title: 'Intruder', body: 'x', access: 'group', status: 'published', container: String(container) })).status, 404);
  // moderators may edit and delete published posts of their network; members may not
  const mod = agents.get('moderator')!;
  t.is((await mod.get(`/blogs/${posts.private}/edit`)).status, 200);
  t.is((await mod.get(`/blogs/${posts.private}/revisions`)).status, 200);
  t.is((await mod.post(`/blogs/${posts.members}/delete`)).status, 303);
  t.not((await app.rt.entities.get(posts.members))?.deleted_at, null);
});

eachBlogApp('blogs: lists filter by tag and page through older posts', async (t, app) => {
  const owner = await app.member('olga');
  await app.member('mia');
  for (let i = 0; i < 12; i++) await app.write(owner, { title: `Post ${i}`, tags: i % 2 ? ['odd'] : ['even'] });
  const m = await app.as('mia');
  const first = await m.get('/blogs');
  t.is((first.text.match(/data-post="/g) ?? []).length, 10);
  t.true(first.text.includes('Post 11') && !first.text.includes('>Post 0<'));
  const next = /href="(\/blogs\?after&#x3D;[A-Za-z0-9_-]+)"/.exec(first.text);
  t.truthy(next, 'a cursor link to the older posts');
  const second = await m.get(next![1].replace('&#x3D;', '='));
  t.is((second.text.match(/data-post="/g) ?? []).length, 2);
  const odd = await m.get('/blogs?tag=ODD');
  t.is((odd.text.match(/data-post="/g) ?? []).length, 6);
  t.true(odd.text.includes('Posts tagged #odd'));
  t.is(((await m.get('/blogs/by/olga?tag=even')).text.match(/data-post="/g) ?? []).length, 6);
});
