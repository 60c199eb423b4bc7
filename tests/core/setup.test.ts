/** First run (setup link → first admin), then sign-in, sign-out, language switch and safe redirects. */
import type { ExecutionContext } from 'ava';
import { createApp } from '../../core';
import { eachDatabase, type TestDatabase } from '../helpers/databases';
import { ADMIN, makeApp, type TestAgent, type TestApp } from '../helpers/app';

async function pendingApp(t: ExecutionContext, db: TestDatabase): Promise<TestApp & { token: string }> {
  const made = await makeApp(db, { install: { siteName: 'Pending site', locale: 'en' } });
  t.teardown(() => made.close());
  return { ...made, token: await made.app.ruche.setup.issueToken() };
}

const GOOD = {
  siteName: '  Ma ruche ',
  locale: 'fr',
  username: 'ada',
  email: 'Ada@Example.org',
  displayName: 'Ada Lovelace',
  password: 'analytical engine 1843',
  passwordConfirm: 'analytical engine 1843',
};

async function submit(agent: TestAgent, token: string, fields: Record<string, string>) {
  const csrf = await agent.csrf('/'); // first: the POST takes the cookies of when it is created
  return agent.http
    .post('/setup')
    .type('form')
    .send({ _csrf: csrf, token, ...fields });
}

const isLocal = (location: string | undefined): boolean => !!location && new URL(location, 'http://ruche.test').host === 'ruche.test';

eachDatabase('until an admin exists the home page says setup is pending, and /setup needs the link', async (t, db) => {
  const { agent, app, token } = await pendingApp(t, db);
  const a = agent();
  const home = await a.http.get('/');
  t.is(home.status, 200);
  t.true(home.text.includes('Almost ready'));
  t.true(home.text.includes('setup link'));

  for (const url of ['/setup', '/setup?token=wrong', `/setup?token=${token}x`]) {
    const res = await a.http.get(url);
    t.is(res.status, 403, url);
    t.true(res.text.includes('This setup link is not valid any more'));
  }
  const form = await a.http.get(`/setup?token=${encodeURIComponent(token)}`);
  t.is(form.status, 200);
  t.true(form.text.includes('name="siteName"'));
  t.true(form.text.includes('value="Pending site"'), 'the current name is offered');
  t.true(form.text.includes(`name="token" value="${token}"`));
  t.is((await submit(a, 'wrong', GOOD)).status, 403, 'the form needs the link too');

  const newer = await app.ruche.setup.issueToken();
  t.is((await a.http.get(`/setup?token=${token}`)).status, 403, 'a new link replaces the old one');
  t.is((await a.http.get(`/setup?token=${newer}`)).status, 200);
});

eachDatabase('invalid setup input re-renders with messages and the values, never the passwords', async (t, db) => {
  const { agent, app, token } = await pendingApp(t, db);
  const a = agent();
  const secret = 'Sh0rt!';
  const res = await submit(a, token, {
    siteName: ' ',
    locale: 'de',
    username: 'a',
    email: 'not-an-email',
    displayName: '<b>Ada</b>',
    password: secret,
    passwordConfirm: secret,
  });
  t.is(res.status, 422);
  for (const message of [
    'Give your network a name.',
    'Choose one of the offered languages.',
    'Use 3 to 32 letters',
    'This does not look like an email address.',
    'The password needs at least 10 characters.',
  ]) {
    t.true(res.text.includes(message), message);
  }
  t.true(res.text.includes('value="a"'));
  t.true(res.text.includes('value="not-an-email"'));
  t.true(res.text.includes('value="&lt;b&gt;Ada&lt;/b&gt;"'), 'kept, and escaped');
  t.false(res.text.includes('<b>Ada</b>'));
  t.false(res.text.includes(secret), 'the password is not echoed');

  const mismatch = await submit(a, token, { ...GOOD, passwordConfirm: 'analytical engine 1844' });
  t.is(mismatch.status, 422);
  t.true(mismatch.text.includes('The two passwords are not the same.'));
  t.false(mismatch.text.includes('analytical engine'), 'neither password is echoed');
  t.true(mismatch.text.includes('value="Ada@Example.org"'));
  t.is(await app.ruche.users.countRootAdmins(), 0);
  t.true(await app.ruche.setup.checkToken(token), 'the link still works after a failed attempt');
});

eachDatabase('a successful setup signs the admin in, saves the site, and retires the link', async (t, db) => {
  const { agent, app, config, token } = await pendingApp(t, db);
  const a = agent();
  const res = await submit(a, token, GOOD);
  t.is(res.status, 303);
  t.is(res.headers.location, '/');
  const home = await a.http.get('/');
  t.regex(home.text, /<html lang="fr"/);
  t.true(home.text.includes('Bienvenue sur Ma ruche'), 'flash message in the chosen language');
  t.is((await a.http.get('/login')).status, 303, 'signed in');

  const admin = await app.ruche.db('users').where({ username_lower: 'ada' }).first();
  t.truthy(admin);
  t.true(!!admin.is_root_admin);
  t.is(admin.email, 'ada@example.org');
  t.is(admin.locale, 'fr');
  const root = await app.ruche.db('networks').whereNull('parent_id').first();
  t.is(root.name, 'Ma ruche');
  t.is(root.locale, 'fr');
  t.is(await app.ruche.db('core_settings').where({ key: 'setup_token' }).first(), undefined);

  t.is((await a.http.get(`/setup?token=${token}`)).status, 404, 'no setup once an admin exists');
  t.is((await submit(a, token, { ...GOOD, username: 'eve', email: 'eve@example.org' })).status, 404);
  t.is(await app.ruche.users.countRootAdmins(), 1);
  const restarted = await createApp(config, { cwd: db.dataDir });
  t.teardown(() => restarted.close());
  const fresh = await restarted.ruche.setup.issueToken();
  t.is((await agent().http.get(`/setup?token=${fresh}`)).status, 404, 'not even with a new link, after a restart');
});

eachDatabase('sign in, sign out and the language switch', async (t, db) => {
  const made = await makeApp(db);
  t.teardown(() => made.close());
  const a = made.agent();
  const page = await a.http.get('/login');
  t.is(page.status, 200);
  const token = await a.csrf('/login');
  const wrong = await a.http.post('/login').type('form').send({ _csrf: token, login: ADMIN.username, password: 'not the password' });
  t.is(wrong.status, 422);
  t.true(wrong.text.includes('The username or password is not right.'));
  t.true(wrong.text.includes(`value="${ADMIN.username}"`));
  t.false(wrong.text.includes('not the password'));
  const missing = await a.http.post('/login').type('form').send({ _csrf: token, login: '', password: '' });
  t.is(missing.status, 422);
  t.is((await a.http.get('/login')).status, 200, 'still a guest');

  const ok = await a.http.post('/login').type('form').send({ _csrf: token, login: ADMIN.email.toUpperCase(), password: ADMIN.password });
  t.is(ok.status, 303, 'by email, case-insensitively');
  t.is((await a.http.get('/login')).status, 303);
  const outToken = await a.csrf('/');
  const out = await a.http.post('/logout').type('form').send({ _csrf: outToken });
  t.is(out.status, 303);
  t.is(out.headers.location, '/');
  t.true((await a.http.get('/')).text.includes('You are signed out.'));
  t.is((await a.http.get('/login')).status, 200, 'signed out');

  const guest = made.agent();
  const guestToken = await guest.csrf('/login');
  const switched = await guest.http.post('/locale').type('form').send({ _csrf: guestToken, locale: 'fr', next: '/login' });
  t.is(switched.status, 303);
  t.is(switched.headers.location, '/login');
  const french = await guest.http.get('/login').set('Accept-Language', 'en');
  t.regex(french.text, /<html lang="fr"/, 'the choice beats Accept-Language');
  t.true(french.text.includes('Connexion'));
  t.is((await guest.http.post('/locale').type('form').send({ _csrf: guestToken, locale: 'de' })).status, 400);

  await a.login(ADMIN.username, ADMIN.password);
  const memberToken = await a.csrf('/');
  await a.http.post('/locale').type('form').send({ _csrf: memberToken, locale: 'fr' });
  t.is((await made.app.ruche.db('users').where({ username: ADMIN.username }).first()).locale, 'fr', "a member's choice is saved");
});

eachDatabase('the next redirect refuses other sites', async (t, db) => {
  const made = await makeApp(db);
  t.teardown(() => made.close());
  const a = made.agent();
  const token = await a.csrf('/login');
  const evil = [
    'https://evil.example/x',
    '//evil.example/x',
    '/\\evil.example',
    'javascript:alert(1)',
    'http:/evil.example',
    '/\t/evil.example',
    `/${'a'.repeat(600)}`,
  ];
  for (const next of evil) {
    const res = await a.http.post('/login').type('form').send({ _csrf: token, login: ADMIN.username, password: ADMIN.password, next });
    t.is(res.status, 303, next);
    t.true(isLocal(res.headers.location), `${JSON.stringify(next)} → ${res.headers.location}`);
  }
  const kept = await a.http
    .post('/login')
    .type('form')
    .send({ _csrf: token, login: ADMIN.username, password: ADMIN.password, next: '/fixture/hello?x=1' });
  t.is(kept.headers.location, '/fixture/hello?x=1', 'a local path is kept');
  const signedIn = await a.http.get('/login?next=https%3A%2F%2Fevil.example');
  t.is(signedIn.headers.location, '/');
  const locale = await a.http.post('/locale').type('form').send({ _csrf: token, locale: 'en', next: '//evil.example' });
  t.is(locale.headers.location, '/');
});
