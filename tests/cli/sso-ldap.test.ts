// `ruche sso test ldap` and `ruche sso sync ldap [--dry-run]` against a real OpenLDAP (slapd
// on 127.0.0.1): the checks pass on a working directory and fail on a wrong service password;
// the dry run prints what the sync would do and changes nothing; the sync does it; a
// directory listing no one is refused with a message.
import test from 'ava';
import { databaseKinds } from '../helpers/databases';
import { SLAPD_MISSING, slapdAvailable, startDirectory } from '../helpers/ldap-server';
import { GROUPS, LDAP_SETTINGS, PEOPLE } from '../plugins/sso-ldap/support';
import { assertOneLineError } from './helpers';
import { installed } from './setup';

const run = slapdAvailable() ? test : test.skip;
for (const kind of databaseKinds()) {
  run(`sso test and sync ldap${slapdAvailable() ? '' : ` — ${SLAPD_MISSING}`} [${kind}]`, async (t) => {
    const i = await installed(t, kind);
    const directory = await startDirectory(PEOPLE, GROUPS);
    t.teardown(() => directory.stop());

    t.is((await i.ruche('plugin', 'enable', 'sso-ldap')).code, 0);
    const unset = await i.ruche('sso', 'test', 'ldap');
    t.is(unset.code, 1);
    t.regex(unset.stdout, /^FAIL {2}configuration: set url, baseDn and bindDn\/bindPassword/m);
    const settings = Object.entries({ ...LDAP_SETTINGS, groupMap: '', url: directory.url }).map(([k, v]) => `${k}=${v}`);
    const config = await i.ruche('plugin', 'config', 'sso-ldap', ...settings);
    t.is(config.code, 0, config.stderr);

    const good = await i.ruche('sso', 'test', 'ldap');
    t.is(good.code, 0, good.stdout + good.stderr);
    t.regex(good.stdout, /^ok {4}connection and service account$/m);
    t.regex(good.stdout, /^ok {4}people: 5 found by \(objectClass=inetOrgPerson\); 5 with mail; 1 disabled; e\.g\. /m);
    t.regex(good.stdout, /ldap in the root network is ready\./);

    const dry = await i.ruche('sso', 'sync', 'ldap', '--dry-run');
    t.is(dry.code, 0, dry.stderr);
    t.regex(dry.stdout, /^would create {3}jane: jane\.doe@corp\.example$/m);
    t.regex(dry.stdout, /5 people read; 4 create, 0 link, 0 update, 0 suspend, 0 reactivate, 0 refuse \(dry run: nothing changed\)\./);
    t.is(await i.db()('users').where({ email: 'jane.doe@corp.example' }).first('id'), undefined);

    const done = await i.ruche('sso', 'sync', 'ldap');
    t.is(done.code, 0, done.stderr);
    t.regex(done.stdout, /^create {3}jane: jane\.doe@corp\.example$/m);
    t.truthy(await i.db()('users').where({ email: 'jane.doe@corp.example' }).first('id'));

    t.is((await i.ruche('plugin', 'config', 'sso-ldap', 'userFilter=(objectClass=nobodyHasThis)')).code, 0);
    assertOneLineError(t, await i.ruche('sso', 'sync', 'ldap'), /ldap sync in the root network did not run: the directory listed no one/);

    t.is((await i.ruche('plugin', 'config', 'sso-ldap', 'userFilter=(objectClass=inetOrgPerson)', 'bindPassword=wrong')).code, 0);
    const wrong = await i.ruche('sso', 'test', 'ldap');
    t.is(wrong.code, 1);
    t.regex(wrong.stdout, /^FAIL {2}connection and service account: /m);
  });
}
