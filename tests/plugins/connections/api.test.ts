// The JSON API of connections and follows (plugins/connections/api-routes.ts): a member's
// lists as their pages show them, the viewer's pending requests, and follow, connect,
// disconnect, accept, decline and cancel as the profile's and the requests page's buttons,
// with the same refusals; a read token changes nothing; a guest is asked to authenticate.
import request from 'supertest';
import { apiClients } from '../../helpers/api-clients';
import { eachConnApp } from './support';

eachConnApp('connections through the API: lists, requests and every action answer as the pages', async (t, app) => {
  const olga = await app.member('olga', 'Olga Martin');
  const mia = await app.member('mia', 'Mia Dupont');
  const cora = await app.member('cora', 'Cora Petit');
  const api = request(app.app.callback());
  const as = await apiClients(app, { olga: [olga, 'write'], mia: [mia, 'write'], cora: [cora, 'write'], miaRead: [mia, 'read'] });
  const usernames = async (who: Parameters<typeof as>[0], path: string) =>
    ((await as(who).get(path)).body.people as { username: string }[]).map((p) => p.username);

  // Follow: a read token cannot; a write token does, once however often asked.
  t.is((await as('miaRead').post('/api/v1/people/olga/follow')).status, 403);
  t.is(
    await app
      .db('follows')
      .count<{ n: number }[]>('* as n')
      .then((r) => Number(r[0].n)),
    0,
    'nothing written with a read token',
  );
  for (let i = 0; i < 2; i++) {
    const res = await as('mia').post('/api/v1/people/olga/follow');
    t.is(res.status, 200);
    t.deepEqual(res.body, { username: 'olga', state: 'following' });
  }
  const followers = await as('cora').get('/api/v1/people/olga/followers');
  t.like(followers.body, { page: 1, pages: 1, total: 1, next: null });
  t.deepEqual(followers.body.people, [{ id: mia, username: 'mia', displayName: 'Mia Dupont', href: '/people/mia' }]);
  t.true((await (await app.as('cora')).agent.http.get('/people/olga/followers')).text.includes('Mia Dupont'), 'as the page');
  t.deepEqual(await usernames('olga', '/api/v1/people/mia/following'), ['olga']);
  t.deepEqual((await as('mia').post('/api/v1/people/olga/unfollow')).body, { username: 'olga', state: 'not-following' });
  t.deepEqual(await usernames('cora', '/api/v1/people/olga/followers'), []);

  // Connect: a request, seen by both in their pending requests; accepted by its receiver.
  t.deepEqual((await as('mia').post('/api/v1/people/olga/connect')).body, { username: 'olga', state: 'requested' });
  const pending = (await as('olga').get('/api/v1/connections/requests')).body;
  t.is(pending.received.length, 1);
  t.like(pending.received[0], { username: 'mia', displayName: 'Mia Dupont' });
  t.deepEqual(pending.sent, []);
  t.like((await as('mia').get('/api/v1/connections/requests')).body.sent[0], { username: 'olga', requestId: pending.received[0].requestId });
  const requestId = Number(pending.received[0].requestId);
  t.is((await as('mia').post(`/api/v1/connections/requests/${requestId}/accept`)).status, 404, 'its sender cannot accept it');
  t.deepEqual((await as('olga').post(`/api/v1/connections/requests/${requestId}/accept`)).body, { request: requestId, state: 'accepted' });
  t.deepEqual(await usernames('cora', '/api/v1/people/olga/connections'), ['mia']);
  const again = await as('olga').post(`/api/v1/connections/requests/${requestId}/accept`);
  t.deepEqual([again.status, again.body], [200, { request: requestId, state: 'accepted' }], 'a double submit answers as the first');
  t.deepEqual(await usernames('cora', '/api/v1/people/olga/connections'), ['mia'], 'one connection');
  t.deepEqual((await as('mia').post('/api/v1/people/olga/disconnect')).body, { username: 'olga', state: 'not-connected' });
  t.deepEqual(await usernames('cora', '/api/v1/people/olga/connections'), []);

  // Asking someone who had asked first connects at once.
  await as('cora').post('/api/v1/people/mia/connect');
  t.deepEqual((await as('mia').post('/api/v1/people/cora/connect')).body, { username: 'cora', state: 'connected' });

  // Decline (by the receiver) and cancel (by the sender).
  await as('cora').post('/api/v1/people/olga/connect');
  const toDecline = Number((await as('olga').get('/api/v1/connections/requests')).body.received[0].requestId);
  t.deepEqual((await as('olga').post(`/api/v1/connections/requests/${toDecline}/decline`)).body, { request: toDecline, state: 'declined' });
  await as('olga').post('/api/v1/people/mia/connect');
  const toCancel = Number((await as('olga').get('/api/v1/connections/requests')).body.sent[0].requestId);
  t.is((await as('mia').post(`/api/v1/connections/requests/${toCancel}/cancel`)).status, 404, 'only its sender cancels it');
  t.deepEqual((await as('olga').post(`/api/v1/connections/requests/${toCancel}/cancel`)).body, { request: toCancel, state: 'cancelled' });
  t.deepEqual((await as('olga').get('/api/v1/connections/requests')).body, { received: [], sent: [] });

  // Refusals as the pages': oneself, nobody, a malformed id, a bad page; a guest.
  const self = await as('mia').post('/api/v1/people/mia/follow');
  const selfPage = await (await app.as('mia')).post('/people/mia/follow');
  t.is(self.status, selfPage.status, `following oneself: ${self.status} as the page`);
  t.true(self.status >= 400 && self.status < 500);
  t.is((await as('mia').post('/api/v1/people/nobody/follow')).status, 404);
  t.is((await as('mia').post('/api/v1/connections/requests/abc/accept')).status, 404);
  t.is((await as('mia').get('/api/v1/people/olga/followers?page=0')).status, 400);
  t.is((await api.get('/api/v1/people/olga/followers')).status, 401);
  const guestWrite = await api.post('/api/v1/people/olga/follow');
  t.is(guestWrite.status, 401, 'a write without a token is asked for one');
  t.is(guestWrite.body.error.code, 'unauthorized');
  t.deepEqual(await usernames('cora', '/api/v1/people/olga/followers'), [], 'nothing written');
});
