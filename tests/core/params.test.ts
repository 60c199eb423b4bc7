// The core's request helpers (core/http/params.ts): ids, query strings, pages, pagers, the one
// safe `next` redirect (in the core's forms and in a plugin's), the reader check, LIKE patterns.
import test from 'ava';
import {
  escapeLike,
  HttpError,
  hrefWith,
  idOf,
  idParam,
  isSafeNext,
  likeContains,
  likePrefix,
  pageParam,
  pager,
  queryParam,
  requireReader,
  type RucheContext,
} from '../../core';
import { ADMIN, makeApp } from '../helpers/app';
import { eachDatabase } from '../helpers/databases';
import { BlogsService, PAGE_SIZE as BLOGS_PAGE_SIZE } from '../../plugins/blogs/service';

/** Just what the helpers read from a request. */
function fakeCtx(input: {
  query?: Record<string, unknown>;
  params?: Record<string, string>;
  path?: string;
  basePath?: string;
  viewer?: unknown;
  allowGuests?: boolean;
}) {
  const query = input.query ?? {};
  return {
    query,
    params: input.params ?? {},
    path: input.path ?? '/list',
    querystring: new URLSearchParams(Object.entries(query).map(([k, v]): [string, string] => [k, String(v)])).toString(),
    state: { basePath: input.basePath ?? '', viewer: input.viewer ?? null, network: { allowGuests: input.allowGuests ?? false } },
  } as unknown as RucheContext;
}

test('idParam and idOf: 1 to 15 decimal digits, else 0 (an id no row has)', (t) => {
  t.is(idParam(fakeCtx({ params: { id: '42' } })), 42);
  t.is(idParam(fakeCtx({ params: { user: '7' } }), 'user'), 7);
  for (const bad of ['', 'abc', '-1', '1e3', ' 12', '12 ', '0x10', '1234567890123456', '4.2']) t.is(idOf(bad), 0, JSON.stringify(bad));
  t.is(idOf(undefined), 0);
  t.is(idOf(12), 0, 'only strings: a number in a JSON body is checked by its handler');
  t.is(idParam(fakeCtx({})), 0);
});

test('queryParam: the first value when repeated, "" when absent or not text', (t) => {
  t.is(queryParam(fakeCtx({ query: { q: 'bee' } }), 'q'), 'bee');
  t.is(queryParam(fakeCtx({ query: { q: ['one', 'two'] } }), 'q'), 'one');
  t.is(queryParam(fakeCtx({ query: {} }), 'q'), '');
  t.is(queryParam(fakeCtx({ query: { q: { nested: 'x' } } }), 'q'), '');
});

test('pageParam: 1 to 1,000,000, anything else is page 1; another name for a second list', (t) => {
  const page = (raw: unknown, name?: string) => pageParam(fakeCtx({ query: { [name ?? 'page']: raw } }), name);
  t.is(page('3'), 3);
  t.is(page('1000000'), 1_000_000);
  for (const bad of ['0', '-2', 'x', '2.5', '1000001', '99999999999', '', '3abc']) t.is(page(bad), 1, bad);
  t.is(page('4', 'comments_page'), 4);
});

test('pager and hrefWith keep the other parameters and the network prefix', (t) => {
  const ctx = fakeCtx({ query: { tag: 'bee', page: '2', quote: '9' }, path: '/blogs', basePath: '/n/lyon' });
  t.deepEqual(pager(ctx, 2, true), { prev: '/n/lyon/blogs?tag=bee&page=1&quote=9', next: '/n/lyon/blogs?tag=bee&page=3&quote=9' });
  t.deepEqual(pager(ctx, 2, false, ['quote']), { prev: '/n/lyon/blogs?tag=bee&page=1', next: null });
  t.deepEqual(pager(ctx, 1, { pages: 1 }), { prev: null, next: null });
  t.deepEqual(pager(ctx, 1, { pages: 3 }).next, '/n/lyon/blogs?tag=bee&page=2&quote=9');
  t.is(hrefWith(fakeCtx({ path: '/feed' }), { before: 12 }), '/feed?before=12');
  t.is(hrefWith(fakeCtx({ path: '/feed', query: { before: '3' } }), { before: null }), '/feed');
});

const BAD_NEXT = [
  '//evil.example/x',
  '/\\evil.example',
  '\\\\evil.example',
  'https://evil.example/x',
  'http:/evil.example',
  'javascript:alert(1)',
  'data:text/html,x',
  'evil.example',
  '',
  '/\t/evil.example',
  '/\n/evil.example',
  ' /account',
  '/%2F%2Fevil.example',
  '/%2f/evil.example',
  '/%5Cevil.example',
  '/%252F%252Fevil.example',
  '/%09/evil.example',
  '/%E0%A4%A',
  `/${'a'.repeat(600)}`,
];

test('isSafeNext refuses every way out of the site', (t) => {
  for (const next of BAD_NEXT) {
    t.false(isSafeNext(next, ''), `root: ${JSON.stringify(next)}`);
    t.false(isSafeNext(next, '/n/lyon'), `sub-network: ${JSON.stringify(next)}`);
  }
  t.false(isSafeNext(undefined, ''));
  t.false(isSafeNext(['/a'], ''));
});

test('isSafeNext keeps a path inside the request network, never another network', (t) => {
  for (const ok of ['/', '/account', '/blogs?tag=bee&page=2', '/people/bob#reactions-3', '/search?q=a%20b', '/people/Jos%C3%A9', '/news'])
    t.true(isSafeNext(ok, ''), ok);
  for (const other of ['/n/paris/blogs', '/n/lyon', '/n%2Flyon/x', '/%6E/lyon/x']) t.false(isSafeNext(other, ''), `root → ${other}`);
  for (const ok of ['/n/lyon', '/n/lyon/', '/n/lyon/blogs?page=2', '/n/lyon?x=1']) t.true(isSafeNext(ok, '/n/lyon'), ok);
  for (const other of ['/', '/account', '/n/paris/blogs', '/n/lyonnaise/x', '/n/lyon/../paris/x', '/n/lyon/%2e%2e/paris/x', '/n/lyon/./../paris']) {
    t.false(isSafeNext(other, '/n/lyon'), `lyon → ${other}`);
  }
});

test('requireReader: one answer for anyone but an active member — 401 unless the network is open to guests', (t) => {
  const active = { id: 1, status: 'active' };
  t.notThrows(() => requireReader(fakeCtx({ viewer: active })));
  for (const viewer of [null, { id: 2, status: 'suspended' }, { id: 3, status: 'pending' }]) {
    const err = t.throws(() => requireReader(fakeCtx({ viewer })), { instanceOf: HttpError });
    t.is(err?.status, 401, JSON.stringify(viewer));
    t.notThrows(() => requireReader(fakeCtx({ viewer, allowGuests: true })), 'open to guests');
  }
});

test('escapeLike, likeContains and likePrefix escape %, _ and the escape character', (t) => {
  t.is(escapeLike('50%_a\\b'), '50\\%\\_a\\\\b');
  t.is(likeContains('Bee%'), '%bee\\%%');
  t.is(likePrefix('Jo_'), 'jo\\_%');
});

eachDatabase('LIKE patterns from the helpers match %, _ and \\ literally on this database', async (t, db) => {
  const made = await makeApp(db);
  t.teardown(() => made.close());
  const knex = made.app.ruche.db;
  await knex.schema.createTable('like_probe', (tb) => tb.string('name'));
  await knex('like_probe').insert(['a%b', 'axb', 'a_b', 'a\\b', 'ab', 'A%B'].map((name) => ({ name })));
  const contains = async (text: string) =>
    (
      (await knex('like_probe')
        .whereRaw("lower(name) like ? escape '\\'", [likeContains(text)])
        .orderBy('name')
        .pluck('name')) as string[]
    ).sort();
  t.deepEqual(await contains('%'), ['A%B', 'a%b']);
  t.deepEqual(await contains('_'), ['a_b']);
  t.deepEqual(await contains('\\'), ['a\\b']);
  t.deepEqual(await contains('a%b'), ['A%B', 'a%b']);
  const prefix = (await knex('like_probe')
    .whereRaw("name like ? escape '\\'", [likePrefix('a_')])
    .pluck('name')) as string[];
  t.deepEqual(prefix, ['a_b']);
});

eachDatabase('sign-in follows `next` only inside its own network', async (t, db) => {
  const made = await makeApp(db);
  t.teardown(() => made.close());
  await made.app.ruche.networks.create({ slug: 'lyon', name: 'Lyon' });
  await made.app.ruche.networks.create({ slug: 'paris', name: 'Paris' });
  const signIn = async (base: string, next: string): Promise<string> => {
    const a = made.agent();
    const token = await a.csrf(`${base}/login`);
    const res = await a.http.post(`${base}/login`).type('form').send({ _csrf: token, login: ADMIN.username, password: ADMIN.password, next });
    t.is(res.status, 303, `${base} ${next}`);
    return String(res.headers.location);
  };
  for (const next of [...BAD_NEXT.filter((n) => n !== ''), '/n/lyon/account']) t.is(await signIn('', next), '/', `root: ${JSON.stringify(next)}`);
  t.is(await signIn('', '/blogs?tag=bee'), '/blogs?tag=bee');
  for (const next of ['/account', '/n/paris/blogs', '/n/lyonnaise/x', '/n/lyon/../paris/x', '/%2F%2Fevil.example']) {
    t.is(await signIn('/n/lyon', next), '/n/lyon/', `lyon: ${next}`);
  }
  t.is(await signIn('/n/lyon', '/n/lyon/blogs?page=2'), '/n/lyon/blogs?page=2');
});

eachDatabase("a plugin's form follows the same `next` rule (connections: follow)", async (t, db) => {
  const made = await makeApp(db);
  t.teardown(() => made.close());
  const rt = made.app.ruche;
  for (const username of ['alice', 'bob']) {
    const r = await rt.users.create({ username, email: `${username}@example.com`, password: 'violet staple engine 7', displayName: username });
    if (!('id' in r)) throw new Error(`could not create ${username}`);
  }
  const alice = made.agent();
  await alice.login('alice', 'violet staple engine 7');
  const token = await alice.csrf('/people');
  const follow = async (next: string) => {
    const res = await alice.http.post('/people/bob/follow').type('form').send({ _csrf: token, next });
    t.is(res.status, 303, next);
    return String(res.headers.location);
  };
  for (const next of ['/%2F%2Fevil.example', '/%5Cevil.example', '/n/lyon/people', '/\t/evil.example', 'https://evil.example']) {
    t.is(await follow(next), '/people/bob', JSON.stringify(next));
  }
  t.is(await follow('/people/bob/followers'), '/people/bob/followers');
});

eachDatabase("a plugin's pager keeps the sub-network prefix (blogs: page 2 of a sub-network's posts)", async (t, db) => {
  const made = await makeApp(db);
  t.teardown(() => made.close());
  const rt = made.app.ruche;
  const lyon = await rt.networks.create({ slug: 'lyon', name: 'Lyon' });
  const admin = await rt.db('users').where({ username: ADMIN.username }).first('id');
  const viewer = (await rt.users.viewer(Number(admin.id)))!;
  const blogs = rt.container.resolve(BlogsService);
  for (let i = 0; i <= BLOGS_PAGE_SIZE; i++) {
    await blogs.create(viewer, lyon.id, null, { title: `Post ${i}`, body: 'Text', tags: [], access: 'public', status: 'published', publishAt: null });
  }
  const a = made.agent();
  await a.login(ADMIN.username, ADMIN.password);
  const first = await a.http.get('/n/lyon/blogs');
  t.is(first.status, 200);
  // Handlebars writes `=` as `&#x3D;` in attributes.
  const next = /href="(\/n\/lyon\/blogs\?after(?:=|&#x3D;)[A-Za-z0-9_-]+)"/.exec(first.text);
  t.truthy(next, 'next page inside the sub-network');
  t.notRegex(first.text, /href="\/blogs\?/);
  const second = await a.http.get(next![1].replace('&#x3D;', '='));
  t.regex(second.text, /href="\/n\/lyon\/blogs\?before(=|&#x3D;)[A-Za-z0-9_-]+"/, 'previous page inside the sub-network');
});
