/** Sign-in throttling per (account, address) pair and per address (both databases); issue 16's cases in tests/security/auth-cases.test.ts. */
import { eachApp } from '../helpers/each-app';
import { ADMIN, makeApp } from '../helpers/app';

eachApp(
  'failed sign-ins are throttled per account and address with a 429 and recorded',
  (db) => makeApp(db, { config: { login: { maxFailures: 3, windowMinutes: 15 } } }),
  async (t, { app, agent }) => {
    const a = agent();
    const token = await a.csrf('/login');
    const attempt = (login: string, password: string) => a.http.post('/login').type('form').send({ _csrf: token, login, password });
    for (let i = 0; i < 3; i++) t.is((await attempt(ADMIN.username, 'wrong password here')).status, 422);
    const blocked = await attempt(ADMIN.email, ADMIN.password);
    t.is(blocked.status, 429, 'the right password is refused too while blocked, whether by username or email');
    t.regex(blocked.text, /Too many failed attempts\. Wait 15 minutes/);
    t.regex(blocked.text, /value="admin@example\.com"/, 'what the member typed is kept');
    const rows = await app.ruche.db('login_attempts').where({ account: `user:1` }).orderBy('id');
    t.is(rows.length, 4, 'every attempt is recorded, the refused one included');
    t.false(!!rows[3].success);
    t.true(!!rows[3].refused, 'and marked as refused by the throttle');
    // Another account from another address is not affected.
    await app.ruche.db('login_attempts').update({ ip: '10.9.9.9' });
    const created = await app.ruche.users.create({ username: 'bob', email: 'bob@example.com', password: 'another good password' });
    t.true('id' in created);
    t.is((await attempt('bob', 'another good password')).status, 303);
  },
);

eachApp(
  'failed sign-ins are throttled per IP address across accounts',
  (db) => makeApp(db, { config: { login: { addressMaxFailures: 3, windowMinutes: 15 } } }),
  async (t, { agent }) => {
    const a = agent();
    const token = await a.csrf('/login');
    for (const name of ['nobody1', 'nobody2', 'nobody3']) {
      t.is((await a.http.post('/login').type('form').send({ _csrf: token, login: name, password: 'whatever it is' })).status, 422);
    }
    const res = await a.http.post('/login').type('form').send({ _csrf: token, login: ADMIN.username, password: ADMIN.password });
    t.is(res.status, 429);
    const fr = await a.http
      .post('/login')
      .set('accept-language', 'fr')
      .type('form')
      .send({ _csrf: token, login: ADMIN.username, password: ADMIN.password });
    t.is(fr.status, 429);
    t.regex(fr.text, /Trop de tentatives/);
  },
);
