/** Sessions: cookie flags, rotation at sign-in, idle and absolute expiry (both databases). */
import { eachApp } from '../helpers/each-app';
import { ADMIN, makeApp } from '../helpers/app';
import { countRows } from '../helpers/rows';

eachApp(
  'session cookies are httpOnly and SameSite=Lax, rotated at sign-in, and expire',
  (db) => makeApp(db, { config: { session: { cookieName: 'ruche_sid', idleMinutes: 30, absoluteDays: 2 } } }),
  async (t, app) => {
    const rt = app.app.ruche;
    const a = app.agent();
    const token = await a.csrf('/login');
    const first = await a.http.post('/login').type('form').send({ _csrf: token, login: ADMIN.username, password: ADMIN.password });
    const cookie = (first.headers['set-cookie'] as unknown as string[]).find((c) => c.startsWith('ruche_sid='))!;
    t.regex(cookie, /httponly/i);
    t.regex(cookie, /samesite=lax/i);
    t.notRegex(cookie, /secure/i, 'not Secure on plain http');
    const second = await a.http.post('/login').type('form').send({ _csrf: token, login: ADMIN.username, password: ADMIN.password });
    const cookie2 = (second.headers['set-cookie'] as unknown as string[]).find((c) => c.startsWith('ruche_sid='))!;
    t.not(cookie2.split(';')[0], cookie.split(';')[0], 'a new session id at each sign-in');
    t.is(await countRows(rt.db, 'sessions'), 1, 'the previous session of this browser ended');

    t.is((await a.http.get('/account')).status, 200);
    await rt.db('sessions').update({ last_seen_at: Date.now() - 31 * 60_000 });
    t.is((await a.http.get('/account')).status, 302, 'idle expiry');
    t.is(await countRows(rt.db, 'sessions'), 0, 'expired sessions are deleted');

    await a.login(ADMIN.username, ADMIN.password);
    await rt.db('sessions').update({ expires_at: Date.now() - 1 });
    t.is((await a.http.get('/account')).status, 302, 'absolute expiry');
  },
);

eachApp(
  'cookies are Secure when the site is https behind a trusted proxy',
  (db) => makeApp(db, { config: { siteUrl: 'https://community.example.com', trustProxy: true } }),
  async (t, app) => {
    const res = await app.agent().http.get('/login').set('x-forwarded-proto', 'https');
    const csrf = (res.headers['set-cookie'] as unknown as string[]).find((c) => c.startsWith('ruche_csrf='))!;
    t.regex(csrf, /secure/i);
    t.regex(res.headers['strict-transport-security'] ?? '', /max-age/);
  },
);

eachApp('a suspended member is signed out at once and cannot sign in', makeApp, async (t, app) => {
  const rt = app.app.ruche;
  const created = await rt.users.create({ username: 'sam', email: 'sam@example.com', password: 'amber window 77' });
  const id = 'id' in created ? created.id : 0;
  const a = app.agent();
  await a.login('sam', 'amber window 77');
  await rt.users.setStatus(id, 'suspended');
  t.is((await a.http.get('/account')).status, 302);
  const res = await a.http
    .post('/login')
    .type('form')
    .send({ _csrf: await a.csrf('/login'), login: 'sam', password: 'amber window 77' });
  t.is(res.status, 403);
  t.regex(res.text, /This account is suspended/);
});
