// Signing in with an OpenID Connect provider, against a real one (oidc-provider on 127.0.0.1):
// discovery, the code flow with PKCE end to end, accounts created just in time or linked by
// verified address, key rotation, and each refusal (wrong audience, bad signature, expired
// token, replayed state, unverified address, suspended member) as a localised page with the
// details in the log only. The groups claim gives roles and takes them back. Signing out of
// Ruche signs out at the provider (RP-initiated logout).
import { ADMIN } from '../../helpers/app';
import { addSubNetwork, createMember } from '../../helpers/members';
import request from 'supertest';
import { countUsers, identities, JANE, linksExistingMember, signsUpNewPerson, walkGroupRoles } from '../../helpers/sso';
import { IDP_CLIENT, signInThroughIdp, signOutAtIdp, throughIdp } from '../../helpers/oidc-idp';
import { eachOidcApp, IDP_ACCOUNTS } from './support';

eachOidcApp('the sign-in page offers the provider; a new person signs in end to end and gets one account', async (t, app) => {
  const agent = app.agent();
  const login = await agent.http.get('/login?next=%2Fmembers');
  t.is(login.status, 200);
  t.regex(
    login.text,
    /<a class="btn btn-secondary btn-block" href="\/sso\/oidc\/start\?next&#x3D;%2Fmembers" data-provider="sso-oidc">Sign in with Corp<\/a>/,
  );

  const { user, accounts: before } = await signsUpNewPerson(t, app.rt, agent, () => signInThroughIdp(agent, 'jane'), {
    location: '/',
    username: 'jane.doe',
    row: JANE,
  });
  t.truthy(user.email_verified_at);
  t.deepEqual(
    (await identities(app.rt)).map((r) => ({ ...r, user_id: Number(r.user_id) })),
    [{ provider: `oidc:${app.idp.issuer}`, subject: 'jane', user_id: Number(user.id) }],
  );

  // Again, from another browser: the same account, no second one.
  const again = await signInThroughIdp(app.agent(), 'jane');
  t.is(again.status, 303);
  t.is(await countUsers(app.rt), before + 1);
});

eachOidcApp('an existing member is linked by verified address, never by an unverified one', async (t, app) => {
  const { agent, accounts: before } = await linksExistingMember(t, app, (agent) => signInThroughIdp(agent, 'bob'));
  // The provider keeps the name and the address: written at sign-in, the address locked on the account page.
  t.regex((await agent.http.get('/account')).text, /data-locked="email"/);

  // The directory says admin@example.com but does not vouch for it: no link, no account.
  const mallory = app.agent();
  const refused = await signInThroughIdp(mallory, 'mallory');
  t.is(refused.status, 403);
  t.regex(refused.text, /did not confirm your email address/);
  t.regex(refused.text, /href="\/login">Back to sign in/);
  t.is((await mallory.http.get('/api/v1/me')).status, 401);
  t.is((await identities(app.rt)).filter((r) => r.subject === 'mallory').length, 0);

  // No address at all.
  const nomail = await signInThroughIdp(app.agent(), 'nomail');
  t.is(nomail.status, 403);
  t.regex(nomail.text, /did not give an email address/);
  t.is(await countUsers(app.rt), before);
});

eachOidcApp('a suspended member is refused, in French for a French browser', async (t, app) => {
  const bobId = await createMember(app.rt, 'bob');
  await app.rt.users.setStatus(bobId, 'suspended');
  const agent = app.agent();
  await agent.http.get('/').set('Accept-Language', 'fr');
  const path = await throughIdp(agent, 'bob');
  const res = await agent.http.get(path).set('Accept-Language', 'fr');
  t.is(res.status, 403);
  t.regex(res.text, /Votre compte est suspendu/);
  const main = /<main[\s\S]*<\/main>/.exec(res.text)![0];
  t.notRegex(main, /oidc|suspended|\bstack\b|TypeError|Processing/i, 'no detail of the failure on the page');
});

eachOidcApp('key rotation: the provider signs with a new key and sign-in goes on', async (t, app) => {
  t.is((await signInThroughIdp(app.agent(), 'jane')).status, 303);
  const oldKid = app.idp.kid;
  await app.idp.restart();
  t.not(app.idp.kid, oldKid);
  const res = await signInThroughIdp(app.agent(), 'jane');
  t.is(res.status, 303, res.text.slice(0, 300));
});

eachOidcApp('an ID token for another audience, or with a broken signature, is refused', async (t, app) => {
  await app.idp.restart({ tamper: 'audience', keepKey: true });
  const agent = app.agent();
  let res = await signInThroughIdp(agent, 'jane');
  t.is(res.status, 400);
  t.regex(res.text, /failed its security checks/);
  t.is((await agent.http.get('/api/v1/me')).status, 401);

  await app.idp.restart({ tamper: 'signature', keepKey: true });
  res = await signInThroughIdp(app.agent(), 'jane');
  t.is(res.status, 400);
  t.regex(res.text, /failed its security checks/);
  t.is(await app.rt.db('users').where({ username: 'jane.doe' }).first('id'), undefined, 'no account was made');
});

eachOidcApp('a provider whose clock is two hours behind issues expired tokens: refused', async (t, app) => {
  await app.idp.restart({ clockShiftSeconds: -7200, keepKey: true });
  const res = await signInThroughIdp(app.agent(), 'jane');
  t.is(res.status, 400);
  t.regex(res.text, /signature, audience, expiry or clock/);
});

eachOidcApp('a replayed or forged callback is refused', async (t, app) => {
  const agent = app.agent();
  const callback = await throughIdp(agent, 'jane');
  const state = new URL(callback, 'http://x').searchParams.get('state')!;
  t.is((await agent.http.get(callback)).status, 303);

  // The same answer again, even from a browser holding that state: used once only.
  const replay = app.agent();
  const res = await replay.http.get(callback).set('Cookie', `ruche_oidc_state=${state}`);
  t.is(res.status, 400);
  t.regex(res.text, /expired or was already used/);
  t.is((await replay.http.get('/api/v1/me')).status, 401);

  // An answer to a sign-in started in another browser (login CSRF): refused.
  const victim = app.agent();
  const attackerCallback = await throughIdp(app.agent(), 'jane');
  const forged = await victim.http.get(attackerCallback);
  t.is(forged.status, 400);
  t.is((await victim.http.get('/api/v1/me')).status, 401);

  // The person cancelled at the provider.
  const cancelled = app.agent();
  const started = await cancelled.http.get('/sso/oidc/start');
  const cancelState = new URL(started.headers.location as string).searchParams.get('state')!;
  const denied = await cancelled.http.get(`/sso/oidc/callback?error=access_denied&state=${cancelState}`);
  t.is(denied.status, 403);
  t.regex(denied.text, /cancelled or refused/);
});

eachOidcApp('new people follow the network policy: invitation refuses, domain checks, approval waits', async (t, app) => {
  const root = app.rt.networks.root();
  await app.rt.networks.update(root.id, { joinPolicy: 'invitation' });
  let res = await signInThroughIdp(app.agent(), 'jane');
  t.is(res.status, 403);
  t.regex(res.text, /by invitation only/);

  await app.rt.networks.update(root.id, { joinPolicy: 'domain', joinDomains: ['example.org'] });
  res = await signInThroughIdp(app.agent(), 'jane');
  t.is(res.status, 403);
  t.regex(res.text, /accepts addresses at its own domains only/);

  await app.rt.networks.update(root.id, { joinPolicy: 'approval' });
  res = await signInThroughIdp(app.agent(), 'jane');
  t.is(res.status, 403);
  t.regex(res.text, /waiting for an administrator/);
  const requests = await app.rt.registration.pendingRequests(root.id);
  t.deepEqual(
    requests.map((r) => r.email),
    ['jane.doe@corp.example'],
  );
  // Once approved, the same subject signs in.
  await app.rt.registration.decide(Number(requests[0].id), true, app.rt.networks.root(), 'en');
  res = await signInThroughIdp(app.agent(), 'jane');
  t.is(res.status, 303);
});

eachOidcApp('without a provider the plugin offers nothing; the admin keeps the password form', async (t, app) => {
  await app.rt.pluginState.configure('sso-oidc', { issuer: '' });
  const login = await app.agent().http.get('/login');
  t.notRegex(login.text, /data-provider/);
  const start = await app.agent().http.get('/sso/oidc/start');
  t.is(start.status, 404);
  t.regex(start.text, /not set up on this network/);
  const admin = app.agent();
  await admin.login(ADMIN.username, ADMIN.password);
  t.is((await admin.http.get('/api/v1/me')).body.username, ADMIN.username);
});

eachOidcApp('the groups claim gives roles in networks at each sign-in, and takes them back when the group is gone', async (t, app) => {
  await walkGroupRoles(t, app.rt, 'sso-oidc', async (groups) => {
    await app.idp.restart({ accounts: { jane: { ...IDP_ACCOUNTS.jane, groups } }, keepKey: true });
    const agent = app.agent();
    const res = await signInThroughIdp(agent, 'jane');
    t.is(res.status, 303, res.text.slice(0, 300));
    return agent;
  });
});

eachOidcApp("signing out of Ruche ends the provider's session too and comes back to Ruche", async (t, app) => {
  const agent = app.agent();
  const idp = request.agent(app.idp.issuer);
  t.is((await agent.http.get(await throughIdp(agent, 'jane', undefined, idp))).status, 303);
  // Where the provider sends a new sign-in from this browser first: back to Ruche while its session lasts, else its login.
  const firstStop = async () => {
    const start = new URL(String((await app.agent().http.get('/sso/oidc/start')).headers.location));
    return String((await idp.get(`${start.pathname}${start.search}`)).headers.location);
  };
  t.regex(await firstStop(), /\/sso\/oidc\/callback\?/, 'signed in at the provider');

  const out = await agent.http
    .post('/logout')
    .type('form')
    .send({ _csrf: await agent.csrf('/') });
  // A page going on to the provider at once (a form's redirect to another site would break the CSP's form-action).
  t.is(out.status, 200);
  const end = new URL(/^0; url=(.+)$/.exec(String(out.headers.refresh))![1]);
  const link = /<a class="btn btn-primary" href="([^"]+)" rel="noreferrer">Continue<\/a>/.exec(out.text)?.[1];
  t.is(link?.replace(/&#x3D;/g, '=').replace(/&amp;/g, '&'), end.href, 'and a link to go on');
  t.is(`${end.origin}${end.pathname}`, `${app.idp.issuer}/session/end`);
  t.truthy(end.searchParams.get('id_token_hint'));
  t.is(end.searchParams.get('post_logout_redirect_uri'), `${app.config.siteUrl}/`);
  t.is((await agent.http.get('/api/v1/me')).status, 401, "Ruche's session ended");
  t.is(await signOutAtIdp(idp, end.href), `${app.config.siteUrl}/`, 'the provider sends the browser back to Ruche');
  t.regex(await firstStop(), /^\/interaction\//, "the provider's session ended: its login page again");
  t.is(Number((await app.rt.db('sso_oidc_sessions').count<{ n: number }[]>('session_id as n'))[0].n), 0, 'the ID token is forgotten');

  // A member who signed in with a password signs out of Ruche only.
  const admin = app.agent();
  await admin.login(ADMIN.username, ADMIN.password);
  const local = await admin.http
    .post('/logout')
    .type('form')
    .send({ _csrf: await admin.csrf('/') });
  t.is(local.headers.location, '/');
});

eachOidcApp("a sub-network follows the root's provider until it has its own; its sign-in page offers its own and lands there", async (t, app) => {
  const partner = await addSubNetwork(app.rt, 'partner', 'Partner');
  const offered = async (path: string) => /data-provider="sso-oidc">([^<]*)</.exec((await app.agent().http.get(path)).text)?.[1];
  t.is(await offered('/n/partner/login'), 'Sign in with Corp', "without settings of its own, the root's provider");

  await app.rt.pluginState.configure(
    'sso-oidc',
    { label: 'Partner directory', issuer: app.idp.issuer, clientId: IDP_CLIENT.id, clientSecret: IDP_CLIENT.secret },
    partner,
  );
  t.is(await offered('/n/partner/login'), 'Sign in with Partner directory');
  t.is(await offered('/login'), 'Sign in with Corp', "the root's page is unchanged");

  // Pat signs in from the partner's page: back in the partner network, a member of it.
  const agent = app.agent();
  const res = await signInThroughIdp(agent, 'partner', '/n/partner/sso/oidc/start');
  t.is(res.status, 303, res.text.slice(0, 300));
  t.is(res.headers.location, '/n/partner/');
  const pat = await app.rt.db('users').where({ email: 'pat@partner.example' }).first('id');
  t.truthy(pat);
  t.truthy(await app.rt.db('memberships').where({ user_id: pat.id, network_id: partner }).first('role'));
});
