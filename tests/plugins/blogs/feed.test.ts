// Blog posts in the activity feed (one query for a whole page), the network's default
// access level from the plugin setting, and a sub-network's own blog.
import type { Knex } from 'knex';
import type { RucheContext } from '../../../core';
import { addMemberships, addSubNetwork } from '../../helpers/members';
import type { FeedEntry } from '../../../plugins/activity/hooks';
import { describePosts } from '../../../plugins/blogs/describe';
import { createdId, eachBlogApp } from './support';

eachBlogApp('blogs: feed entries are described in one query, unpublished ones left without a summary', async (t, app) => {
  const alice = await app.member('alice');
  const ids: number[] = [];
  for (let i = 0; i < 8; i++) ids.push(await app.write(alice, { title: `Feed post ${i}`, body: `Body **${i}**` }));
  // one post goes back to draft after it was published: its (stale) entry gets no summary
  await app.db('blog_posts').where({ entity_id: ids[0] }).update({ status: 'draft' });
  const page = await app.rt.activity.list(null, { entityTypes: ['blog_post'], limit: 50 });
  t.is(page.items.length, 0, 'guests see nothing of members-only posts');
  const viewer = await app.rt.users.viewer(alice);
  const { items } = await app.rt.activity.list(viewer!, { entityTypes: ['blog_post'], limit: 50 });
  t.is(items.length, 8);
  const entries: FeedEntry[] = [...items, { ...items[0], entityType: 'status', entityId: 424242 }];
  const ctx = { ruche: app.rt, state: { basePath: '', network: app.rt.networks.root(), viewer, locale: 'en' } } as unknown as RucheContext;
  await app.rt.background.settled(); // the search plugin's indexing of what was just written
  let queries = 0;
  const count = (): void => void queries++;
  (app.db as Knex).on('query', count);
  const out = await describePosts(entries, { ctx });
  (app.db as Knex).removeListener('query', count);
  t.is(queries, 1, 'one query for the whole page');
  const described = out.filter((e) => e.summary);
  t.is(described.length, 7);
  const e = described.find((d) => d.entityId === ids[3])!;
  t.is(e.href, `/blogs/${ids[3]}`);
  t.is(e.summary?.template, 'blogs/partials/summary');
  t.like(e.summary?.data, { title: 'Feed post 3', excerpt: 'Body 3', href: `/blogs/${ids[3]}`, cover: null });
  t.is(out.find((x) => x.entityType === 'status')?.summary, undefined, 'other types are left alone');
  t.is(out.find((x) => x.entityId === ids[0])?.summary, undefined);
});

eachBlogApp('blogs: the default access level comes from the plugin setting; a sub-network has its own blog', async (t, app) => {
  const alice = await app.member('alice');
  await app.member('bob');
  const a = await app.as('alice');
  t.regex((await a.get('/blogs/new')).text, /<option value="members" selected>/);
  t.false((await a.get('/blogs/new')).text.includes('<option value="network"'), 'at the root "network" is "all members"');
  await app.rt.pluginState.configure('blogs', { defaultAccess: 'friends' });
  t.regex((await a.get('/blogs/new')).text, /<option value="friends" selected>/);

  const rt = app.rt;
  const paris = await addSubNetwork(rt, 'paris', 'Paris office');
  await addMemberships(rt, paris, [alice]);
  const a2 = await app.as('alice');
  const form = await a2.get('/n/paris/blogs/new');
  t.is(form.status, 200);
  t.true(form.text.includes('<option value="network"'));
  t.true(form.text.includes('action="/n/paris/blogs"'));
  const res = await a2.post('/n/paris/blogs', { title: 'Paris only', body: 'Bonjour', access: 'network', status: 'published' });
  t.is(res.status, 303);
  t.regex(String(res.headers.location), /^\/n\/paris\/blogs\/\d+$/);
  const id = Number(/(\d+)$/.exec(res.headers.location)![1]);
  t.is(Number((await rt.entities.get(id))?.network_id), paris);
  t.true((await a2.get('/n/paris/blogs')).text.includes('Paris only'));
  t.false((await a2.get('/blogs')).text.includes('Paris only'), 'not in the root network list');
  t.is((await a2.get(`/blogs/${id}`)).status, 404, 'read in its own network only');
  const b = await app.as('bob');
  t.is((await b.get(`/n/paris/blogs/${id}`)).status === 200, false, 'outsiders do not see a network-only post');
  t.is(createdId(await a.post('/blogs', { title: 'Root', body: 'x', access: 'friends', status: 'published' })) > 0, true);
});

eachBlogApp('blogs: the profile page lists the latest posts the viewer may see', async (t, app) => {
  const alice = await app.member('alice');
  await app.member('bob');
  await app.member('carl');
  const b = await app.as('bob');
  t.false((await b.get('/people/alice')).text.includes('data-section="blogs"'), 'no section without posts');
  await app.write(alice, { title: 'Only me', access: 'private' });
  await app.write(alice, { title: 'Unfinished', status: 'draft' });
  for (let i = 1; i <= 4; i++) await app.write(alice, { title: `Public note ${i}` });
  const html = (await b.get('/people/alice')).text;
  const page = /<section[^>]*data-section="blogs"[\s\S]*?<\/section>/.exec(html)?.[0] ?? '';
  t.true(page.includes('data-section="blogs"'));
  t.true(page.includes('Public note 4') && page.includes('Public note 2'));
  t.false(page.includes('Public note 1'), 'three at most');
  t.false(page.includes('Only me') || page.includes('Unfinished'));
  t.true(page.includes('href="/blogs/by/alice"'));
});
