/** Personal access tokens and the JSON API's /api/v1/me (both databases). */
import request from 'supertest';
import { eachApp } from '../helpers/each-app';
import { ADMIN, makeApp } from '../helpers/app';

eachApp('a member creates, uses, lists and revokes an API token', makeApp, async (t, { app, agent }) => {
  const a = agent();
  await a.login(ADMIN.username, ADMIN.password);
  const csrf = await a.csrf('/account/tokens');
  const empty = await a.http.post('/account/tokens').type('form').send({ _csrf: csrf, name: '   ' });
  t.is(empty.status, 422);
  t.regex(empty.text, /Give the token a name/);
  const noScope = await a.http.post('/account/tokens').type('form').send({ _csrf: csrf, name: 'Report', scope: 'root' });
  t.is(noScope.status, 422);
  t.regex(noScope.text, /Choose one of the scopes/);
  t.regex(noScope.text, /value="Report"/, 'the name typed is kept');
  const created = await a.http.post('/account/tokens').type('form').send({ _csrf: csrf, name: 'Report <script>', scope: 'read' });
  t.is(created.status, 201);
  t.is(created.headers['cache-control'], 'no-store');
  t.notRegex(created.text, /Report <script>/, 'names are escaped');
  const token = /(ruche_[A-Za-z0-9]{8}_[A-Za-z0-9_-]+)/.exec(created.text)?.[1];
  t.truthy(token, 'the token is shown once');
  const stored = await app.ruche.db('api_tokens').first('token_hash');
  t.not(stored.token_hash, token, 'only a hash is stored');

  const api = request(app.callback());
  const me = await api.get('/api/v1/me').set('authorization', `Bearer ${token}`);
  t.is(me.status, 200);
  t.is(me.body.username, ADMIN.username);
  t.is(me.body.network.role, 'admin');
  // A token needs no CSRF token (no cookies), and a bad one gets a JSON 401.
  const bad = await api.get('/api/v1/me').set('authorization', 'Bearer ruche_abcdefgh_notavalidtokenatallxxxxxxxx');
  t.is(bad.status, 401);
  t.is(bad.body.error.code, 'invalid_token');
  const guest = await api.get('/api/v1/me');
  t.is(guest.status, 401);
  t.is(guest.body.error.code, 'unauthorized');

  const list = await a.http.get('/account/tokens');
  t.regex(list.text, /Report &lt;script&gt;/);
  t.regex(list.text, /<td[^>]*>Read<\/td>/, 'the list shows each token’s scope');
  t.is((await app.ruche.db('api_tokens').first('scope')).scope, 'read');
  t.notRegex(list.text, new RegExp(token!), 'the list never shows the token again');
  const id = (await app.ruche.db('api_tokens').first('id')).id;
  // Another member cannot revoke it.
  await app.ruche.users.create({ username: 'mallory', email: 'm@example.com', password: 'quiet river stone 42' });
  const m = agent();
  await m.login('mallory', 'quiet river stone 42');
  const other = await m.http
    .post(`/account/tokens/${id}/revoke`)
    .type('form')
    .send({ _csrf: await m.csrf('/account/tokens') });
  t.is(other.status, 404);
  t.is((await api.get('/api/v1/me').set('authorization', `Bearer ${token}`)).status, 200);
  const revoked = await a.http.post(`/account/tokens/${id}/revoke`).type('form').send({ _csrf: csrf });
  t.is(revoked.status, 303);
  t.is((await api.get('/api/v1/me').set('authorization', `Bearer ${token}`)).status, 401, 'revoked tokens stop working at once');
  // A suspended member's tokens stop working too.
  const second = await app.ruche.apiTokens.create(1, 'second');
  await app.ruche.db('users').where({ id: 1 }).update({ status: 'suspended' });
  t.is((await api.get('/api/v1/me').set('authorization', `Bearer ${second.token}`)).status, 401);
});

eachApp('account pages need a signed-in member and the language choice is saved', makeApp, async (t, { agent }) => {
  const guest = agent();
  const res = await guest.http.get('/account/tokens');
  t.is(res.status, 302);
  t.is(res.headers.location, '/login?next=%2Faccount%2Ftokens');
  const a = agent();
  await a.login(ADMIN.username, ADMIN.password);
  const page = await a.http.get('/account');
  t.is(page.status, 200);
  const bad = await a.http
    .post('/account/language')
    .type('form')
    .send({ _csrf: await a.csrf('/account'), locale: 'xx' });
  t.is(bad.status, 400);
  const ok = await a.http
    .post('/account/language')
    .type('form')
    .send({ _csrf: await a.csrf('/account'), locale: 'fr' });
  t.is(ok.status, 303);
  const after = await a.http.get('/account').set('accept-language', 'en');
  t.regex(after.text, /<html lang="fr"/, 'the member’s choice wins over the browser’s');
  t.regex(after.text, /Votre langue est enregistrée/);
});
