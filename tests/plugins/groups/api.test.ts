// The JSON API of a group (plugins/groups/api-routes.ts): what its page's header tells each
// viewer, and a secret group unknown to those its page hides it from (the API access matrix
// walks the open and closed groups of every network).
import request from 'supertest';
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
