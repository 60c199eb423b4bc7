/**
 * The JSON API's conventions (core/http/api), on a probe plugin declaring API routes: token
 * scopes, writes without a token (a 401, the CSRF gate only for requests with a session),
 * validation with localised fields, keyset pagination, ETag, Idempotency-Key (replay,
 * concurrent double, reused key) and rate limits (both databases).
 */
import path from 'node:path';
import request from 'supertest';
import { eachApp } from '../helpers/each-app';
import { ADMIN, makeApp, type TestApp } from '../helpers/app';
import type { TokenScope } from '../../core';
import { tempPlugins } from '../fixtures/support';

/** A plugin with a paginated list, a creation (slow enough to race) and an admin-scoped route. */
function probePlugin(): string {
  const core = JSON.stringify(path.join(__dirname, '..', '..', 'core'));
  const zod = JSON.stringify(require.resolve('zod'));
  return tempPlugins({
    probe: `const { z } = require(${zod});
     const { apiBody, apiPageQuery, apiQuery, keysetPage } = require(${core});
     const stores = new WeakMap();
     const items = (rt) => { if (!stores.has(rt)) stores.set(rt, Array.from({ length: 7 }, (_, i) => ({ id: i + 1, name: 'item ' + (i + 1) }))); return stores.get(rt); };
     const body = z.strictObject({ name: z.string().min(1).max(20) });
     exports.default = { id: 'probe', version: '1.0.0', name: 'Probe', description: 'Probe', core: '^1.0.0', defaultEnabled: true,
       routes: [
         { name: 'probe.list', method: 'GET', path: '/api/v1/probe/items', capability: 'core.participate',
           api: { summary: 'Items', query: apiPageQuery },
           handler(ctx) {
             const q = apiQuery(ctx, apiPageQuery);
             const rows = items(ctx.ruche).filter((i) => !q.after || i.id > q.after).slice(0, q.limit + 1);
             return { json: keysetPage(ctx, rows, q.limit, (i) => i.id) };
           } },
         { name: 'probe.create', method: 'POST', path: '/api/v1/probe/items', capability: 'core.participate',
           api: { summary: 'Creates an item', body },
           async handler(ctx) {
             const { name } = apiBody(ctx, body);
             await new Promise((r) => setTimeout(r, 150));
             const list = items(ctx.ruche);
             const item = { id: list.length + 1, name };
             list.push(item);
             return { status: 201, json: item };
           } },
         { name: 'probe.admin', method: 'GET', path: '/api/v1/probe/admin', capability: 'core.participate',
           api: { summary: 'Admin only', scope: 'admin' }, handler: () => ({ json: { ok: true } }) },
       ] };`,
  }).dir;
}

const probeApp =
  (requestsPerMinute = 1000, rateLimitStore: 'auto' | 'database' = 'auto') =>
  (db: Parameters<typeof makeApp>[0]) =>
    makeApp(db, { config: { plugins: { dirs: [probePlugin()] }, api: { requestsPerMinute, rateLimitStore } } });

async function tokenOf(app: TestApp, scope: TokenScope): Promise<string> {
  return (await app.app.ruche.apiTokens.create(1, `${scope} token`, scope)).token;
}

eachApp('token scopes: a read token cannot write, admin routes need an admin token', probeApp(), async (t, app) => {
  const api = request(app.app.callback());
  const read = await tokenOf(app, 'read');
  const write = await tokenOf(app, 'write');
  const admin = await tokenOf(app, 'admin');
  t.is((await api.get('/api/v1/probe/items').set('authorization', `Bearer ${read}`)).status, 200);
  const refused = await api.post('/api/v1/probe/items').set('authorization', `Bearer ${read}`).send({ name: 'x' });
  t.is(refused.status, 403);
  t.is(refused.body.error.code, 'insufficient_scope');
  t.regex(refused.body.error.message, /“write” scope/);
  t.is((await api.post('/api/v1/probe/items').set('authorization', `Bearer ${write}`).send({ name: 'x' })).status, 201);
  // A page's form is a write too: a read token cannot post it.
  const form = await api.post('/account/language').set('authorization', `Bearer ${read}`).type('form').send({ locale: 'fr' });
  t.is(form.status, 403);
  t.is((await api.get('/api/v1/probe/admin').set('authorization', `Bearer ${write}`)).status, 403);
  t.is((await api.get('/api/v1/probe/admin').set('authorization', `Bearer ${admin}`)).status, 200);
});

eachApp('an API write without a token is a JSON 401; with the session cookie it still needs the CSRF token', probeApp(), async (t, app) => {
  const api = request(app.app.callback());
  const count = async () =>
    (await api.get('/api/v1/probe/items?limit=100').set('authorization', `Bearer ${await tokenOf(app, 'read')}`)).body.items.length;
  const before = await count();
  // No cookie at all, or only the CSRF one a page set: nothing to forge, the API answers itself.
  for (const cookie of [null, 'ruche_csrf=abcdefghijklmnopqrstuvwxyz']) {
    const req = api.post('/api/v1/probe/items').set('Accept-Language', 'fr');
    const res = await (cookie ? req.set('cookie', cookie) : req).send({ name: 'anonymous' });
    t.is(res.status, 401, `cookie: ${cookie}`);
    t.regex(res.headers['content-type'], /json/);
    t.is(res.body.error.status, 401);
    t.truthy(res.body.error.code);
    t.notRegex(res.body.error.message, /CSRF|formulaire/i, 'the API’s own problem, not the forms’ gate');
  }
  // A signed-in browser: the session cookie rides along, so the CSRF token is still required.
  const member = app.agent();
  await member.login(ADMIN.username, ADMIN.password);
  const forged = await member.http.post('/api/v1/probe/items').send({ name: 'forged' });
  t.is(forged.status, 403);
  t.is(forged.body.error.code, 'forbidden');
  t.is(await count(), before, 'nothing created without a token');
  const genuine = await member.http
    .post('/api/v1/probe/items')
    .set('X-CSRF-Token', await member.csrf('/'))
    .send({ name: 'genuine' });
  t.is(genuine.status, 201);
  t.is(await count(), before + 1);
});

eachApp('declared schemas refuse bad input with a 400 naming each field, in the member’s language', probeApp(), async (t, app) => {
  const api = request(app.app.callback());
  const token = await tokenOf(app, 'write');
  const badQuery = await api.get('/api/v1/probe/items?limit=abc&sort=x').set('authorization', `Bearer ${token}`);
  t.is(badQuery.status, 400);
  t.is(badQuery.body.error.code, 'invalid');
  t.deepEqual(Object.keys(badQuery.body.error.fields).sort(), ['query.limit', 'query.sort']);
  t.is(badQuery.body.error.fields['query.sort'], 'Unknown field.');
  const missing = await api.post('/api/v1/probe/items').set('authorization', `Bearer ${token}`).send({});
  t.is(missing.body.error.fields['body.name'], 'Required.');
  await app.app.ruche.users.setLocale(1, 'fr');
  const badBody = await api
    .post('/api/v1/probe/items')
    .set('authorization', `Bearer ${token}`)
    .send({ name: 'a name much longer than twenty characters' });
  t.is(badBody.status, 400);
  t.is(badBody.body.error.fields['body.name'], 'Au plus 20 caractères.');
  t.regex(badBody.headers['content-type'], /json/);
  t.regex(badBody.body.error.message, /Certains champs/);
  t.is((await api.get('/api/v1/probe/items?limit=101').set('authorization', `Bearer ${token}`)).status, 400);
});

eachApp('lists page by keyset with next links, and GETs answer 304 to a matching If-None-Match', probeApp(), async (t, app) => {
  const api = request(app.app.callback());
  const token = await tokenOf(app, 'write');
  const seen: number[] = [];
  let next: string | null = '/api/v1/probe/items?limit=3';
  let pages = 0;
  while (next) {
    const res: request.Response = await api.get(next).set('authorization', `Bearer ${token}`);
    t.is(res.status, 200);
    seen.push(...res.body.items.map((i: { id: number }) => i.id));
    next = res.body.next;
    pages += 1;
  }
  t.deepEqual(seen, [1, 2, 3, 4, 5, 6, 7]);
  t.is(pages, 3);

  const first = await api.get('/api/v1/probe/items').set('authorization', `Bearer ${token}`);
  const etag = first.headers.etag;
  t.regex(etag, /^W\/"[A-Za-z0-9_-]+"$/);
  t.is(first.headers['cache-control'], 'private, no-cache');
  const again = await api.get('/api/v1/probe/items').set('authorization', `Bearer ${token}`).set('if-none-match', etag);
  t.is(again.status, 304);
  t.is(again.text, '');
  await api.post('/api/v1/probe/items').set('authorization', `Bearer ${token}`).send({ name: 'new' });
  const changed = await api.get('/api/v1/probe/items?limit=100').set('authorization', `Bearer ${token}`).set('if-none-match', etag);
  t.is(changed.status, 200);
  t.not(changed.headers.etag, etag);
});

eachApp('an Idempotency-Key replays the first answer, and a concurrent double creates one object', probeApp(), async (t, app) => {
  const api = request(app.app.callback());
  const token = await tokenOf(app, 'write');
  const post = (key: string, name: string) =>
    api.post('/api/v1/probe/items').set('authorization', `Bearer ${token}`).set('idempotency-key', key).send({ name });
  const first = await post('key-1', 'one');
  t.is(first.status, 201);
  const replay = await post('key-1', 'one');
  t.is(replay.status, 201);
  t.is(replay.headers['idempotent-replayed'], 'true');
  t.deepEqual(replay.body, first.body);
  const reused = await post('key-1', 'another');
  t.is(reused.status, 422);
  t.is(reused.body.error.code, 'idempotency_key_reused');

  const [a, b] = await Promise.all([post('key-2', 'two'), post('key-2', 'two')]);
  t.is(a.status, 201);
  t.is(b.status, 201);
  t.deepEqual(a.body, b.body, 'both answers name the same object');
  const list = await api.get('/api/v1/probe/items?limit=100').set('authorization', `Bearer ${token}`);
  t.is(list.body.items.filter((i: { name: string }) => i.name === 'two').length, 1);
  // A failed request keeps nothing: the same key works once the input is right.
  t.is((await post('key-3', '')).status, 400);
  t.is((await post('key-3', 'three')).status, 201);
  t.is((await post('bad key with spaces', 'x')).status, 400);
});

eachApp('each token has its rate limit, told in RateLimit-* headers; past it a JSON 429', probeApp(3), async (t, app) => {
  const api = request(app.app.callback());
  const token = await tokenOf(app, 'read');
  const other = await tokenOf(app, 'read');
  for (let i = 1; i <= 3; i++) {
    const res = await api.get('/api/v1/probe/items').set('authorization', `Bearer ${token}`);
    t.is(res.status, 200);
    t.is(res.headers['ratelimit-limit'], '3');
    t.is(res.headers['ratelimit-remaining'], String(3 - i));
    t.true(Number(res.headers['ratelimit-reset']) > 0);
  }
  const over = await api.get('/api/v1/probe/items').set('authorization', `Bearer ${token}`);
  t.is(over.status, 429);
  t.is(over.body.error.code, 'rate_limited');
  t.true(Number(over.headers['retry-after']) > 0);
  t.is((await api.get('/api/v1/probe/items').set('authorization', `Bearer ${other}`)).status, 200, 'another token has its own count');
});

eachApp('with several processes, the rate limit is counted in the database and holds across them', probeApp(3, 'database'), async (t, app, db) => {
  // A second app on the same database: what a second worker of `ruche start --workers 2` is.
  const second = await makeApp(db, {
    install: false,
    config: { plugins: { dirs: [probePlugin()] }, api: { requestsPerMinute: 3, rateLimitStore: 'database' } },
  });
  try {
    // Both processes read the same clock, held in the middle of a minute so the test never straddles two.
    const minute = Math.floor(Date.now() / 60_000) * 60_000 + 30_000;
    const setClock = (at: number) => {
      for (const a of [app, second]) a.app.ruche.apiRateLimit.now = () => at;
    };
    setClock(minute);
    const token = await tokenOf(app, 'read');
    const call = (a: TestApp) => request(a.app.callback()).get('/api/v1/probe/items').set('authorization', `Bearer ${token}`);
    const answers = [await call(app), await call(second), await call(app)];
    t.deepEqual(
      answers.map((r) => [r.status, r.headers['ratelimit-remaining']]),
      [
        [200, '2'],
        [200, '1'],
        [200, '0'],
      ],
      'each process sees the requests the other counted',
    );
    const over = await call(second);
    t.is(over.status, 429, 'the fourth request of the minute is refused, whichever process gets it');
    t.is(over.body.error.code, 'rate_limited');
    t.true(Number(over.headers['retry-after']) >= 1);
    // The next minute: a new window, and the caller's ended one is gone.
    setClock(minute + 60_000);
    t.is((await call(second)).status, 200);
    t.is(Number((await app.app.ruche.db('api_rate_windows').count({ n: '*' }).first())?.n), 1, 'one window left');
  } finally {
    await second.close();
  }
});
