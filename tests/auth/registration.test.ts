/** Joining under each registration policy, email verification and password reset (both databases). */
import { eachApp } from '../helpers/each-app';
import { ADMIN, makeApp, unmasked, type TestApp } from '../helpers/app';
import { lastMailTo, pathOf, readMails } from '../helpers/mail';
import { countRows } from '../helpers/rows';

const PASSWORD = 'sunny meadow 2026';

async function register(app: TestApp, fields: Record<string, string>, path = '/register') {
  const a = app.agent();
  const csrf = await a.csrf(path);
  const res = await a.http
    .post('/register')
    .type('form')
    .send({ _csrf: csrf, password: PASSWORD, passwordConfirm: PASSWORD, ...fields });
  return { a, res };
}

eachApp('open registration: verify by the emailed link, which works once', makeApp, async (t, app, db) => {
  const { a, res } = await register(app, { username: 'Alice', email: ' Alice@Example.COM ', displayName: 'Alice A.' });
  t.is(res.status, 200);
  t.regex(res.text, /Check your email/);
  const user = await app.app.ruche.db('users').where({ username_lower: 'alice' }).first();
  t.is(user.email, 'alice@example.com', 'emails are normalised');
  t.is(user.status, 'pending');
  const mail = await lastMailTo(db.dataDir, 'alice@example.com');
  t.regex(mail.subject, /Confirm your email address for Test network/);
  t.true(mail.html.includes(new URL(mail.link).searchParams.get('token')!), 'the HTML part carries the same link');
  const early = await a.login('alice', PASSWORD).then(
    () => 'ok',
    (e: Error) => e.message,
  );
  t.regex(early, /status 403/, 'an unverified member cannot sign in');
  t.is((await readMails(db.dataDir)).filter((m) => m.to.includes('alice')).length, 2, 'signing in unverified sends a fresh link');
  // Tampered link: its first character changed (to one it is not: a token may start with X).
  const tampered = await a.http.get(pathOf(mail.link).replace(/token=(.)/, (_, first: string) => `token=${first === 'X' ? 'Y' : 'X'}`));
  t.is(tampered.status, 400);
  const ok = await a.http.get(pathOf(mail.link));
  t.is(ok.status, 303, 'the link signs the member in');
  t.is((await a.http.get('/')).status, 200);
  t.regex((await a.http.get('/api/v1/me').set('accept', 'application/json')).text, /"username":"Alice"/);
  const again = await app.agent().http.get(pathOf(mail.link));
  t.is(again.status, 410, 'a used link is refused');
  t.regex(again.text, /already been used/);
  // A taken username is refused case-insensitively, keeping the input; the address is not
  // said to have an account (issue 27), whatever else is wrong.
  const dup = await register(app, { username: 'ALICE', email: 'ALICE@example.com' });
  t.is(dup.res.status, 422);
  t.regex(dup.res.text, /already taken/);
  t.notRegex(dup.res.text, /already uses this email/);
  t.regex(dup.res.text, /value="ALICE@example.com"/);
});

eachApp('registering with the address of an account tells nobody but its owner, by mail (English and French)', makeApp, async (t, app, db) => {
  const rt = app.app.ruche;
  await register(app, { username: 'carol', email: 'carol@example.com' });
  const before = (await readMails(db.dataDir)).length;
  const fresh = await register(app, { username: 'newcomer', email: 'someone@example.com' });
  const known = await register(app, { username: 'mallory', email: 'CAROL@example.com', displayName: 'Mallory' });
  t.is(known.res.status, fresh.res.status, 'the same answer as for a new address');
  t.regex(known.res.text, /Check your email/);
  t.notRegex(known.res.text, /already/);
  t.is(await countRows(rt.db, 'users', { username_lower: 'mallory' }), 0, 'no account is made');
  const mail = await lastMailTo(db.dataDir, 'carol@example.com');
  t.is(mail.subject, 'You already have an account on Test network');
  t.regex(mail.text, /tried to create an account/);
  t.regex(mail.link, /\/login$/);
  t.regex(mail.text, /\/password\/forgot/);
  t.is((await readMails(db.dataDir)).length, before + 2, 'one mail to the newcomer, one to the owner');
  // The owner reads it in their language.
  await rt.db('users').where({ username_lower: 'carol' }).update({ locale: 'fr' });
  const fr = app.agent();
  const csrf = await fr.csrf('/register?lang=fr');
  await fr.http
    .post('/register')
    .type('form')
    .send({ _csrf: csrf, username: 'mallory2', email: 'carol@example.com', password: PASSWORD, passwordConfirm: PASSWORD });
  t.is((await lastMailTo(db.dataDir, 'carol@example.com')).subject, 'Vous avez déjà un compte sur Test network');
});

eachApp('an expired verification link is refused with a clear page', makeApp, async (t, app, db) => {
  await register(app, { username: 'bob', email: 'bob@example.com' });
  await app.app.ruche.db('auth_tokens').update({ expires_at: Date.now() - 1 });
  const mail = await lastMailTo(db.dataDir, 'bob@example.com');
  const res = await app.agent().http.get(pathOf(mail.link));
  t.is(res.status, 410);
  t.regex(res.text, /has expired/);
});

eachApp('domain registration accepts only the network domains', makeApp, async (t, app, db) => {
  const rt = app.app.ruche;
  await rt.networks.update(rt.networks.root().id, { joinPolicy: 'domain', joinDomains: ['company.com', 'company.fr'] });
  const page = await app.agent().http.get('/register');
  t.regex(page.text, /@company\.com, @company\.fr/);
  const refused = await register(app, { username: 'eve', email: 'eve@gmail.com' });
  t.is(refused.res.status, 422);
  t.regex(refused.res.text, /Only addresses at @company\.com, @company\.fr can join/);
  t.falsy(await rt.db('users').where({ username_lower: 'eve' }).first());
  const ok = await register(app, { username: 'carol', email: 'carol@Company.FR' });
  t.is(ok.res.status, 200);
  const mail = await lastMailTo(db.dataDir, 'carol@company.fr');
  t.is((await ok.a.http.get(pathOf(mail.link))).status, 303);
  t.is((await rt.db('users').where({ username_lower: 'carol' }).first()).status, 'active');
});

eachApp('invitation registration: single-use, for one address, expiring', makeApp, async (t, app, db) => {
  const rt = app.app.ruche;
  await rt.networks.update(rt.networks.root().id, { joinPolicy: 'invitation' });
  t.regex((await app.agent().http.get('/register')).text, /By invitation only/);
  const refused = await register(app, { username: 'dan', email: 'dan@example.com' });
  t.is(refused.res.status, 422, 'no invitation, no account');
  t.true(await rt.registration.invite(rt.networks.root(), 'Dan@Example.com', 'Admin', 'en'));
  const mail = await lastMailTo(db.dataDir, 'dan@example.com');
  t.regex(mail.subject, /invited to join Test network/);
  const invite = new URL(mail.link).searchParams.get('invite')!;
  const form = await app.agent().http.get(pathOf(mail.link));
  t.regex(form.text, /value="dan@example.com"/);
  const wrongEmail = await register(app, { username: 'dan', email: 'other@example.com', invite });
  t.is(wrongEmail.res.status, 422);
  t.regex(wrongEmail.res.text, /Use the address the invitation was sent to/);
  const ok = await register(app, { username: 'dan', email: 'dan@example.com', invite });
  t.is(ok.res.status, 303, 'invited members are verified by the invitation and signed in');
  t.is((await rt.db('users').where({ username_lower: 'dan' }).first()).status, 'active');
  const reuse = await app.agent().http.get(pathOf(mail.link));
  t.is(reuse.status, 410);
  t.false(await rt.registration.invite(rt.networks.root(), 'dan@example.com', 'Admin', 'en'), 'members are not invited twice');
  await rt.registration.invite(rt.networks.root(), 'old@example.com', 'Admin', 'en');
  await rt
    .db('auth_tokens')
    .where({ kind: 'invitation', used_at: null })
    .update({ expires_at: Date.now() - 1 });
  t.is((await app.agent().http.get(pathOf((await lastMailTo(db.dataDir, 'old@example.com')).link))).status, 410);
});

eachApp('approval registration: an admin approves each request', makeApp, async (t, app, db) => {
  const rt = app.app.ruche;
  await rt.networks.update(rt.networks.root().id, { joinPolicy: 'approval' });
  const { a } = await register(app, { username: 'fay', email: 'fay@example.com' });
  const verified = await a.http.get(pathOf((await lastMailTo(db.dataDir, 'fay@example.com')).link));
  t.is(verified.status, 200);
  t.regex(verified.text, /An administrator will now review your request/);
  // The network's admins are told a request awaits them (issue 27): in the bell, and by email as
  // they chose (the notifications plugin; immediately by default), with a link to the requests.
  const admin = app.agent();
  await admin.login(ADMIN.username, ADMIN.password);
  const [adminRow] = await rt.db('users').where({ username: ADMIN.username }).pluck('id');
  const bell = await rt.db('notifications').where({ user_id: adminRow }).select('kind', 'read_at');
  t.deepEqual(bell, [{ kind: 'notifications.joinRequest', read_at: null }]);
  t.regex((await admin.http.get('/notifications')).text, /fay asked to join the network/i);
  t.is(await rt.jobs.runDue({ now: Date.now() }), 1);
  const told = await lastMailTo(db.dataDir, ADMIN.email);
  t.regex(told.text, /fay asked to join the network/i);
  t.is(new URL(told.link).pathname, '/members/requests');
  t.regex((await admin.http.get(pathOf(told.link))).text, /fay@example\.com/);
  const login = await a.http
    .post('/login')
    .type('form')
    .send({ _csrf: await a.csrf('/login'), login: 'fay', password: PASSWORD });
  t.is(login.status, 403);
  t.regex(login.text, /waiting for an administrator/);
  const pending = await rt.registration.pendingRequests(rt.networks.root().id);
  t.deepEqual(
    pending.map((p) => p.username),
    ['fay'],
  );
  t.true(await rt.registration.decide(Number(pending[0].id), true, rt.networks.root(), 'en'));
  t.regex((await lastMailTo(db.dataDir, 'fay@example.com')).subject, /Welcome to Test network/);
  await a.login('fay', PASSWORD);
  t.is((await a.http.get('/account')).status, 200);
});

eachApp('approval registration without the notifications plugin: the admins are mailed the request directly', makeApp, async (t, app, db) => {
  const rt = app.app.ruche;
  await rt.networks.update(rt.networks.root().id, { joinPolicy: 'approval' });
  await rt.pluginState.disable('notifications');
  const { a } = await register(app, { username: 'gil', email: 'gil@example.com' });
  t.is((await a.http.get(pathOf((await lastMailTo(db.dataDir, 'gil@example.com')).link))).status, 200);
  const told = await lastMailTo(db.dataDir, ADMIN.email);
  t.regex(told.subject, /asks to join Test network/);
  t.regex(told.text, /gil@example\.com\) confirmed their address and asks to join Test network/);
  t.is(new URL(told.link).pathname, '/members/requests');
  t.is(await countRows(rt.db, 'notifications'), 0);
});

eachApp('password reset: same answer for unknown addresses, one-use link, other sessions end', makeApp, async (t, app, db) => {
  const rt = app.app.ruche;
  const other = app.agent();
  await other.login(ADMIN.username, ADMIN.password);
  const a = app.agent();
  const csrf = await a.csrf('/password/forgot');
  const unknown = await a.http.post('/password/forgot').type('form').send({ _csrf: csrf, email: 'nobody@example.com' });
  const known = await a.http.post('/password/forgot').type('form').send({ _csrf: csrf, email: ADMIN.email });
  t.is(unknown.status, 200);
  t.is(known.status, 200);
  t.is(
    unmasked(unknown.text)
      .replace(/nobody@example\.com/g, 'X')
      .replace(/[a-f0-9-]{36}/g, ''),
    unmasked(known.text)
      .replace(/admin@example\.com/g, 'X')
      .replace(/[a-f0-9-]{36}/g, ''),
    'no hint of which addresses exist',
  );
  const mail = await lastMailTo(db.dataDir, ADMIN.email);
  const page = await a.http.get(pathOf(mail.link));
  t.is(page.status, 200);
  const token = new URL(mail.link).searchParams.get('token')!;
  const weak = await a.http.post('/password/reset').type('form').send({ _csrf: csrf, token, password: 'short', passwordConfirm: 'short' });
  t.is(weak.status, 422);
  t.regex(weak.text, /at least 10 characters/);
  const done = await a.http
    .post('/password/reset')
    .type('form')
    .send({ _csrf: csrf, token, password: 'brand new secret 9', passwordConfirm: 'brand new secret 9' });
  t.is(done.status, 303);
  t.is((await other.http.get('/account')).status, 302, 'the other session was signed out');
  await a.login(ADMIN.username, 'brand new secret 9');
  const reuse = await app.agent().http.get(pathOf(mail.link));
  t.is(reuse.status, 410);
  t.is(await countRows(rt.db, 'sessions'), 1);
});
