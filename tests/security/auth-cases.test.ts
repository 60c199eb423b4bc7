/**
 * Issue 16, the sign-in and account cases: each test names its case number and runs on
 * SQLite and PostgreSQL, over real HTTP (supertest) against a real database.
 */
import { Writable } from 'node:stream';
import pino from 'pino';
import { createApp } from '../../core';
import { eachDatabase, type TestDatabase } from '../helpers/databases';
import { ADMIN, makeAgent, makeApp, type TestAgent } from '../helpers/app';
import { eachApp } from '../helpers/each-app';

const PROXY = '203.0.113.9';

/** Posts the sign-in form as `agent`, optionally with an X-Forwarded-For header. */
async function attempt(agent: TestAgent, login: string, password: string, forwardedFor?: string, headers: Record<string, string> = {}) {
  const token = await agent.csrf('/login');
  const req = agent.http.post('/login').type('form').set(headers);
  if (forwardedFor !== undefined) req.set('x-forwarded-for', forwardedFor);
  return req.send({ _csrf: token, login, password });
}

type LoginLimits = NonNullable<NonNullable<Parameters<typeof makeApp>[1]>['config']>['login'];

/** An app behind a trusted proxy with these sign-in limits. */
const behindProxy = (login: LoginLimits) => (db: TestDatabase) => makeApp(db, { config: { trustProxy: true, login } });

eachApp(
  'issue 16 case 6: behind a trusted proxy the sign-in throttle counts the address the proxy appended, not the leftmost X-Forwarded-For',
  behindProxy({ addressMaxFailures: 3, windowMinutes: 15 }),
  async (t, { app, agent }) => {
    const a = agent();
    // A sprayer behind the proxy invents a new leftmost entry each time; nginx appends the real one.
    for (let i = 0; i < 3; i++) t.is((await attempt(a, `nobody${i}`, 'not the password', `198.51.100.${i}, ${PROXY}`)).status, 422);
    const sprayed = await attempt(a, 'nobody9', 'not the password', `198.51.100.77, ${PROXY}`);
    t.is(sprayed.status, 429, 'a fresh made-up leftmost address does not reset the count of the real one');
    const rows = await app.ruche.db('login_attempts').orderBy('id').select('ip');
    t.deepEqual(
      rows.map((r: { ip: string }) => r.ip),
      [PROXY, PROXY, PROXY, PROXY],
      'the security record names the address the proxy saw',
    );
    // Another real client (another address appended by the proxy) is not affected.
    t.is((await attempt(agent(), ADMIN.username, ADMIN.password, `198.51.100.1, 192.0.2.44`)).status, 303);
    const sessions = await app.ruche.sessions.list(1);
    t.is(sessions[0].ip, '192.0.2.44', 'the sessions list shows the same address');
  },
);

eachDatabase('issue 16 case 6: proxyHops counts trusted proxies from the right; without trustProxy the header is ignored', async (t, db) => {
  const two = await makeApp(db, { config: { trustProxy: true, proxyHops: 2 } });
  try {
    // client → outer proxy (appends the client) → inner proxy (appends the outer proxy) → Ruche
    t.is((await attempt(two.agent(), ADMIN.username, ADMIN.password, '10.0.0.1, 192.0.2.7, 10.1.1.1')).status, 303);
    t.is((await two.app.ruche.sessions.list(1))[0].ip, '192.0.2.7');
    t.is(
      (await attempt(two.agent(), ADMIN.username, 'wrong password', '192.0.2.8')).status,
      422,
      'fewer entries than hops: the leftmost, which a trusted proxy wrote',
    );
    t.is((await two.app.ruche.db('login_attempts').orderBy('id', 'desc').first('ip')).ip, '192.0.2.8');
  } finally {
    await two.close();
  }
  const direct = await makeApp(db, { install: false, config: { trustProxy: false } });
  try {
    t.is((await attempt(direct.agent(), ADMIN.username, ADMIN.password, '192.0.2.99')).status, 303);
    const ip = (await direct.app.ruche.sessions.list(1))[0].ip;
    t.not(ip, '192.0.2.99', 'a direct client cannot name its own address');
    t.regex(String(ip), /^(127\.0\.0\.1|::1)$/);
  } finally {
    await direct.close();
  }
});

eachDatabase('issue 16 case 6: the request log names the client by the address the trusted proxy appended', async (t, db) => {
  const installed = await makeApp(db, { config: { trustProxy: true } });
  await installed.close();
  const lines: { msg?: string; path?: string; ip?: string }[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const l of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(l));
      done();
    },
  });
  const app = await createApp(installed.config, { cwd: db.dataDir, logger: pino({ level: 'info', base: undefined }, sink) });
  try {
    await makeAgent(app).http.get('/login').set('x-forwarded-for', `198.51.100.23, ${PROXY}`);
    const line = lines.find((l) => l.msg === 'request' && l.path === '/login');
    t.truthy(line, 'the request was logged');
    t.is(line?.ip, PROXY);
  } finally {
    await app.close();
  }
});

/** Creates an API token for the admin and checks it answers 200 at /api/v1/me. */
async function liveToken(t: import('ava').ExecutionContext, app: Awaited<ReturnType<typeof makeApp>>): Promise<string> {
  const { token } = await app.app.ruche.apiTokens.create(1, 'script');
  t.is((await app.agent().http.get('/api/v1/me').set('authorization', `Bearer ${token}`)).status, 200, 'the token works before');
  return token;
}

const tokenStatus = async (app: Awaited<ReturnType<typeof makeApp>>, token: string): Promise<number> =>
  (await app.agent().http.get('/api/v1/me').set('authorization', `Bearer ${token}`)).status;

eachApp('issue 16 case 12: changing the password on the account page revokes the API tokens, and the page says so', makeApp, async (t, app) => {
  const token = await liveToken(t, app);
  const a = app.agent();
  await a.login(ADMIN.username, ADMIN.password);
  const page = await a.http.get('/account');
  t.regex(page.text, /revokes all your API tokens/);
  await app.app.ruche.users.setLocale(1, 'fr');
  t.regex((await a.http.get('/account')).text, /révoque tous vos jetons d’API/);
  await app.app.ruche.users.setLocale(1, 'en');
  t.regex((await a.http.get('/account/tokens')).text, /Every token is revoked when your password is changed or reset/);
  const csrf = await a.csrf('/account');
  const res = await a.http
    .post('/account/password')
    .type('form')
    .send({ _csrf: csrf, currentPassword: ADMIN.password, newPassword: 'a brand new passphrase', newPasswordConfirm: 'a brand new passphrase' });
  t.is(res.status, 303);
  t.is(await tokenStatus(app, token), 401, 'the token taken before the change no longer works');
  t.is((await a.http.get('/account')).status, 200, 'the member stays signed in here');
  const fresh = await app.app.ruche.apiTokens.create(1, 'new script');
  t.is(await tokenStatus(app, fresh.token), 200, 'tokens created afterwards work');
  t.deepEqual(
    (await app.app.ruche.apiTokens.list(1)).map((x) => x.name),
    ['new script'],
  );
});

eachApp('issue 16 case 12: a password reset link revokes the API tokens', makeApp, async (t, app) => {
  const token = await liveToken(t, app);
  const link = await app.app.ruche.links.issue('reset-password', 1);
  const a = app.agent();
  const form = await a.http.get(`/password/reset?token=${link}`);
  t.regex(form.text, /your API tokens will be revoked/);
  const csrf = /name="_csrf" value="([^"]+)"/.exec(form.text)![1];
  const res = await a.http
    .post('/password/reset')
    .type('form')
    .send({ _csrf: csrf, token: link, password: 'a brand new passphrase', passwordConfirm: 'a brand new passphrase' });
  t.is(res.status, 303);
  t.is(await tokenStatus(app, token), 401);
});

eachApp('issue 16 case 12: "sign out everywhere" ends every session and revokes the API tokens (en + fr)', makeApp, async (t, app) => {
  const token = await liveToken(t, app);
  const other = app.agent();
  await other.login(ADMIN.username, ADMIN.password);
  const a = app.agent();
  await a.login(ADMIN.username, ADMIN.password);
  const page = await a.http.get('/account/sessions');
  t.regex(page.text, /revokes all your API tokens/);
  await app.app.ruche.users.setLocale(1, 'fr');
  t.regex((await a.http.get('/account/sessions')).text, /Se déconnecter partout/);
  await app.app.ruche.users.setLocale(1, 'en');
  const csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)![1];
  const res = await a.http.post('/account/sessions/everywhere').type('form').send({ _csrf: csrf });
  t.is(res.status, 303);
  t.is(res.headers.location, '/login');
  t.is(await tokenStatus(app, token), 401);
  t.is((await a.http.get('/account')).status, 302, 'this browser is signed out');
  t.is((await other.http.get('/account')).status, 302, 'and every other one');
  t.is(Number((await app.app.ruche.db('sessions').count<{ n: number }[]>('id as n').first())?.n), 0);
  const login = await a.http.get('/login');
  t.regex(login.text, /You are signed out everywhere and your API tokens are revoked\./);
});

const OWNER_ADDRESS = '192.0.2.10';
const ATTACKER = '198.51.100.66';

eachApp(
  'issue 16 case 14: failed sign-ins by someone else do not lock the owner out: they sign in from their usual address with the right password',
  behindProxy({ maxFailures: 3, accountMaxFailures: 3, addressMaxFailures: 20, windowMinutes: 15 }),
  async (t, { app, agent }) => {
    t.is((await attempt(agent(), ADMIN.username, ADMIN.password, OWNER_ADDRESS)).status, 303, 'the owner has signed in from here before');
    const a = agent();
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++) statuses.push((await attempt(a, ADMIN.username, `guess number ${i}`, ATTACKER)).status);
    t.deepEqual(statuses, [422, 422, 422, 429, 429, 429, 429, 429, 429, 429], 'the attacker is throttled on their own address');
    const stillBlocked = await attempt(a, ADMIN.username, ADMIN.password, ATTACKER);
    t.is(stillBlocked.status, 429, "even the right password from the attacker's address waits for the window");
    t.is((await attempt(agent(), ADMIN.email, ADMIN.password, OWNER_ADDRESS)).status, 303, 'the owner gets in from their usual address');
    t.is((await attempt(agent(), ADMIN.username, 'a typo of mine', OWNER_ADDRESS)).status, 422, 'and a typo there is an ordinary error');
    const rows = await app.ruche.db('login_attempts').where({ ip: ATTACKER }).select('success', 'refused');
    t.is(rows.length, 11, 'every attempt is in the security record');
    t.is(rows.filter((r: { refused: unknown }) => !!r.refused).length, 8, 'the refused ones are marked and never count as guesses');
  },
);

eachApp(
  'issue 16 case 14: past the per-account ceiling, new addresses are slowed ("try again in N seconds", growing), never locked',
  behindProxy({ maxFailures: 10, accountMaxFailures: 3, addressMaxFailures: 20, windowMinutes: 15 }),
  async (t, { app, agent }) => {
    // The throttle's clock stands still unless the test moves it, however slow the machine.
    let clock = Date.now();
    app.ruche.throttle.now = () => clock;
    const wait = (ms: number) => (clock += ms);
    let address = 0;
    const guess = (password = 'a wrong guess', headers: Record<string, string> = {}) =>
      attempt(agent(), ADMIN.username, password, `198.51.100.${++address}`, headers);
    // A distributed guesser, each guess from a new address: the first three are checked.
    for (let i = 0; i < 3; i++) t.is((await guess()).status, 422);
    const first = await guess();
    t.is(first.status, 429, 'the fourth must wait');
    t.is(first.headers['retry-after'], '1', 'one second after the latest failure');
    // Each wait, once over, lets one more guess through; the next wait is twice as long.
    for (const waitMs of [1_000, 2_000, 4_000]) {
      wait(waitMs - 1);
      t.is((await guess()).headers['retry-after'], '1', `${waitMs - 1} ms is not enough`);
      wait(1);
      t.is((await guess()).status, 422, `after ${waitMs} ms a guess is checked again`);
    }
    const slowed = await guess();
    t.is(slowed.status, 429);
    t.is(slowed.headers['retry-after'], '8', 'the wait doubled with each failure: 1, 2, 4, 8 seconds');
    t.regex(slowed.text, /Too many failed attempts on this account\. Try again in 8 seconds\./);
    wait(3_000);
    t.is((await guess()).headers['retry-after'], '5', 'the wait counts down');
    const fr = await guess('a wrong guess', { 'accept-language': 'fr' });
    t.is(fr.status, 429);
    t.regex(fr.text, /Trop de tentatives échouées sur ce compte\. Réessayez dans 5 secondes\./);
    // Hammering while refused does not make the wait any longer.
    for (let i = 0; i < 5; i++) t.is((await guess()).status, 429);
    t.is((await guess()).headers['retry-after'], '5', 'refused attempts are not guesses');
    // The owner, from a new address, with the right password: slowed as well, never locked.
    wait(5_000);
    t.is((await guess(ADMIN.password)).status, 303);
  },
);

eachDatabase('issue 16 case 14: the counts live in the database: two processes on one database share them', async (t, db) => {
  const login = { maxFailures: 2, accountMaxFailures: 5, addressMaxFailures: 4 };
  const one = await behindProxy(login)(db);
  const two = await makeApp(db, { install: false, config: { trustProxy: true, login } });
  try {
    t.is((await attempt(one.agent(), ADMIN.username, 'guess one', ATTACKER)).status, 422);
    t.is((await attempt(two.agent(), ADMIN.username, 'guess two', ATTACKER)).status, 422);
    t.is((await attempt(one.agent(), ADMIN.username, ADMIN.password, ATTACKER)).status, 429, 'per (account, address) pair, across processes');
    t.is((await attempt(two.agent(), 'nobody1', 'guess', ATTACKER)).status, 422);
    t.is((await attempt(one.agent(), 'nobody2', 'guess', ATTACKER)).status, 422);
    const sprayed = await attempt(two.agent(), 'nobody3', 'guess', ATTACKER);
    t.is(sprayed.status, 429, 'per address across accounts, across processes');
    t.regex(sprayed.text, /Wait 15 minutes/);
    t.is((await attempt(two.agent(), ADMIN.username, ADMIN.password, OWNER_ADDRESS)).status, 303, 'another address is not affected');
  } finally {
    await two.close();
    await one.close();
  }
});
