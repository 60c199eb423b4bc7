// The directory sync against a real OpenLDAP: a dry run says what it would do and changes
// nothing; the sync creates and links accounts, keeps their fields, and suspends the members
// the directory disabled or no longer lists (their sessions end). A directory answering no
// one changes nothing. Roles of groups left are taken back and members back in the directory
// reactivated. The hourly job runs it where `sync` is on.
import { ADMIN } from '../../helpers/app';
import { createMember, signedIn } from '../../helpers/members';
import { LDAP_BASE, LDAP_GROUPS, LDAP_SERVICE } from '../../helpers/ldap-server';
import { eachLdapApp, ldapSignIn, PROVIDER, type LdapApp } from './support';
import type { SsoSyncReport } from '../../../core';
import { Attribute, Change } from 'ldapts';

const sync = (app: LdapApp, dryRun: boolean) =>
  app.rt.hooks.filter('sso:sync', null, { provider: 'ldap', networkId: app.rt.networks.root().id, dryRun }) as Promise<SsoSyncReport>;
const summary = (report: SsoSyncReport) => report.changes.map((c) => `${c.action} ${c.who}${c.detail ? `: ${c.detail}` : ''}`).sort();
const statusOf = async (app: LdapApp, email: string) => (await app.rt.db('users').where({ email }).first('status'))?.status as string | undefined;

eachLdapApp('a dry run lists what the sync would do; the sync does it; leavers and disabled accounts are suspended', async (t, app) => {
  await createMember(app.rt, 'bob');
  const users = await app.rt.db('users').count<{ n: number }[]>('id as n');

  const dry = await sync(app, true);
  t.is(dry.error, undefined);
  t.is(dry.read, 5);
  t.deepEqual(summary(dry), [
    'create jane: jane.doe@corp.example',
    'create leo: leo@corp.example',
    'create pat: pat@partner.example',
    'link bob: bob@example.com',
  ]);
  t.deepEqual(await app.rt.db('users').count<{ n: number }[]>('id as n'), users, 'a dry run changes nothing');
  t.is(await app.rt.db('user_identities').first('id'), undefined);

  const done = await sync(app, false);
  t.deepEqual(summary(done), summary(dry));
  t.is(await statusOf(app, 'leo@corp.example'), 'active');
  t.is(await statusOf(app, 'dave@corp.example'), undefined, 'a disabled account is not created');
  t.is(Number((await app.rt.db('user_identities').where({ provider: PROVIDER }).count<{ n: number }[]>('id as n'))[0].n), 4);
  t.deepEqual(summary(await sync(app, false)), [], 'a second run finds nothing to do');

  // Leo signs in, then leaves; Jane is disabled; Bob changes department.
  const leo = app.agent();
  t.is((await ldapSignIn(leo, 'leo', 'leo-pass')).status, 303);
  await app.directory.asAdmin(async (client) => {
    await client.del(app.directory.dnOf('leo'));
    await client.modify(
      app.directory.dnOf('jane'),
      new Change({ operation: 'add', modification: new Attribute({ type: 'employeeType', values: ['disabled'] }) }),
    );
    await client.modify(
      app.directory.dnOf('bob'),
      new Change({ operation: 'replace', modification: new Attribute({ type: 'departmentNumber', values: ['Support'] }) }),
    );
  });
  const dry2 = await sync(app, true);
  t.deepEqual(summary(dry2), ['suspend jane: disabled in the directory', 'suspend leo: no longer in the directory', 'update bob: department']);
  t.is(await statusOf(app, 'leo@corp.example'), 'active');

  t.deepEqual(summary(await sync(app, false)), summary(dry2));
  t.is(await statusOf(app, 'leo@corp.example'), 'suspended');
  t.is(await statusOf(app, 'jane.doe@corp.example'), 'suspended');
  t.is((await leo.http.get('/api/v1/me')).status, 401, "the leaver's session ended");
  const bobId = (await app.rt.db('users').where({ username: 'bob' }).first('id')).id;
  t.like(await app.rt.db('profiles').where({ user_id: bobId }).first('department'), { department: 'Support' });
  t.is((await ldapSignIn(app.agent(), 'leo', 'leo-pass')).status, 422, 'the leaver cannot sign in');
});

eachLdapApp('a directory that lists no one, or cannot be read, changes nothing', async (t, app) => {
  await sync(app, false);
  const admin = await signedIn(app, ADMIN.username, ADMIN.password);
  await app.rt.pluginState.configure('sso-ldap', { userFilter: '(objectClass=nobodyHasThis)' });
  const empty = await sync(app, false);
  t.regex(empty.error!, /listed no one/);
  t.is(await statusOf(app, 'leo@corp.example'), 'active');

  await app.rt.pluginState.configure('sso-ldap', { userFilter: '(objectClass=inetOrgPerson)', bindPassword: 'wrong' });
  t.regex((await sync(app, true)).error!, /could not be read: /);
  await app.rt.pluginState.configure('sso-ldap', { bindDn: '', bindPassword: '', userDnTemplate: `uid={login},${LDAP_SERVICE.dn}` });
  t.regex((await sync(app, true)).error!, /service account/);
  t.is((await admin.http.get('/api/v1/me')).status, 200, 'nobody was suspended');
});

eachLdapApp('the hourly job syncs where sync is on', async (t, app) => {
  const now = Date.now();
  await app.rt.jobs.ensureRecurring(now);
  await app.rt.jobs.runDue({ now });
  t.is(await statusOf(app, 'leo@corp.example'), undefined, 'sync off: nothing');
  await app.rt.pluginState.configure('sso-ldap', { sync: true });
  const later = now + 2 * 60 * 60_000;
  await app.rt.jobs.runDue({ now: later });
  t.is(await statusOf(app, 'leo@corp.example'), 'active');
});

eachLdapApp('roles of groups left are taken back; members back in the directory are reactivated; a dry run shows both', async (t, app) => {
  await sync(app, false);
  const partner = app.rt.networks.slug('partner')!.id;
  const pat = (await app.rt.db('users').where({ email: 'pat@partner.example' }).first('id')).id;
  const patIn = async () => (await app.rt.db('memberships').where({ user_id: pat, network_id: partner }).first('role'))?.role as string | undefined;
  t.is(await patIn(), 'moderator');
  const bob = (await app.rt.db('users').where({ email: 'bob@example.com' }).first('id')).id;
  await app.rt.suspensions.suspend(bob, { reason: 'Suspended by an administrator', until: null });

  // Pat leaves the partners group, Jane is disabled, Leo moves out of the people the sync reads.
  const employeeType = (operation: 'add' | 'delete') =>
    new Change({ operation, modification: new Attribute({ type: 'employeeType', values: ['disabled'] }) });
  await app.directory.asAdmin(async (client) => {
    const members = new Attribute({ type: 'member', values: [app.directory.dnOf('dave')] });
    await client.modify(`cn=partners,${LDAP_GROUPS}`, new Change({ operation: 'replace', modification: members }));
    await client.modify(app.directory.dnOf('jane'), employeeType('add'));
    await client.modifyDN(app.directory.dnOf('leo'), `uid=leo,ou=services,${LDAP_BASE}`);
  });
  const dry = await sync(app, true);
  t.deepEqual(summary(dry), ['suspend jane: disabled in the directory', 'suspend leo: no longer in the directory', 'update pat: no role in partner']);
  t.is(await patIn(), 'moderator', 'a dry run changes nothing');
  t.deepEqual(summary(await sync(app, false)), summary(dry));
  t.is(await patIn(), undefined, 'out of the partner network the group gave');
  t.is(await statusOf(app, 'leo@corp.example'), 'suspended');

  // Both come back: the sync lifts the suspensions it made, not the administrator's.
  await app.directory.asAdmin(async (client) => {
    await client.modify(app.directory.dnOf('jane'), employeeType('delete'));
    await client.modifyDN(`uid=leo,ou=services,${LDAP_BASE}`, app.directory.dnOf('leo'));
  });
  const back = await sync(app, true);
  t.deepEqual(summary(back), ['reactivate jane: back in the directory', 'reactivate leo: back in the directory']);
  t.is(await statusOf(app, 'leo@corp.example'), 'suspended', 'a dry run changes nothing');
  t.deepEqual(summary(await sync(app, false)), summary(back));
  t.is(await statusOf(app, 'leo@corp.example'), 'active');
  t.is(await statusOf(app, 'jane.doe@corp.example'), 'active');
  t.is(await statusOf(app, 'bob@example.com'), 'suspended', "an administrator's suspension stands");
  t.is((await ldapSignIn(app.agent(), 'leo', 'leo-pass')).status, 303, 'Leo signs in again');
  const audit = await app.rt
    .db('audit_log')
    .where({ action: 'core.user.unsuspend', object_id: (await app.rt.db('users').where({ email: 'leo@corp.example' }).first('id')).id })
    .first('actor_name');
  t.is(audit?.actor_name, 'sso-ldap');
});
