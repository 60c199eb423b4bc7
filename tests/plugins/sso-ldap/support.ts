/**
 * The sso-ldap tests' app: Ruche installed (admin, English) with the plugin enabled and pointed
 * at a real OpenLDAP directory started for the test (tests/helpers/ldap-server.ts), on each
 * database, with a `partner` sub-network the directory's `partners` group maps to. Both are
 * stopped when the test ends. Without slapd the tests are skipped with a message (never in CI).
 */
import test from 'ava';
import { eachAppOf, type EachApp } from '../../helpers/each-app';
import type { TestDatabase } from '../../helpers/databases';
import { addSubNetwork, formAgent } from '../../helpers/members';
import {
  LDAP_BASE,
  LDAP_GROUPS,
  LDAP_PEOPLE,
  LDAP_SERVICE,
  SLAPD_MISSING,
  slapdAvailable,
  startDirectory,
  type LdapDirectory,
  type LdapPerson,
} from '../../helpers/ldap-server';
import type { TestAgent } from '../../helpers/app';
import { ssoApp, type SsoApp } from '../../helpers/sso';

export interface LdapApp extends SsoApp<LdapDirectory> {
  directory: LdapDirectory;
}

/** The people of the directory, by uid. */
export const PEOPLE: LdapPerson[] = [
  {
    uid: 'jane',
    password: 'jane-pass',
    cn: 'Jane Doe',
    displayName: 'Jane Doe',
    mail: 'jane.doe@corp.example',
    title: 'Engineer',
    department: 'R&D',
  },
  { uid: 'bob', password: 'bob-pass', cn: 'Bob Martin', displayName: 'Bob from the directory', mail: 'bob@example.com', department: 'Sales' },
  { uid: 'dave', password: 'dave-pass', cn: 'Dave Off', mail: 'dave@corp.example', disabled: true },
  { uid: 'leo', password: 'leo-pass', cn: 'Leo Leaving', mail: 'leo@corp.example' },
  { uid: 'pat', password: 'pat-pass', cn: 'Pat Partner', mail: 'pat@partner.example' },
];
export const GROUPS = { partners: ['pat'], staff: ['jane', 'bob', 'leo'] };

export const LDAP_SETTINGS = {
  label: 'Corp directory',
  baseDn: LDAP_PEOPLE,
  bindDn: LDAP_SERVICE.dn,
  bindPassword: LDAP_SERVICE.password,
  userFilter: '(objectClass=inetOrgPerson)',
  disabledFilter: '(employeeType=disabled)',
  groupMap: `cn=partners,${LDAP_GROUPS} -> partner moderator\n# staff are plain members of the root\ncn=staff,${LDAP_GROUPS} -> root member`,
};
export const PROVIDER = `ldap:${LDAP_PEOPLE}`;
export { LDAP_BASE };

export async function ldapApp(db: TestDatabase, options: { tls?: boolean } = {}): Promise<LdapApp> {
  const app = await ssoApp(
    db,
    'sso-ldap',
    () => startDirectory(PEOPLE, GROUPS, options),
    async (directory, rt) => {
      await addSubNetwork(rt, 'partner', 'Partner');
      return { ...LDAP_SETTINGS, url: directory.url };
    },
  );
  return { ...app, directory: app.provider };
}

/** Registers the test per database; skipped with a message when slapd is absent (an error under CI). */
export const eachLdapApp: EachApp<LdapApp> = slapdAvailable()
  ? eachAppOf((db) => ldapApp(db))
  : (title) => test.skip(`${title} — ${SLAPD_MISSING}`, () => undefined);

/** `eachLdapApp` with slapd over TLS (its certificate made for the test: `directory.caFile`). */
export const eachLdapTlsApp: EachApp<LdapApp> = slapdAvailable()
  ? eachAppOf((db) => ldapApp(db, { tls: true }))
  : (title) => test.skip(`${title} — ${SLAPD_MISSING}`, () => undefined);

/** Posts the directory sign-in form as `agent` (`base`: a sub-network's path). */
export async function ldapSignIn(agent: TestAgent, login: string, password: string, base = '') {
  const form = await formAgent(agent, `${base}/sso/ldap`);
  return form.post(`${base}/sso/ldap`, { login, password, next: `${base}/` });
}
