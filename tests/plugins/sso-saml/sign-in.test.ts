// Signing in with a SAML 2.0 identity provider built by the test (tests/helpers/saml-idp.ts):
// this service's metadata, the redirect to the provider and its signed answer end to end,
// accounts created just in time or linked by address, the profile fields kept, and each
// refusal (tampered signature, unsigned assertion, another audience, expired assertion,
// replayed or unrequested answer, the provider unreachable) as a localised page with the
// details in the log only. Groups give roles and take them back.
import { createMember } from '../../helpers/members';
import { madeUpRequestUrl } from '../../helpers/saml-idp';
import { countUsers, identities, JANE, linksExistingMember, signsUpNewPerson, walkGroupRoles } from '../../helpers/sso';
import { eachSamlApp, postAnswer, samlAnswer, signInThroughSaml } from './support';

eachSamlApp('this service publishes its metadata: entity id and assertion consumer service', async (t, app) => {
  const res = await app.agent().http.get('/sso/saml/metadata');
  t.is(res.status, 200);
  t.regex(String(res.headers['content-type']), /^application\/samlmetadata\+xml/);
  const site = app.config.siteUrl.replace(/\/$/, '');
  t.regex(res.text, new RegExp(`entityID="${site}/sso/saml/metadata"`));
  t.regex(res.text, new RegExp(`<AssertionConsumerService [^>]*Location="${site}/sso/saml/acs"`));
  t.regex(res.text, /WantAssertionsSigned="true"/);
});

eachSamlApp('the sign-in page offers the provider; a new person signs in end to end and gets one account', async (t, app) => {
  const agent = app.agent();
  const login = await agent.http.get('/login?next=%2Fmembers');
  t.regex(
    login.text,
    /<a class="btn btn-secondary btn-block" href="\/sso\/saml\/start\?next&#x3D;%2Fmembers" data-provider="sso-saml">Sign in with Corp<\/a>/,
  );

  const start = await agent.http.get('/sso/saml/start?next=%2Fmembers');
  t.is(start.status, 302);
  t.true(String(start.headers.location).startsWith(`${new URL(app.idp.metadataUrl).origin}/sso?SAMLRequest=`));

  const { user, accounts: before } = await signsUpNewPerson(
    t,
    app.rt,
    agent,
    () => postAnswer(agent, app.idp.answer(String(start.headers.location), 'jane')),
    { location: '/members', username: 'jane.doe', row: JANE },
  );
  t.deepEqual(
    (await identities(app.rt)).map((r) => ({ ...r, user_id: Number(r.user_id) })),
    [{ provider: `saml:${app.idp.entityId}`, subject: 'jane', user_id: Number(user.id) }],
  );
  // The department comes from the directory and is locked on the account.
  const synced = await app.rt.db('user_identities').where({ subject: 'jane' }).first('synced');
  t.like(JSON.parse(synced.synced), { department: 'Research', email: 'jane.doe@corp.example' });

  // Again from another browser, with the metadata pasted instead of its URL: the same account.
  await app.rt.pluginState.configure('sso-saml', { idpMetadataUrl: '', idpMetadata: app.idp.metadata });
  const again = await signInThroughSaml(app, app.agent(), 'jane');
  t.is(again.status, 303);
  t.is(await countUsers(app.rt), before + 1);
});

eachSamlApp('an existing member is linked by address and keeps their account; no address, no account', async (t, app) => {
  const { agent, accounts: before } = await linksExistingMember(t, app, (agent) => signInThroughSaml(app, agent, 'bob'));
  t.regex((await agent.http.get('/account')).text, /data-locked="email"/);

  const nomail = await signInThroughSaml(app, app.agent(), 'nomail');
  t.is(nomail.status, 403);
  t.regex(nomail.text, /did not give an email address/);
  t.is(await countUsers(app.rt), before);
});

eachSamlApp('a tampered signature, an unsigned assertion, another audience, an expired assertion: refused', async (t, app) => {
  for (const tamper of ['signature', 'unsigned', 'responseOnly', 'audience', 'expired'] as const) {
    const agent = app.agent();
    const res = await signInThroughSaml(app, agent, 'jane', tamper);
    t.is(res.status, 400, tamper);
    t.regex(res.text, /failed its security checks \(signature, audience, expiry or clock\)/, tamper);
    const main = /<main[\s\S]*<\/main>/.exec(res.text)![0];
    t.notRegex(main, /saml|assertion|audience mismatch|Invalid signature|\bstack\b|Error:/i, `${tamper}: no detail on the page`);
    t.is((await agent.http.get('/api/v1/me')).status, 401, tamper);
  }
  t.is(await app.rt.db('users').where({ username: 'jane.doe' }).first('id'), undefined, 'no account was made');
  t.is(await app.rt.db('users').where({ email: 'admin@example.com' }).whereNot({ username: 'admin' }).first('id'), undefined);
});

eachSamlApp('a replayed answer, or one nobody asked for, is refused; in French for a French browser', async (t, app) => {
  const agent = app.agent();
  const answer = await samlAnswer(app, agent, 'jane');
  t.is((await postAnswer(agent, answer)).status, 303);

  const replay = app.agent();
  const res = await postAnswer(replay, answer);
  t.is(res.status, 400);
  t.regex(res.text, /expired or was already used/);
  t.is((await replay.http.get('/api/v1/me')).status, 401);

  // An answer to a request this service never made (IdP-initiated, or made up).
  const site = app.config.siteUrl.replace(/\/$/, '');
  const made = app.idp.answer(madeUpRequestUrl(`${site}/sso/saml/acs`, `${site}/sso/saml/metadata`), 'jane');
  const unasked = await app.agent().http.post('/sso/saml/acs').type('form').send({ SAMLResponse: made.SAMLResponse }).set('Accept-Language', 'fr');
  t.is(unasked.status, 400);
  t.regex(unasked.text, /Ce lien de connexion a expiré ou a déjà servi/);
  const empty = await app.agent().http.post('/sso/saml/acs').type('form').send({});
  t.is(empty.status, 400);
});

eachSamlApp('a suspended member is refused; new people follow the network policy', async (t, app) => {
  const bobId = await createMember(app.rt, 'bob');
  await app.rt.users.setStatus(bobId, 'suspended');
  const res = await signInThroughSaml(app, app.agent(), 'bob');
  t.is(res.status, 403);
  t.regex(res.text, /Your account is suspended/);

  await app.rt.networks.update(app.rt.networks.root().id, { joinPolicy: 'invitation' });
  const refused = await signInThroughSaml(app, app.agent(), 'jane');
  t.is(refused.status, 403);
  t.regex(refused.text, /by invitation only/);
});

eachSamlApp('a provider that cannot be reached, or none configured: a clear page, the password form kept', async (t, app) => {
  await app.idp.stop();
  const down = await app.agent().http.get('/sso/saml/start');
  t.is(down.status, 502);
  t.regex(down.text, /could not be reached/);

  await app.rt.pluginState.configure('sso-saml', { idpMetadataUrl: '', idpMetadata: '' });
  t.notRegex((await app.agent().http.get('/login')).text, /data-provider="sso-saml"/);
  const none = await app.agent().http.get('/sso/saml/start');
  t.is(none.status, 404);
  t.regex(none.text, /not set up on this network/);
  // Metadata describing no identity provider: the sign-in explains (details in the log).
  await app.rt.pluginState.configure('sso-saml', {
    idpMetadata: '<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="x"/>',
  });
  const bad = await app.agent().http.get('/sso/saml/start');
  t.is(bad.status, 502);
});

eachSamlApp('the groups attribute gives roles in networks at each sign-in, and takes them back when the group is gone', async (t, app) => {
  await walkGroupRoles(t, app.rt, 'sso-saml', async (groups) => {
    app.idp.accounts.jane.groups = groups;
    const agent = app.agent();
    const res = await signInThroughSaml(app, agent, 'jane');
    t.is(res.status, 303, res.text.slice(0, 300));
    return agent;
  });
});
