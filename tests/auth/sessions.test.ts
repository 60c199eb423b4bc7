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

const FIREFOX_WINDOWS = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0';
const SAFARI_IPHONE =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';
const EDGE_MAC =
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36 Edg/126.0.0.0';

const HEADLESS_LINUX = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0.0.0 Safari/537.36';
const ODD_LINUX = 'Mozilla/5.0 (X11; Linux x86_64) Gecko/20100101 Kestrel/1.0';

eachApp('the signed-in devices page names browser and system, not the raw User-Agent (issue 27), in English and French', makeApp, async (t, app) => {
  const rt = app.app.ruche;
  for (const ua of [FIREFOX_WINDOWS, SAFARI_IPHONE, EDGE_MAC, HEADLESS_LINUX, ODD_LINUX, 'curl/8.5.0']) {
    const a = app.agent();
    const token = await a.csrf('/login');
    await a.http.post('/login').set('user-agent', ua).type('form').send({ _csrf: token, login: ADMIN.username, password: ADMIN.password });
  }
  const me = app.agent();
  await me.login(ADMIN.username, ADMIN.password);
  const page = await me.http.get('/account/sessions');
  t.is(page.status, 200);
  const shown = [...page.text.matchAll(/<span class="table__ua"[^>]*>([^<]+)</g)].map((m) => m[1].trim());
  for (const name of ['Firefox on Windows', 'Safari on iOS', 'Edge on macOS', 'Chrome on Linux', 'A browser on Linux', 'curl/8.5.0'])
    t.true(shown.includes(name), `${name} in ${shown.join(', ')}`);
  t.false(
    shown.some((s) => s.startsWith('Mozilla/')),
    'no raw header as the device name',
  );
  t.regex(page.text, /title="Mozilla\/5\.0 \(Windows NT 10\.0/, 'the full header stays in a tooltip');
  await rt.db('users').where({ username_lower: ADMIN.username.toLowerCase() }).update({ locale: 'fr' });
  t.regex((await me.http.get('/account/sessions')).text, /Firefox sur Windows/);
});
