// The JSON API of a group (plugins/groups/api-routes.ts): what its page's header tells each
// viewer, and a secret group unknown to those its page hides it from (the API access matrix
// walks the open and closed groups of every network).
import request from 'supertest';
import { apiClients, walkWhileAdding } from '../../helpers/api-clients';
import { eachAppOf } from '../../helpers/each-app';
import { groupApp } from './support';

eachAppOf(groupApp)('a group through the API: as its page tells each viewer; a secret group is not found by outsiders', async (t, app) => {
  const olga = await app.member('olga');
  const mia = await app.member('mia');
  const cora = await app.member('cora');
  const api = request(app.app.callback());
  const tokenOf = async (userId: number) => (await app.rt.apiTokens.create(userId, 'groups api', 'read')).token;
  const tokens = { olga: await tokenOf(olga), mia: await tokenOf(mia), cora: await tokenOf(cora) };
  const get = (who: keyof typeof tokens, id: number) => api.get(`/api/v1/groups/${id}`).set('authorization', `Bearer ${tokens[who]}`);

  const closed = await app.group('olga', { name: 'Closed circle', visibility: 'closed', description: 'Members only.' });
  const secret = await app.group('olga', { name: 'Hidden circle', visibility: 'secret' });
  await app.join(closed, 'cora');
  await app.join(secret, 'cora');

  const asOwner = await get('olga', closed);
  t.is(asOwner.status, 200);
  t.like(asOwner.body, {
    id: closed,
    name: 'Closed circle',
    description: 'Members only.',
    visibility: 'closed',
    members: 2,
    role: 'admin',
    canManage: true,
  });
  t.like((await get('cora', closed)).body, { role: 'member', canPost: true, canManage: false });
  t.like((await get('mia', closed)).body, { role: null, canPost: false, canManage: false }, 'a closed group is known to all, its content is not');
  t.is((await get('cora', secret)).status, 200);
  const outsider = await get('mia', secret);
  t.is(outsider.status, 404, 'a secret group is not found by a non-member');
  t.is((await (await app.as('mia')).agent.http.get(`/groups/${secret}`)).status, 404, 'as its page');
  t.false(outsider.text.includes('Hidden circle'));
  t.is((await api.get(`/api/v1/groups/${closed}`)).status, 401, 'a guest is asked to authenticate');
});

eachAppOf(groupApp)('groups through the API: the directory, members, join and leave answer as the pages', async (t, app) => {
  const olga = await app.member('olga');
  const mia = await app.member('mia');
  const api = request(app.app.callback());
  const tokenOf = async (userId: number, scope: 'read' | 'write') => (await app.rt.apiTokens.create(userId, 'groups api', scope)).token;
  const tokens = { olga: await tokenOf(olga, 'write'), mia: await tokenOf(mia, 'write'), miaRead: await tokenOf(mia, 'read') };
  const as = (who: keyof typeof tokens) => ({
    get: (path: string) => api.get(path).set('authorization', `Bearer ${tokens[who]}`).set('Accept-Language', 'en'),
    post: (path: string) => api.post(path).set('authorization', `Bearer ${tokens[who]}`).set('Accept-Language', 'en'),
  });

  const open = await app.group('olga', { name: 'Open garden', visibility: 'open', description: 'Everyone welcome.' });
  const closed = await app.group('olga', { name: 'Closed circle', visibility: 'closed' });
  const secret = await app.group('olga', { name: 'Hidden circle', visibility: 'secret' });

  // The directory: as the page, the secret group only to its members.
  const names = async (who: keyof typeof tokens, query = '') =>
    ((await as(who).get(`/api/v1/groups${query}`)).body.groups as { name: string }[]).map((g) => g.name);
  t.deepEqual(await names('olga'), ['Closed circle', 'Hidden circle', 'Open garden']);
  t.deepEqual(await names('mia'), ['Closed circle', 'Open garden']);
  t.deepEqual(await names('mia', '?q=garden'), ['Open garden']);
  const listed = (await as('mia').get('/api/v1/groups')).body;
  t.like(listed, { page: 1, pages: 1, total: 2, next: null });
  t.like(listed.groups[1], { id: open, visibility: 'open', members: 1, href: `/groups/${open}`, description: 'Everyone welcome.' });
  const wrong = await as('mia').get('/api/v1/groups?category=sports&page=0');
  t.is(wrong.status, 400);
  t.deepEqual(Object.keys(wrong.body.error.fields).sort(), ['query.category', 'query.page']);

  // Members: a closed group's list is not readable by an outsider (its page shows a notice instead).
  t.like((await as('mia').get(`/api/v1/groups/${closed}/members`)).body, { readable: false, members: [] });
  t.is((await as('mia').get(`/api/v1/groups/${secret}/members`)).status, 404);
  t.is((await api.get(`/api/v1/groups/${open}/members`)).status, 401);

  // Join and leave, with the pages' answers and refusals.
  t.is((await as('miaRead').post(`/api/v1/groups/${open}/join`)).status, 403, 'a read token cannot join');
  const joined = await as('mia').post(`/api/v1/groups/${open}/join`);
  t.is(joined.status, 200);
  t.deepEqual(joined.body, { group: open, state: 'joined' });
  t.deepEqual((await as('mia').post(`/api/v1/groups/${open}/join`)).body, { group: open, state: 'joined' }, 'joining again answers as the first');
  const people = (await as('mia').get(`/api/v1/groups/${open}/members`)).body;
  t.like(people, { readable: true, total: 2 });
  t.deepEqual(
    people.members.map((m: { username: string; role: string }) => `${m.username}:${m.role}`),
    ['olga:admin', 'mia:member'],
  );
  t.deepEqual((await as('mia').post(`/api/v1/groups/${closed}/join`)).body, { group: closed, state: 'requested' });
  t.truthy(await app.db('group_requests').where({ group_id: closed, user_id: mia }).first());
  t.is((await as('mia').post(`/api/v1/groups/${secret}/join`)).status, 404, 'a secret group is not found by a non-member');

  const left = await as('mia').post(`/api/v1/groups/${open}/leave`);
  t.deepEqual(left.body, { group: open, state: 'left' });
  t.falsy(await app.db('container_members').where({ container_id: open, user_id: mia }).first());
  const again = await as('mia').post(`/api/v1/groups/${open}/leave`);
  t.is(again.status, 409);
  t.is(again.body.error.message, 'You are not a member of this group.');
  const last = await as('olga').post(`/api/v1/groups/${open}/leave`);
  t.is(last.status, 409, 'the last admin cannot leave');
  t.regex(last.body.error.message, /last admin/);
  t.deepEqual(
    app.events.filter((e) => e.name === 'groups:joined' || e.name === 'groups:left').map((e) => e.name),
    ['groups:joined', 'groups:left'],
  );
});

eachAppOf(groupApp)('the group directory pages by cursor: groups created between requests repeat or skip none', async (t, app) => {
  const olga = await app.member('olga');
  const as = await apiClients(app, { olga: [olga, 'read'] });
  for (const name of ['Birch', 'Cedar', 'Elm', 'Fir', 'Hazel', 'Oak', 'Pine']) await app.group('olga', { name, visibility: 'open' });
  // Groups named to sort first arrive between requests: numbered pages would list a group twice.
  const walked = await walkWhileAdding(as('olga'), { path: '/api/v1/groups', key: 'groups', query: 'category=social', pageSize: 2 }, (round) =>
    app.group('olga', { name: `Alder ${round}`, visibility: 'open' }),
  );
  t.is(walked.before.length, 7);
  t.deepEqual(walked.walked, walked.before, 'every group of the first request, once, by name');
  t.is(walked.links.length, 3);
  for (const link of walked.links) t.regex(link, /^\/api\/v1\/groups\?limit=2&category=social&after=[A-Za-z0-9_-]+$/);
  const page = (await as('olga').get(walked.links[0])).body;
  t.like(page, { page: null, total: 10 });
  // The numbered pages stay for older clients, their next link a cursor.
  const numbered = (await as('olga').get('/api/v1/groups?limit=4&page=2')).body;
  t.is(numbered.page, 2);
  t.regex(numbered.next, /after=/);
  t.notRegex(numbered.next, /page=/);
  const bad = await as('olga').get('/api/v1/groups?after=abc');
  t.deepEqual([bad.status, Object.keys(bad.body.error.fields)], [400, ['query.after']]);
});
