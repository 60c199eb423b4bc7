/** The HTTP pipeline: headers, request ids, localised errors, body limits, CSRF, isolation, shutdown. */
import http from 'node:http';
import type { ExecutionContext } from 'ava';
import request from 'supertest';
import { listen } from '../../core';
import { eachDatabase, freshDatabase, type TestDatabase } from '../helpers/databases';
import { ADMIN, FIXTURE_PLUGINS, makeApp, type TestApp } from '../helpers/app';
import { pluginSource, tempPlugins } from '../fixtures/support';

async function app(t: ExecutionContext, db: TestDatabase, options: Parameters<typeof makeApp>[1] = {}): Promise<TestApp> {
  const made = await makeApp(db, options);
  t.teardown(() => made.close());
  return made;
}

eachDatabase('every response carries the security headers and a request id', async (t, db) => {
  const { agent } = await app(t, db);
  const a = agent();
  for (const path of ['/', '/missing', '/api/missing']) {
    const res = await a.http.get(path);
    const csp = res.headers['content-security-policy'] ?? '';
    t.true(csp.includes("frame-ancestors 'none'"), path);
    t.true(csp.includes("default-src 'self'"));
    t.false(csp.includes('unsafe-inline'), 'no inline script or style');
    t.false(csp.includes('unsafe-eval'));
    t.is(res.headers['x-content-type-options'], 'nosniff');
    t.is(res.headers['referrer-policy'], 'strict-origin-when-cross-origin');
    t.is(res.headers['x-frame-options'], 'DENY');
    t.regex(res.headers['x-request-id'] ?? '', /^[0-9a-f-]{36}$/);
  }
  const ids = new Set(await Promise.all([1, 2, 3].map(async () => (await a.http.get('/')).headers['x-request-id'])));
  t.is(ids.size, 3, 'a new id per request');
  t.is((await a.http.get('/').set('X-Request-Id', 'proxy-id-12345')).headers['x-request-id'], 'proxy-id-12345', 'a sane id from the proxy is kept');
  t.not((await a.http.get('/').set('X-Request-Id', 'bad id <script>')).headers['x-request-id'], 'bad id <script>');
});

eachDatabase('a 404 page is localised from Accept-Language; /api/ answers JSON errors', async (t, db) => {
  const { agent } = await app(t, db);
  const a = agent().http;
  const en = await a.get('/nothing/here').set('Accept-Language', 'en-GB,en;q=0.9');
  t.is(en.status, 404);
  t.regex(en.headers['content-type'] ?? '', /text\/html/);
  t.true(en.text.includes('Page not found'));
  t.regex(en.text, /<html lang="en"/);
  const fr = await a.get('/nothing/here').set('Accept-Language', 'fr-CA,fr;q=0.9,en;q=0.5');
  t.is(fr.status, 404);
  t.true(fr.text.includes('Page introuvable'));
  t.regex(fr.text, /<html lang="fr"/);

  const api = await a.get('/api/nothing').set('Accept-Language', 'fr');
  t.is(api.status, 404);
  t.regex(api.headers['content-type'] ?? '', /application\/json/);
  t.is(api.body.error.status, 404);
  t.is(api.body.error.code, 'not_found');
  t.true(api.body.error.message.startsWith('Il n’y a rien'));
  t.is(api.body.error.requestId, api.headers['x-request-id']);
  const wantsJson = await a.get('/nothing/here').set('Accept', 'application/json');
  t.is(wantsJson.body.error.code, 'not_found', 'JSON clients get JSON anywhere');
});

eachDatabase('oversize bodies answer 413 and malformed JSON answers 400, never 500', async (t, db) => {
  const { agent } = await app(t, db, { config: { limits: { jsonBody: '1kb', formBody: '1kb' } } });
  const a = agent();
  const token = await a.csrf('/login');
  const big = 'x'.repeat(4096);
  const json = await a.http.post('/api/things').set('X-CSRF-Token', token).send({ big });
  t.is(json.status, 413);
  t.is(json.body.error.code, 'payload_too_large');
  const form = await a.http.post('/login').type('form').send({ _csrf: token, login: big, password: 'x' });
  t.is(form.status, 413);
  t.regex(form.text, /Too large/);
  const html = await a.http.post('/login').set('X-CSRF-Token', token).type('form').send({ login: big });
  t.is(html.status, 413);

  const bad = await a.http.post('/api/things').set('X-CSRF-Token', token).set('Content-Type', 'application/json').send('{"broken": ');
  t.is(bad.status, 400);
  t.is(bad.body.error.code, 'bad_request');
  t.is(bad.body.error.message, 'The request body is not valid JSON.');
  const badPage = await a.http.post('/login').set('X-CSRF-Token', token).set('Content-Type', 'application/json').send('nope');
  t.is(badPage.status, 400);
  const ok = await a.http.post('/login').set('X-CSRF-Token', token).type('form').send({ login: 'someone', password: 'small enough' });
  t.is(ok.status, 422, 'a body under the limit reaches the handler');
});

eachDatabase('state-changing requests need the CSRF token of their own cookie', async (t, db) => {
  const made = await app(t, db);
  const a = made.agent();
  await a.login(ADMIN.username, ADMIN.password);
  const token = await a.csrf('/');
  t.is((await a.http.post('/logout').type('form').send({})).status, 403, 'no token');
  t.is(
    (
      await a.http
        .post('/logout')
        .type('form')
        .send({ _csrf: `${token}x` })
    ).status,
    403,
    'wrong token',
  );
  const other = made.agent();
  const otherToken = await other.csrf('/');
  t.not(otherToken, token);
  t.is((await a.http.post('/logout').type('form').send({ _csrf: otherToken })).status, 403, "another visitor's token");
  const noCookie = await request(made.app.callback()).post('/logout').type('form').send({ _csrf: token });
  t.is(noCookie.status, 403, 'a token without its cookie');
  const refused = await a.http.post('/logout').type('form').send({});
  t.true(refused.text.includes('This form has expired'), 'the 403 page says why');
  t.is((await a.http.get('/login')).status, 303, 'still signed in after the refusals (sign-in page redirects)');

  t.is((await a.http.post('/locale').set('X-CSRF-Token', token).type('form').send({ locale: 'fr', next: '/' })).status, 303, 'header token');
  const out = await a.http.post('/logout').type('form').send({ _csrf: token });
  t.is(out.status, 303, 'form token');
});

eachDatabase('two apps in one process share nothing', async (t, db) => {
  const one = await app(t, db, { withFixtures: true, install: { siteName: 'First site', locale: 'en', admin: ADMIN } });
  const db2 = await freshDatabase(db.kind);
  t.teardown(() => db2.drop());
  const two = await makeApp(db2, { withFixtures: true, install: { siteName: 'Second site', locale: 'fr', admin: ADMIN } });
  t.teardown(() => two.close());

  t.not(one.app.ruche.hooks, two.app.ruche.hooks);
  t.not(one.app.ruche.container, two.app.ruche.container);
  t.not(one.app.ruche.views, two.app.ruche.views);
  await one.app.ruche.pluginState.enable('fixture');
  const a1 = one.agent();
  const a2 = two.agent();
  t.true((await a1.http.get('/')).text.includes('First site'));
  t.true((await a2.http.get('/')).text.includes('Second site'));
  t.is((await a1.http.get('/fixture/hello')).status, 200);
  t.is((await a2.http.get('/fixture/hello')).status, 404, 'enabled in the first app only');
  await two.app.ruche.hooks.emit('fixture:pinged', { networkId: two.app.ruche.networks.root().id, by: 1 });
  await one.app.ruche.hooks.emit('fixture:pinged', { networkId: one.app.ruche.networks.root().id, by: 1 });
  t.is((await one.app.ruche.db('fixture_notes').where({ kind: 'ping' })).length, 1);
  t.false(await two.app.ruche.db.schema.hasTable('fixture_notes'));

  await a1.login(ADMIN.username, ADMIN.password);
  const signedIn = await a1.http.get('/login');
  t.is(signedIn.status, 303);
  const stolen = await request(two.app.callback()).get('/login').set('Cookie', signedIn.request.cookies);
  t.is(stolen.status, 200, 'a session of one app means nothing to the other');
});

eachDatabase('a graceful stop finishes in-flight requests, refuses new ones, then closes the database', async (t, db) => {
  const tmp = tempPlugins({
    slow: pluginSource({
      id: "'slow'",
      routes:
        "[{ name: 'slow.wait', method: 'GET', path: '/slow', public: true, async handler() { await new Promise((r) => setTimeout(r, 300)); return { json: { finished: true } }; } }]",
    }),
  });
  t.teardown(() => tmp.remove());
  const made = await makeApp(db, { config: { plugins: { dirs: [FIXTURE_PLUGINS, tmp.dir] } } });
  await made.app.ruche.pluginState.enable('slow');
  const server = await listen(made.app, 0, '127.0.0.1');
  const get = (path: string) =>
    new Promise<{ status: number; body: string }>((resolve, reject) => {
      http
        .get(`${server.url}${path}`, { agent: false }, (res) => {
          let body = '';
          res.on('data', (c: Buffer) => (body += c.toString()));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        })
        .on('error', reject);
    });
  t.is((await get('/')).status, 200);

  const started = Date.now();
  const inFlight = get('/slow');
  await new Promise((r) => setTimeout(r, 100));
  const stopping = server.stop();
  // Refused, or reset when the connection reached the kernel's queue while the listening socket was
  // being closed (seen under load): either way the new request is never answered.
  const refused = await t.throwsAsync(get('/'));
  t.true(['ECONNREFUSED', 'ECONNRESET'].includes(String((refused as NodeJS.ErrnoException).code)), String(refused));
  const done = await inFlight;
  t.is(done.status, 200);
  t.deepEqual(JSON.parse(done.body), { finished: true });
  t.true(Date.now() - started >= 290);
  await stopping;
  await t.throwsAsync(made.app.ruche.db.raw('select 1'), undefined, 'the database is closed');
});
