// Blogs through the JSON API (plugins/blogs/api.ts, and `POST /api/v1/blogs`, the form's twin):
// the list and a post answer each viewer as the pages do (the API access matrix walks every
// level); a draft is its author's only; writing goes through the form's checks.
import request from 'supertest';
import { apiClients, walkWhileAdding } from '../../helpers/api-clients';
import { eachBlogApp } from './support';

eachBlogApp('blogs through the API: written with the form’s checks; listed and read as the pages show them', async (t, app) => {
  const olga = await app.member('olga');
  const mia = await app.member('mia');
  const tokenOf = async (userId: number) => (await app.rt.apiTokens.create(userId, 'blogs api', 'write')).token;
  const tokens = { olga: await tokenOf(olga), mia: await tokenOf(mia) };
  const api = request(app.app.callback());
  const as = (who: keyof typeof tokens) => ({
    get: (path: string) => api.get(path).set('authorization', `Bearer ${tokens[who]}`).set('Accept-Language', 'en'),
    post: (body: Record<string, unknown>) =>
      api.post('/api/v1/blogs').set('authorization', `Bearer ${tokens[who]}`).set('Accept-Language', 'en').send(body),
  });

  const published = await as('olga').post({ title: 'Build results', body: 'All *green*.', tags: 'ci', status: 'published' });
  t.is(published.status, 201, published.text);
  const draft = await as('olga').post({ title: 'Half written', body: 'Later.' });
  t.is(draft.status, 201);
  t.is((await app.db('blog_posts').where({ entity_id: draft.body.id }).first()).status, 'draft', 'a draft unless said otherwise, as the form');
  const refused = await as('olga').post({ title: 'Bad', body: 'x', status: 'sometime' });
  t.is(refused.status, 400);
  t.truthy(refused.body.error.fields['body.status']);
  const untitled = await as('olga').post({ title: ' ', body: 'x', status: 'published' });
  t.is(untitled.status, 400);
  t.truthy(untitled.body.error.fields.title);

  const list = (await as('mia').get('/api/v1/blogs')).body;
  t.deepEqual(
    list.posts.map((p: { title: string }) => p.title),
    ['Build results'],
  );
  t.like(list, { page: 1, more: false, next: null });
  t.like(list.posts[0], { id: published.body.id, status: 'published', tags: ['ci'], author: { username: 'olga' } });
  t.deepEqual((await as('mia').get('/api/v1/blogs?tag=nothing')).body.posts, []);

  const read = await as('mia').get(`/api/v1/blogs/${published.body.id}`);
  t.like(read.body, { title: 'Build results', body: 'All *green*.', canEdit: false, containerId: null });
  t.regex(read.body.html, /<em>green<\/em>/);
  t.is((await as('olga').get(`/api/v1/blogs/${draft.body.id}`)).body.status, 'draft', 'a draft to its author');
  t.is((await as('mia').get(`/api/v1/blogs/${draft.body.id}`)).status, 404, 'not to anyone else, as its page');
  t.is((await (await app.as('mia')).agent.http.get(`/blogs/${draft.body.id}`)).status, 404);
  t.is((await api.get(`/api/v1/blogs/${published.body.id}`)).status, 401, 'a guest is asked to authenticate');
});

eachBlogApp('the blog list pages by cursor: posts published between requests repeat or skip none', async (t, app) => {
  const olga = await app.member('olga');
  const as = await apiClients(app, { olga: [olga, 'write'] });
  const publish = (title: string) => as('olga').post('/api/v1/blogs', { title, body: 'Words.', status: 'published' });
  for (let i = 1; i <= 7; i++) t.is((await publish(`Post ${i}`)).status, 201);
  // Newer posts arrive between requests: numbered pages would list a post twice.
  const walked = await walkWhileAdding(as('olga'), { path: '/api/v1/blogs', key: 'posts', pageSize: 3 }, (round) => publish(`Late ${round}`));
  t.is(walked.before.length, 7);
  t.deepEqual(walked.walked, walked.before, 'every post of the first request, once, newest first');
  t.is(walked.links.length, 2);
  t.like((await as('olga').get(walked.links[0])).body, { page: null, more: true });
  const numbered = (await as('olga').get('/api/v1/blogs?limit=3&page=2')).body;
  t.like(numbered, { page: 2, more: true });
  t.regex(numbered.next, /after=/);
  t.is((await as('olga').get('/api/v1/blogs?after=abc')).status, 400);
});
