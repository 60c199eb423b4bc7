/**
 * A real OpenLDAP directory for tests: Debian's `slapd` started on 127.0.0.1 with a random
 * port, from a generated slapd.conf (mdb backend) in a temporary folder, loaded with `slapadd`
 * (which gives every entry its `entryUUID`). The directory holds the people and groups the
 * test asks for, a service account that may read it, and the `cn=admin` root that changes it
 * (a leaver removed, an account disabled). Stopped, and its folder removed, by `stop()`.
 *
 * Without slapd the tests skip with a message, except under CI (CI=true), where it is an error.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'ldapts';
import { freePort } from './browser';
import { isCI } from './databases';
import { selfSignedCertificate } from './certificates';

export const SLAPD = process.env.RUCHE_TEST_SLAPD ?? '/usr/sbin/slapd';
const SLAPADD = path.join(path.dirname(SLAPD), 'slapadd');
const SCHEMAS = '/etc/ldap/schema';
const MODULES = '/usr/lib/ldap';

export const LDAP_BASE = 'dc=corp,dc=example';
export const LDAP_PEOPLE = `ou=people,${LDAP_BASE}`;
export const LDAP_GROUPS = `ou=groups,${LDAP_BASE}`;
export const LDAP_ADMIN = { dn: `cn=admin,${LDAP_BASE}`, password: 'admin-secret-for-tests' };
export const LDAP_SERVICE = { dn: `cn=ruche,ou=services,${LDAP_BASE}`, password: 'service-secret-for-tests' };

export interface LdapPerson {
  uid: string;
  password: string;
  cn: string;
  mail?: string;
  displayName?: string;
  title?: string;
  department?: string;
  /** Marks the account disabled (`employeeType: disabled`, what the tests' disabledFilter looks for). */
  disabled?: boolean;
}

export interface LdapDirectory {
  url: string;
  /** With `tls`: the ldaps:// address, and the certificate to trust (its own CA). */
  ldapsUrl?: string;
  caFile?: string;
  /** The DN of a person of the directory. */
  dnOf(uid: string): string;
  /** Runs `fn` with a client bound as the directory's root (to change entries during a test). */
  asAdmin<T>(fn: (client: Client) => Promise<T>): Promise<T>;
  stop(): Promise<void>;
}

/** Whether slapd can be started here; under CI its absence is an error, not a reason to skip. */
export function slapdAvailable(): boolean {
  const ok = existsSync(SLAPD) && existsSync(SLAPADD) && existsSync(path.join(SCHEMAS, 'inetorgperson.schema'));
  if (!ok && isCI()) throw new Error(`slapd is missing (${SLAPD}): install Debian's slapd and ldap-utils (bash .ci/run does)`);
  return ok;
}

export const SLAPD_MISSING = `slapd is not installed (${SLAPD}): apt-get install slapd ldap-utils to run the LDAP tests`;

function config(dir: string, tls: boolean): string {
  return [
    ...['core', 'cosine', 'inetorgperson', 'nis'].map((s) => `include ${SCHEMAS}/${s}.schema`),
    ...(tls ? [`TLSCertificateFile ${dir}/cert.pem`, `TLSCertificateKeyFile ${dir}/key.pem`] : []),
    `pidfile ${dir}/slapd.pid`,
    `argsfile ${dir}/slapd.args`,
    `modulepath ${MODULES}`,
    'moduleload back_mdb',
    'database mdb',
    `suffix "${LDAP_BASE}"`,
    `rootdn "${LDAP_ADMIN.dn}"`,
    `rootpw ${LDAP_ADMIN.password}`,
    `directory ${dir}/data`,
    'maxsize 67108864',
    'access to attrs=userPassword by self read by anonymous auth by * none',
    `access to * by dn.exact="${LDAP_SERVICE.dn}" read by self read by users read by * none`,
    '',
  ].join('\n');
}

function entry(dn: string, attributes: Record<string, string | string[] | undefined>): string {
  const lines = [`dn: ${dn}`];
  for (const [name, value] of Object.entries(attributes)) {
    for (const v of value === undefined ? [] : Array.isArray(value) ? value : [value]) lines.push(`${name}: ${v}`);
  }
  return `${lines.join('\n')}\n`;
}

function ldif(people: LdapPerson[], groups: Record<string, string[]>): string {
  const dnOf = (uid: string) => `uid=${uid},${LDAP_PEOPLE}`;
  const entries = [
    entry(LDAP_BASE, { objectClass: ['top', 'dcObject', 'organization'], dc: 'corp', o: 'Corp' }),
    ...['people', 'groups', 'services'].map((ou) => entry(`ou=${ou},${LDAP_BASE}`, { objectClass: 'organizationalUnit', ou })),
    entry(LDAP_SERVICE.dn, { objectClass: ['organizationalRole', 'simpleSecurityObject'], cn: 'ruche', userPassword: LDAP_SERVICE.password }),
    ...people.map((p) =>
      entry(dnOf(p.uid), {
        objectClass: ['inetOrgPerson'],
        uid: p.uid,
        cn: p.cn,
        sn: p.cn.split(' ').pop(),
        mail: p.mail,
        displayName: p.displayName,
        title: p.title,
        departmentNumber: p.department,
        employeeType: p.disabled ? 'disabled' : undefined,
        userPassword: p.password,
      }),
    ),
    ...Object.entries(groups).map(([cn, members]) =>
      entry(`cn=${cn},${LDAP_GROUPS}`, { objectClass: 'groupOfNames', cn, member: members.map(dnOf) }),
    ),
  ];
  return entries.join('\n');
}

function run(cmd: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${cmd} exited ${code}: ${err}`))));
  });
}

/** Waits until slapd answers a bind, or fails with what it printed. */
async function ready(url: string, child: ChildProcess, output: () => string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (child.exitCode !== null) throw new Error(`slapd exited (${child.exitCode}): ${output()}`);
    const client = new Client({ url, timeout: 1000, connectTimeout: 1000 });
    try {
      await client.bind(LDAP_ADMIN.dn, LDAP_ADMIN.password);
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 50));
    } finally {
      await client.unbind().catch(() => undefined);
    }
  }
  throw new Error(`slapd did not answer on ${url}: ${output()}`);
}

/**
 * Starts a directory with `people` and `groups` (group cn → member uids). With `tls`, slapd
 * holds a certificate for 127.0.0.1 made for the test (`caFile`: the file a client trusts) and
 * answers on `url` (StartTLS) and `ldapsUrl` (TLS from the start).
 */
export async function startDirectory(
  people: LdapPerson[],
  groups: Record<string, string[]> = {},
  options: { tls?: boolean } = {},
): Promise<LdapDirectory> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'ruche-slapd-'));
  const tls = !!options.tls;
  try {
    await mkdir(path.join(dir, 'data'));
    if (tls) {
      const { key, cert } = selfSignedCertificate('127.0.0.1', 'IP:127.0.0.1');
      await writeFile(path.join(dir, 'key.pem'), key, { mode: 0o600 });
      await writeFile(path.join(dir, 'cert.pem'), cert);
    }
    await writeFile(path.join(dir, 'slapd.conf'), config(dir, tls));
    await writeFile(path.join(dir, 'data.ldif'), ldif(people, groups));
    await run(SLAPADD, ['-q', '-f', path.join(dir, 'slapd.conf'), '-l', path.join(dir, 'data.ldif')]);
    return await launch(dir, tls);
  } catch (e) {
    await rm(dir, { recursive: true, force: true });
    throw e;
  }
}

async function launch(dir: string, tls: boolean): Promise<LdapDirectory> {
  // Another process may take the free port before slapd binds it: then another port.
  for (let attempt = 1; ; attempt++) {
    const url = `ldap://127.0.0.1:${await freePort()}`;
    const ldapsUrl = tls ? `ldaps://127.0.0.1:${await freePort()}` : undefined;
    const listen = [url, ldapsUrl]
      .filter(Boolean)
      .map((u) => `${u}/`)
      .join(' ');
    // -d 0: stay in the foreground (the child is slapd itself, stopped with it).
    const child = spawn(SLAPD, ['-f', path.join(dir, 'slapd.conf'), '-h', listen, '-d', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    try {
      await ready(url, child, () => out);
    } catch (e) {
      child.kill('SIGKILL');
      if (attempt < 3) continue;
      throw e;
    }
    return {
      url,
      ldapsUrl,
      caFile: tls ? path.join(dir, 'cert.pem') : undefined,
      dnOf: (uid) => `uid=${uid},${LDAP_PEOPLE}`,
      async asAdmin(fn) {
        const client = new Client({ url });
        try {
          await client.bind(LDAP_ADMIN.dn, LDAP_ADMIN.password);
          return await fn(client);
        } finally {
          await client.unbind().catch(() => undefined);
        }
      },
      async stop() {
        if (child.exitCode === null) {
          await new Promise<void>((resolve) => {
            child.once('exit', () => resolve());
            child.kill('SIGTERM');
          });
        }
        await rm(dir, { recursive: true, force: true });
      },
    };
  }
}
