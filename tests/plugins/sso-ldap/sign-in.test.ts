// Signing in with the directory password, against a real OpenLDAP (slapd on 127.0.0.1): the
// account created just in time or linked by address, its fields kept from the directory and
// locked, groups mapped to roles, and each refusal (wrong password, empty password, unknown
// person, disabled account, directory down) with the details in the log only.
import { ADMIN } from '../../helpers/app';
import { createMember, formAgent, MEMBER_PASSWORD } from '../../helpers/members';
import { countUsers, JANE, linksExistingMember, signsUpNewPerson } from '../../helpers/sso';
import { eachLdapApp, ldapSignIn, PROVIDER, type LdapApp } from './support';

const me = async (agent: ReturnType<LdapApp['agent']>) => (await agent.http.get('/api/v1/me')).body as { id: number; username: string };

eachLdapApp('the sign-in page offers the directory; a new person signs in with their password and gets one account', async (t, app) => {
  const agent = app.agent();
  const login = await agent.http.get('/login?next=%2Fmembers');
  t.regex(
    login.text,
    /<a class="btn btn-secondary btn-block" href="\/sso\/ldap\?next&#x3D;%2Fmembers" data-provider="sso-ldap">Sign in with Corp directory<\/a>/,
  );
  const form = await agent.http.get('/sso/ldap?next=%2Fmembers');
  t.is(form.status, 200);
  t.regex(form.text, /Use the username and password of your Corp directory account/);

  const { user, accounts: before } = await signsUpNewPerson(t, app.rt, agent, () => ldapSignIn(agent, 'jane', 'jane-pass'), {
    location: '/',
    username: 'jane',
    row: JANE,
  });
  t.truthy(user.email_verified_at);
  const link = await app.rt.db('user_identities').where({ user_id: user.id }).first('provider', 'subject', 'synced');
  t.is(link.provider, PROVIDER);
  t.regex(link.subject, /^[0-9a-f-]{36}$/, "the directory's entryUUID");
  t.deepEqual(JSON.parse(link.synced), { displayName: 'Jane Doe', email: 'jane.doe@corp.example', department: 'R&D', headline: 'Engineer' });
  // The profile plugin keeps the department and the job title.
  t.like(await app.rt.db('profiles').where({ user_id: user.id }).first('department', 'headline'), { department: 'R&D', headline: 'Engineer' });

  // Again, from another browser: the same account.
  t.is((await ldapSignIn(app.agent(), 'jane', 'jane-pass')).status, 303);
  t.is(await countUsers(app.rt), before + 1);
});

eachLdapApp('a wrong, empty or unknown password shows the form again with the login kept; nothing is created', async (t, app) => {
  const before = await countUsers(app.rt);
  for (const [login, password] of [
    ['jane', 'wrong'],
    ['jane', ''],
    ['nobody', 'whatever'],
    ['jane)(uid=*', 'jane-pass'],
    ['*', 'jane-pass'],
  ]) {
    const agent = app.agent();
    const res = await ldapSignIn(agent, login, password);
    t.is(res.status, 422, `${login}/${password}`);
    t.regex(res.text, password ? /The username or password is not right\./ : /Enter your username or email address and your password\./);
    t.true(res.text.includes(`value="${login.replace(/=/g, '&#x3D;')}"`), 'the login typed is kept');
    t.is((await agent.http.get('/api/v1/me')).status, 401);
  }
  t.is(await countUsers(app.rt), before);
});

eachLdapApp('an existing member is linked by address; the fields from the directory are locked for editing', async (t, app) => {
  const { bobId, agent } = await linksExistingMember(t, app, (agent) => ldapSignIn(agent, 'bob', 'bob-pass'));

  const account = await agent.http.get('/account');
  t.regex(account.text, /<p class="muted" data-locked="email">This comes from your organisation&#x27;s directory and is changed there\.<\/p>/);
  t.notRegex(account.text, /action="\/account\/email"/);
  const form = await formAgent(agent, '/account');
  const change = await form.post('/account/email', { email: 'other@example.com', emailPassword: 'x' });
  t.is(change.status, 403);

  const edit = await agent.http.get('/profile/edit');
  t.regex(edit.text, /id="field-department" name="department" type="text" value="Sales" readonly aria-readonly="true"/);
  t.regex(edit.text, /id="field-location" name="location" type="text" value=""(?! readonly)/);
  const profile = await formAgent(agent, '/profile/edit');
  const saved = await profile.post('/profile/edit', { department: 'Mine now', headline: 'Boss', location: 'Lyon' });
  t.is(saved.status, 303, saved.text.slice(0, 300));
  t.like(await app.rt.db('profiles').where({ user_id: bobId }).first('department', 'headline', 'location'), {
    department: 'Sales',
    headline: 'Boss',
    location: 'Lyon',
  });
});

eachLdapApp('a disabled account is refused after its password, in French too; the directory down is a 502 page', async (t, app) => {
  const agent = app.agent();
  const res = await ldapSignIn(agent, 'dave', 'dave-pass');
  t.is(res.status, 403);
  t.regex(res.text, /Your account is disabled in your organisation&#x27;s directory/);
  t.is(await app.rt.db('users').where({ email: 'dave@corp.example' }).first('id'), undefined);

  const fr = app.agent();
  await fr.http.get('/').set('Accept-Language', 'fr');
  const form = await formAgent(fr, '/sso/ldap');
  const refused = await form.agent.http
    .post('/sso/ldap')
    .set('Accept-Language', 'fr')
    .type('form')
    .send({ _csrf: form.token, login: 'dave', password: 'dave-pass' });
  t.is(refused.status, 403);
  t.regex(refused.text, /Votre compte est désactivé dans l’annuaire de votre organisation/);

  await app.directory.stop();
  const down = await ldapSignIn(app.agent(), 'jane', 'jane-pass');
  t.is(down.status, 502);
  t.regex(down.text, /could not be reached/);
  const main = /<main[\s\S]*<\/main>/.exec(down.text)![0];
  t.notRegex(main, /ECONNREFUSED|127\.0\.0\.1|ldap:|stack/i, 'no detail of the failure on the page');
});

eachLdapApp('without a service account: bind as the DN the template names, the login escaped', async (t, app) => {
  await app.rt.pluginState.configure('sso-ldap', {
    bindDn: '',
    bindPassword: '',
    userDnTemplate: `uid={login},${app.directory.dnOf('x').replace(/^uid=x,/, '')}`,
  });
  t.is((await ldapSignIn(app.agent(), 'jane', 'jane-pass')).status, 303);
  t.is((await ldapSignIn(app.agent(), 'jane,ou=people', 'jane-pass')).status, 422);
  t.is((await ldapSignIn(app.agent(), 'jane', 'nope')).status, 422);
});

eachLdapApp('directory groups give roles: the partners group makes Pat a moderator of the partner network', async (t, app) => {
  t.is((await ldapSignIn(app.agent(), 'pat', 'pat-pass')).status, 303);
  const pat = await app.rt.db('users').where({ email: 'pat@partner.example' }).first('id');
  const partner = app.rt.networks.slug('partner')!;
  t.like(await app.rt.db('memberships').where({ user_id: pat.id, network_id: partner.id }).first('role'), { role: 'moderator' });
  const jane = app.agent();
  t.is((await ldapSignIn(jane, 'jane', 'jane-pass')).status, 303);
  t.is(
    await app.rt
      .db('memberships')
      .where({ user_id: (await me(jane)).id, network_id: partner.id })
      .first('role'),
    undefined,
  );
});

eachLdapApp('SSO only: the password form answers root administrators alone; sign-up is closed', async (t, app) => {
  await createMember(app.rt, 'carol');
  await app.rt.networks.update(app.rt.networks.root().id, { ssoOnly: true });
  const page = await app.agent().http.get('/login');
  t.regex(page.text, /<details class="auth__break-glass">\s*<summary>Administrator sign-in<\/summary>/);
  t.notRegex(page.text, /Create an account/);

  const carol = app.agent();
  const token = await carol.csrf('/login');
  const refused = await carol.http.post('/login').type('form').send({ _csrf: token, login: 'carol', password: MEMBER_PASSWORD });
  t.is(refused.status, 403);
  t.regex(refused.text, /signs in through your organisation only/);
  t.is((await carol.http.get('/api/v1/me')).status, 401);

  const admin = app.agent();
  await admin.login(ADMIN.username, ADMIN.password);
  t.is((await me(admin)).username, ADMIN.username, 'the break-glass account');

  const register = await app.agent().http.get('/register');
  t.is(register.status, 403);
  t.regex(register.text, /Accounts come from your organisation/);
  // The directory still signs people in.
  t.is((await ldapSignIn(app.agent(), 'jane', 'jane-pass')).status, 303);
});
