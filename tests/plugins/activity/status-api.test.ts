// The JSON API of one status post (plugins/activity/status-api.ts): reading it answers as its
// page does (the API access matrix walks every level and viewer), deleting it is its page's
// Delete button: the author or a moderator of its network, nobody else, and nothing left.
import request from 'supertest';
import { ADMIN } from '../../helpers/app';
import { eachActApp } from './support';

eachActApp('a status through the API: read as its page shows it; deleted by its author or a moderator only', async (t, app) => {
  const rt = app.rt;
  const olga = await app.member('olga');
  const mia = await app.member('mia');
  const tokenOf = async (userId: number) => (await rt.apiTokens.create(userId, 'status api', 'write')).token;
  const [olgaToken, miaToken] = [await tokenOf(olga), await tokenOf(mia)];
  const adminId = Number((await rt.db('users').where({ username_lower: ADMIN.username }).first('id')).id);
  const adminToken = await tokenOf(adminId);
  const api = request(app.app.callback());
  const as = (token: string | null, method: 'get' | 'delete', id: number) => {
    const req = api[method](`/api/v1/status/${id}`).set('Accept-Language', 'en');
    return token ? req.set('authorization', `Bearer ${token}`) : req;
  };

  const shared = await app.post('olga', 'Shared with the members');
  const secret = await app.quickPost(olga, 'For my eyes only', 'private');
  const read = await as(miaToken, 'get', shared);
  t.is(read.status, 200);
  t.like(read.body, { id: shared, body: 'Shared with the members', access: 'members', edited: false, canDelete: false });
  t.is(read.body.author.username, 'olga');
  t.is((await as(olgaToken, 'get', shared)).body.canDelete, true);
  t.is((await as(miaToken, 'get', secret)).status, 404, 'a private post is not found by others');
  t.is((await as(null, 'get', shared)).status, 401, 'a guest is asked to authenticate');
  t.is((await as(miaToken, 'get', 999_999)).status, 404);

  // Another member: refused, the post and its feed line untouched.
  const refused = await as(miaToken, 'delete', shared);
  t.is(refused.status, 403);
  t.is(refused.body.error.status, 403);
  t.is((await as(miaToken, 'delete', secret)).status, 404, 'what one cannot see cannot be deleted');
  t.is(
    await rt
      .db('entities')
      .whereIn('id', [shared, secret])
      .whereNull('deleted_at')
      .count({ n: '*' })
      .first()
      .then((r) => Number(r?.n)),
    2,
  );

  // A read token may not delete; the author's write token does, and the post is gone from its page and the feed.
  const readOnly = (await rt.apiTokens.create(olga, 'read only', 'read')).token;
  t.is((await as(readOnly, 'delete', shared)).status, 403);
  const deleted = await as(olgaToken, 'delete', shared);
  t.is(deleted.status, 200);
  t.deepEqual(deleted.body, { deleted: shared });
  t.is((await as(olgaToken, 'get', shared)).status, 404);
  t.is((await (await app.as('olga')).agent.http.get(`/status/${shared}`)).status, 404, 'its page is gone');
  t.false((await as(miaToken, 'get', shared)).ok);
  t.false(((await api.get('/api/v1/activity').set('authorization', `Bearer ${miaToken}`)).text as string).includes('Shared with the members'));

  // A moderator of the network (the administrator) deletes a member's post.
  t.is((await as(adminToken, 'delete', secret)).status, 200);
  t.truthy((await rt.db('entities').where({ id: secret }).first('deleted_at')).deleted_at);
});
