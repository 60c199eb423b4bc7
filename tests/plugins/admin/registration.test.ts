/** The admin registration page: join policy, email domains, guests (both databases). */
import { ADMIN } from '../../helpers/app';
import { eachTestApp } from '../../helpers/each-app';

eachTestApp('admins set the join policy and domains; bad input is kept and explained', async (t, app) => {
  const rt = app.app.ruche;
  await rt.users.create({ username: 'nia', email: 'nia@example.com', password: 'lantern orchard 5' });
  const member = app.agent();
  await member.login('nia', 'lantern orchard 5');
  t.is((await member.http.get('/admin/registration')).status, 403);
  const admin = app.agent();
  await admin.login(ADMIN.username, ADMIN.password);
  const page = await admin.http.get('/admin/registration');
  t.is(page.status, 200);
  t.regex(page.text, /id="policy-open" name="policy" value="open" checked/);
  const csrf = await admin.csrf('/admin/registration');
  const bad = await admin.http
    .post('/admin/registration')
    .type('form')
    .send({ _csrf: csrf, policy: 'domain', domains: 'company.com, not a domain!' });
  t.is(bad.status, 422);
  t.regex(bad.text, /These are not domain names: not, a, domain!/);
  t.regex(bad.text, /value="company.com, not a domain!"/);
  const none = await admin.http.post('/admin/registration').type('form').send({ _csrf: csrf, policy: 'domain', domains: '' });
  t.regex(none.text, /Give at least one email domain/);
  const weird = await admin.http.post('/admin/registration').type('form').send({ _csrf: csrf, policy: 'everyone' });
  t.is(weird.status, 422);
  const ok = await admin.http
    .post('/admin/registration')
    .type('form')
    .send({ _csrf: csrf, policy: 'domain', domains: '@Company.com company.fr', allowGuests: 'on' });
  t.is(ok.status, 303);
  const root = rt.networks.root();
  t.is(root.joinPolicy, 'domain');
  t.deepEqual(root.joinDomains, ['company.com', 'company.fr']);
  t.true(root.allowGuests);
  t.regex((await app.agent().http.get('/register')).text, /@company\.com, @company\.fr/, 'the register page follows at once');
  await rt.users.setLocale(1, 'fr');
  const fr = await admin.http.get('/admin/registration');
  t.regex(fr.text, /Domaines e-mail/);
});

eachTestApp('admins turn "sign in through the organisation only" on and off; the change is audited', async (t, app) => {
  const rt = app.app.ruche;
  const admin = app.agent();
  await admin.login(ADMIN.username, ADMIN.password);
  const page = await admin.http.get('/admin/registration');
  t.regex(page.text, /<input type="checkbox" id="field-ssoOnly" name="ssoOnly">/);
  t.regex(page.text, /Sign in through the organisation only/);
  const csrf = await admin.csrf('/admin/registration');
  const on = await admin.http.post('/admin/registration').type('form').send({ _csrf: csrf, policy: 'open', domains: '', ssoOnly: 'on' });
  t.is(on.status, 303);
  t.true(rt.networks.root().ssoOnly);
  t.regex((await admin.http.get('/admin/registration')).text, /id="field-ssoOnly" name="ssoOnly" checked/);
  t.is((await app.agent().http.get('/register')).status, 403, 'sign-up closed');
  const audit = await rt.db('audit_log').where({ action: 'admin.registration.save' }).orderBy('id', 'desc').first('after');
  t.regex(String(audit.after), /"ssoOnly":true/);
  const off = await admin.http.post('/admin/registration').type('form').send({ _csrf: csrf, policy: 'open', domains: '' });
  t.is(off.status, 303);
  t.false(rt.networks.root().ssoOnly);
  t.is((await app.agent().http.get('/register')).status, 200);
});
