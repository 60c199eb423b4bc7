/** The usage charter: accepted before use, again when it changes (both databases). */
import request from 'supertest';
import { eachApp } from '../helpers/each-app';
import { ADMIN, makeApp } from '../helpers/app';

eachApp('members accept the charter before using the network, and again when it changes', makeApp, async (t, app) => {
  const rt = app.app.ruche;
  await rt.users.create({ username: 'mia', email: 'mia@example.com', password: 'river stone garden' });
  const admin = app.agent();
  await admin.login(ADMIN.username, ADMIN.password);
  const csrf = await admin.csrf('/charter/edit');
  const saved = await admin.http.post('/charter/edit').type('form').send({ _csrf: csrf, charter: '# Be kind\n\nNo <script>alert(1)</script> spam.' });
  t.is(saved.status, 303);
  t.is(rt.networks.root().charterVersion, 1);

  const m = app.agent();
  await m.login('mia', 'river stone garden');
  const home = await m.http.get('/account');
  t.is(home.status, 302);
  t.is(home.headers.location, '/charter?next=%2Faccount');
  const charter = await m.http.get('/charter?next=%2Faccount');
  t.regex(charter.text, /<h2>Be kind<\/h2>/);
  t.notRegex(charter.text, /<script>alert/, 'the charter is sanitised');
  const mcsrf = await m.csrf('/charter');
  const api = await m.http.post('/account/language').type('form').send({ _csrf: mcsrf, locale: 'fr' });
  t.is(api.status, 403, 'forms are refused until the charter is accepted');
  const accepted = await m.http.post('/charter/accept').type('form').send({ _csrf: mcsrf, version: '1', next: '/account' });
  t.is(accepted.status, 303);
  t.is(accepted.headers.location, '/account');
  t.is((await m.http.get('/account')).status, 200);
  const row = await rt.db('charter_acceptances').where({ version: 1 }).whereNot({ user_id: 1 }).first();
  t.truthy(row?.accepted_at, 'the acceptance is recorded with its version and time');

  await admin.http.get('/charter'); // the admin accepts too, to edit again
  await admin.http.post('/charter/accept').type('form').send({ _csrf: csrf, version: '1', next: '/' });
  await admin.http.post('/charter/edit').type('form').send({ _csrf: csrf, charter: '# Be kind\n\nVersion two.' });
  t.is(rt.networks.root().charterVersion, 2);
  t.is((await m.http.get('/account')).status, 302, 'a new version must be accepted again');
  const stale = await m.http.post('/charter/accept').type('form').send({ _csrf: mcsrf, version: '1', next: '/account' });
  t.is(stale.status, 303);
  t.regex(stale.headers.location, /^\/charter/, 'accepting an old version does not count');
  t.is((await m.http.get('/account')).status, 302);

  // API clients get a JSON 403 instead of a redirect.
  const token = (await rt.apiTokens.create(2, 'bot')).token;
  const res = await request(app.app.callback()).get('/api/v1/me').set('authorization', `Bearer ${token}`);
  t.is(res.status, 403);
  t.is(res.body.error.code, 'charter_not_accepted');
});

eachApp('membership requests and invitations pages follow their capabilities', makeApp, async (t, app) => {
  const rt = app.app.ruche;
  await rt.users.create({ username: 'max', email: 'max@example.com', password: 'river stone garden' });
  await rt.networks.update(rt.networks.root().id, { joinPolicy: 'invitation' }); // members invite where people join by invitation
  const member = app.agent();
  await member.login('max', 'river stone garden');
  t.is((await member.http.get('/members/requests')).status, 403);
  t.is((await member.http.get('/members/invite')).status, 200, 'members may invite');
  const csrf = await member.csrf('/members/invite');
  const bad = await member.http.post('/members/invite').type('form').send({ _csrf: csrf, emails: 'ok@example.com, not-an-email' });
  t.is(bad.status, 422);
  t.regex(bad.text, /not-an-email/);
  const sent = await member.http.post('/members/invite').type('form').send({ _csrf: csrf, emails: 'ok@example.com\nmax@example.com' });
  t.regex(sent.text, /1 invitation sent/);
  t.regex(sent.text, /Already members, not invited: max@example.com/);
  t.is((await app.agent().http.get('/members/invite')).status, 302, 'guests are sent to sign in');
  const admin = app.agent();
  await admin.login(ADMIN.username, ADMIN.password);
  const page = await admin.http.get('/members/requests');
  t.is(page.status, 200);
  t.regex(page.text, /No request is waiting/);
  const acsrf = await admin.csrf('/members/requests');
  t.is((await admin.http.post('/members/requests/999').type('form').send({ _csrf: acsrf, decision: 'approve' })).status, 404);
  t.is((await admin.http.post('/members/requests/2').type('form').send({ _csrf: acsrf, decision: 'maybe' })).status, 400);
});
