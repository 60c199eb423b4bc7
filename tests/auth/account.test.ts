/** A member's account: password and email changes, sessions (both databases). */
import { eachApp } from '../helpers/each-app';
import { ADMIN, makeApp } from '../helpers/app';
import { lastMailTo, pathOf } from '../helpers/mail';

eachApp('changing the password needs the current one and ends the other sessions', makeApp, async (t, app) => {
  const other = app.agent();
  await other.login(ADMIN.username, ADMIN.password);
  const a = app.agent();
  await a.login(ADMIN.username, ADMIN.password);
  const csrf = await a.csrf('/account');
  const wrong = await a.http
    .post('/account/password')
    .type('form')
    .send({ _csrf: csrf, currentPassword: 'nope nope nope', newPassword: 'fresh new phrase 1', newPasswordConfirm: 'fresh new phrase 1' });
  t.is(wrong.status, 422);
  t.regex(wrong.text, /This is not your current password/);
  const ok = await a.http
    .post('/account/password')
    .type('form')
    .send({ _csrf: csrf, currentPassword: ADMIN.password, newPassword: 'fresh new phrase 1', newPasswordConfirm: 'fresh new phrase 1' });
  t.is(ok.status, 303);
  t.is((await a.http.get('/account')).status, 200, 'this device stays signed in (with a new session id)');
  t.is((await other.http.get('/account')).status, 302, 'the other device is signed out');
  const sessions = await app.app.ruche.db('sessions').select('id');
  t.is(sessions.length, 1);
});

eachApp('changing the email address is confirmed from the new address', makeApp, async (t, app, db) => {
  const rt = app.app.ruche;
  await rt.users.create({ username: 'taken', email: 'taken@example.com', password: 'some long phrase 7' });
  const a = app.agent();
  await a.login(ADMIN.username, ADMIN.password);
  const csrf = await a.csrf('/account');
  const dup = await a.http.post('/account/email').type('form').send({ _csrf: csrf, email: 'Taken@example.com', emailPassword: ADMIN.password });
  t.is(dup.status, 422);
  t.regex(dup.text, /already uses this email/);
  t.regex(dup.text, /value="Taken@example.com"/);
  const ok = await a.http.post('/account/email').type('form').send({ _csrf: csrf, email: 'New@Example.com', emailPassword: ADMIN.password });
  t.is(ok.status, 303);
  t.is((await rt.db('users').where({ id: 1 }).first('email')).email, ADMIN.email, 'unchanged until confirmed');
  const mail = await lastMailTo(db.dataDir, 'new@example.com');
  const stranger = app.agent();
  await rt.users.create({ username: 'stranger', email: 's@example.com', password: 'some long phrase 8' });
  await stranger.login('stranger', 'some long phrase 8');
  t.is((await stranger.http.get(pathOf(mail.link))).status, 404, "another member cannot use someone's link");
  t.is((await a.http.get(pathOf(mail.link))).status, 303);
  t.is((await rt.db('users').where({ id: 1 }).first('email')).email, 'new@example.com');
  t.is((await a.http.get(pathOf(mail.link))).status, 410, 'the link works once');
});

eachApp('a member lists their sessions and ends one', makeApp, async (t, app) => {
  const phone = app.agent();
  phone.http.set('User-Agent', 'Phone browser');
  await phone.login(ADMIN.username, ADMIN.password);
  const a = app.agent();
  await a.login(ADMIN.username, ADMIN.password);
  const page = await a.http.get('/account/sessions');
  t.regex(page.text, /Phone browser/);
  t.is(page.status, 200);
  t.regex(page.text, /this device/);
  const ids = [...page.text.matchAll(/\/account\/sessions\/([a-f0-9]{64})\/end/g)].map((m) => m[1]);
  t.is(ids.length, 2);
  const csrf = await a.csrf('/account/sessions');
  const phoneSession = await app.app.ruche.db('sessions').where({ user_agent: 'Phone browser' }).first('id');
  const otherId = phoneSession.id as string;
  t.true(ids.includes(otherId));
  t.is((await a.http.post(`/account/sessions/${otherId}/end`).type('form').send({ _csrf: csrf })).status, 303);
  const stillHere = (await a.http.get('/account')).status === 200;
  const phoneOut = (await phone.http.get('/account')).status === 302;
  t.true(stillHere && phoneOut);
  t.is(
    (
      await a.http
        .post(`/account/sessions/${'0'.repeat(64)}/end`)
        .type('form')
        .send({ _csrf: csrf })
    ).status,
    404,
  );
});
