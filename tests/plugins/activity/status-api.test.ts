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

eachActApp('a status edited through the API: by its author only, with its edit form’s checks', async (t, app) => {
  const olga = await app.member('olga');
  const mia = await app.member('mia');
  const tokenOf = async (userId: number, scope: 'read' | 'write' = 'write') => (await app.rt.apiTokens.create(userId, 'status api', scope)).token;
  const tokens = { olga: await tokenOf(olga), mia: await tokenOf(mia), olgaRead: await tokenOf(olga, 'read') };
  const api = request(app.app.callback());
  const edit = (who: keyof typeof tokens, id: number, body: unknown) =>
    api.patch(`/api/v1/status/${id}`).set('authorization', `Bearer ${tokens[who]}`).set('Accept-Language', 'en').send({ body });

  const id = await app.post('olga', 'First words');
  const secret = await app.quickPost(olga, 'Private words', 'private');
  const done = await edit('olga', id, 'Better words');
  t.is(done.status, 200, done.text);
  t.deepEqual(done.body, { id, body: 'Better words', href: `/status/${id}` });
  const read = await api.get(`/api/v1/status/${id}`).set('authorization', `Bearer ${tokens.mia}`);
  t.like(read.body, { body: 'Better words', edited: true });

  t.is((await edit('mia', id, 'Not mine')).status, 403, 'another member may not, as the edit form');
  t.is((await edit('mia', secret, 'Not mine')).status, 404, 'what one cannot see is not found');
  t.is((await edit('olgaRead', id, 'Read only')).status, 403);
  const empty = await edit('olga', id, '   ');
  t.is(empty.status, 400);
  t.is(empty.body.error.code, 'invalid');
  t.is(empty.body.error.fields.body, 'Write something before posting.');
  t.is((await edit('olga', id, 42)).status, 400);
  t.is((await app.db('status_posts').where({ entity_id: id }).first()).body, 'Better words', 'the refused edits changed nothing');
});
