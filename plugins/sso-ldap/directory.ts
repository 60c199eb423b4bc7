/**
 * The directory, through `ldapts`: connecting (ldaps://, or ldap:// upgraded with StartTLS;
 * certificates always checked, against `caFile` when set), checking a person's password by
 * binding as them (found with the service account, or named by `userDnTemplate`), and reading
 * people and the mapped groups for the sync. Every value typed by a person goes into a filter
 * escaped (`Filter.escape`) and into a DN escaped (RFC 4514).
 */
import { readFile } from 'node:fs/promises';
import type { ConnectionOptions } from 'node:tls';
import { Client, EqualityFilter, InvalidCredentialsError, type Entry } from 'ldapts';
import { LDAP_TIMEOUT_MS } from './constants';
import { parseGroupRules } from '../../core';
import type { LdapSettings } from './settings';

/** A person as the directory describes them, through the configured attributes. */
export interface DirectoryPerson {
  dn: string;
  /** The stable id (`idAttribute`: entryUUID, AD's objectGUID as hex). */
  id: string;
  login: string;
  email?: string;
  name?: string;
  username?: string;
  department?: string;
  title?: string;
  disabled: boolean;
  /** The DNs of the mapped groups (`groupMap`) they are a member of, lowercase. */
  groups: string[];
}

/** Why the directory did not vouch for a person. */
export type DirectoryFailure =
  | { failure: 'credentials'; details: Record<string, unknown> }
  | { failure: 'disabled'; details: Record<string, unknown> }
  | { failure: 'provider'; details: Record<string, unknown> };

const BINARY_IDS = new Set(['objectguid', 'objectsid']);
const MAX_LOGIN = 256;

/** A DN attribute value escaped (RFC 4514): `,+"\<>;=`, a leading `#` or space, a trailing space. */
export function escapeDnValue(value: string): string {
  return value
    .replace(/[,+"\\<>;=]/g, (c) => `\\${c}`)
    .replace(/^([#\s])/, '\\$1')
    .replace(/(\s)$/, '\\$1');
}

async function tlsOptions(s: LdapSettings): Promise<ConnectionOptions> {
  return s.caFile ? { ca: [await readFile(s.caFile)], rejectUnauthorized: true } : { rejectUnauthorized: true };
}

/** A client connected to the directory (StartTLS done when asked); the caller unbinds it. */
export async function connect(s: LdapSettings): Promise<Client> {
  const tls = await tlsOptions(s);
  // ldapts speaks TLS from the start whenever tlsOptions are given: only for ldaps://.
  const secure = s.url.startsWith('ldaps://');
  const client = new Client({ url: s.url, timeout: LDAP_TIMEOUT_MS, connectTimeout: LDAP_TIMEOUT_MS, ...(secure ? { tlsOptions: tls } : {}) });
  if (s.startTls && s.url.startsWith('ldap://')) {
    try {
      // The certificate is checked against the directory's host: without `host`, Node checks
      // an upgraded socket against "localhost" (a certificate for localhost would pass anywhere).
      await client.startTLS({ ...tls, host: new URL(s.url).hostname.replace(/^\[|\]$/g, '') });
    } catch (e) {
      await client.unbind().catch(() => undefined);
      throw e;
    }
  }
  return client;
}

/** Runs `fn` with a connected client, unbound afterwards whatever happens. */
export async function withClient<T>(s: LdapSettings, fn: (client: Client) => Promise<T>): Promise<T> {
  const client = await connect(s);
  try {
    return await fn(client);
  } finally {
    await client.unbind().catch(() => undefined);
  }
}

/** The attributes read for each person. */
const personAttributes = (s: LdapSettings): string[] =>
  [s.idAttribute, s.loginAttribute, s.emailAttribute, s.nameAttribute, 'cn', s.usernameAttribute, s.departmentAttribute, s.titleAttribute].filter(
    Boolean,
  );

function first(entry: Entry, name: string): string | undefined {
  if (!name) return undefined;
  const key = Object.keys(entry).find((k) => k.toLowerCase() === name.toLowerCase());
  const raw = key ? entry[key] : undefined;
  const value = Array.isArray(raw) ? raw[0] : raw;
  if (value === undefined) return undefined;
  const text = Buffer.isBuffer(value) ? value.toString('hex') : String(value).trim();
  return text || undefined;
}

function personOf(s: LdapSettings, entry: Entry, disabled: boolean, groups: string[]): DirectoryPerson | undefined {
  const id = first(entry, s.idAttribute);
  const login = first(entry, s.loginAttribute);
  if (!id || !login) return undefined;
  return {
    dn: entry.dn,
    id,
    login,
    email: first(entry, s.emailAttribute),
    name: first(entry, s.nameAttribute) ?? first(entry, 'cn'),
    username: first(entry, s.usernameAttribute),
    department: first(entry, s.departmentAttribute),
    title: first(entry, s.titleAttribute),
    disabled,
    groups,
  };
}

const searchOptions = (s: LdapSettings, filter: string) => ({
  scope: 'sub' as const,
  filter,
  attributes: personAttributes(s),
  explicitBufferAttributes: personAttributes(s).filter((a) => BINARY_IDS.has(a.toLowerCase())),
});

/** `(&<userFilter>(<loginAttribute>=<login>))`, the login escaped. */
const loginFilter = (s: LdapSettings, login: string) =>
  `(&${s.userFilter || '(objectClass=*)'}${new EqualityFilter({ attribute: s.loginAttribute, value: login }).toString()})`;

/** The members (lowercase DNs) of each mapped group; a group that cannot be read has none. */
async function groupMembers(client: Client, s: LdapSettings): Promise<Map<string, Set<string>>> {
  const members = new Map<string, Set<string>>();
  for (const rule of parseGroupRules(s.groupMap).rules) {
    const key = rule.group.toLowerCase();
    if (members.has(key)) continue;
    try {
      const { searchEntries } = await client.search(rule.group, { scope: 'base', attributes: ['member', 'uniqueMember'] });
      const values = searchEntries.flatMap((e) => [e.member, e.uniqueMember].flat()).filter((v) => v !== undefined);
      members.set(key, new Set(values.map((v) => normaliseDn(String(v)))));
    } catch {
      members.set(key, new Set());
    }
  }
  return members;
}

/** A DN compared loosely: lowercase, no spaces around separators. */
const normaliseDn = (dn: string) => dn.toLowerCase().replace(/\s*([,=+])\s*/g, '$1');

const groupsOf = (dn: string, members: Map<string, Set<string>>): string[] =>
  [...members].filter(([, set]) => set.has(normaliseDn(dn))).map(([group]) => group);

async function isDisabled(client: Client, s: LdapSettings, login: string): Promise<boolean> {
  if (!s.disabledFilter) return false;
  const { searchEntries } = await client.search(s.baseDn, {
    scope: 'sub',
    filter: `(&${loginFilter(s, login)}${s.disabledFilter})`,
    attributes: ['1.1'],
  });
  return searchEntries.length > 0;
}

/**
 * Checks `login` and `password` against the directory: the person found (service account
 * mode: searched, then bound as; template mode: bound as the DN the template names, then read
 * with their own rights), or why not. An empty password never reaches the directory (LDAP
 * treats it as an anonymous bind, which "succeeds").
 */
export async function authenticate(s: LdapSettings, login: string, password: string): Promise<DirectoryPerson | DirectoryFailure> {
  if (!login || login.length > MAX_LOGIN || !password) return { failure: 'credentials', details: { why: 'empty' } };
  try {
    return await withClient(s, async (client) => {
      if (s.bindDn) await client.bind(s.bindDn, s.bindPassword);
      let dn: string;
      if (s.bindDn) {
        const { searchEntries } = await client.search(s.baseDn, { ...searchOptions(s, loginFilter(s, login)), sizeLimit: 2 });
        if (searchEntries.length === 0) return { failure: 'credentials', details: { why: 'unknown user', login } } as const;
        if (searchEntries.length > 1) return { failure: 'provider', details: { why: 'several entries for this login', login } } as const;
        dn = searchEntries[0].dn;
      } else {
        dn = s.userDnTemplate.replace(/\{login\}/g, escapeDnValue(login));
      }
      try {
        await client.bind(dn, password);
      } catch (e) {
        if (e instanceof InvalidCredentialsError) return { failure: 'credentials', details: { why: 'wrong password', login } } as const;
        throw e;
      }
      // Read as the service account when there is one (the person may not read the groups).
      if (s.bindDn) await client.bind(s.bindDn, s.bindPassword);
      const { searchEntries } = await client.search(s.baseDn, { ...searchOptions(s, loginFilter(s, login)), sizeLimit: 2 });
      if (searchEntries.length !== 1)
        return { failure: 'provider', details: { why: `${searchEntries.length} entries readable for this login`, login } } as const;
      const disabled = await isDisabled(client, s, login);
      const person = personOf(s, searchEntries[0], disabled, groupsOf(searchEntries[0].dn, await groupMembers(client, s)));
      if (!person) return { failure: 'provider', details: { why: `no ${s.idAttribute} or ${s.loginAttribute}`, dn: searchEntries[0].dn } } as const;
      if (person.disabled) return { failure: 'disabled', details: { login } } as const;
      return person;
    });
  } catch (e) {
    return { failure: 'provider', details: { error: describe(e) } };
  }
}

/** Everyone `userFilter` finds under `baseDn`, read with the service account (paged), disabled ones marked. */
export async function listPeople(s: LdapSettings): Promise<DirectoryPerson[]> {
  return withClient(s, async (client) => {
    await client.bind(s.bindDn, s.bindPassword);
    const filter = s.userFilter || '(objectClass=*)';
    const { searchEntries } = await client.search(s.baseDn, { ...searchOptions(s, filter), paged: true });
    const disabled = new Set<string>();
    if (s.disabledFilter) {
      const found = await client.search(s.baseDn, { scope: 'sub', filter: `(&${filter}${s.disabledFilter})`, attributes: ['1.1'], paged: true });
      for (const e of found.searchEntries) disabled.add(normaliseDn(e.dn));
    }
    const members = await groupMembers(client, s);
    return searchEntries.flatMap((e) => personOf(s, e, disabled.has(normaliseDn(e.dn)), groupsOf(e.dn, members)) ?? []);
  });
}

/** Node's codes for a certificate that does not verify (unknown CA, self-signed, wrong host, expired). */
const UNTRUSTED = /CERT|SELF_SIGNED|UNABLE_TO_(GET|VERIFY)|ERR_TLS_CERT_ALTNAME_INVALID/;

/** An error as the log and `ruche sso test ldap` show it; a certificate that does not verify says what to set. */
export function describe(e: unknown): Record<string, unknown> {
  if (!(e instanceof Error)) return { message: String(e) };
  const err = e as Error & { code?: string | number };
  const message = UNTRUSTED.test(String(err.code ?? ''))
    ? `the directory's certificate is not trusted (${err.message}): set caFile to the certificate of the CA that signed it`
    : err.message;
  return { name: err.name, message, code: err.code };
}
