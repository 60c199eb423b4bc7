/**
 * Set-up shared by the plugin tests: members created through the core (real accounts that can
 * sign in), signed-in agents that post forms with their CSRF token, and sub-networks.
 */
import type { Knex } from 'knex';
import type { Response } from 'supertest';
import type { Runtime } from '../../core';
import { ADMIN, type TestAgent, type TestApp } from './app';
import { insertId, insertUser } from './rows';

/** The password of every member the tests create (the admin keeps ADMIN.password). */
export const MEMBER_PASSWORD = 'violet staple engine 7';

/** The password `username` signs in with: the admin's, or the members' one. */
export const passwordOf = (username: string): string => (username === ADMIN.username ? ADMIN.password : MEMBER_PASSWORD);

/** Creates an active member of the root network (`<username>@example.com`) and returns its id; fails loudly. */
export async function createMember(
  rt: Runtime,
  username: string,
  options: { displayName?: string; locale?: string; role?: 'member' | 'moderator' | 'admin' } = {},
): Promise<number> {
  const r = await rt.users.create(
    { username, email: `${username}@example.com`, password: MEMBER_PASSWORD, displayName: options.displayName, locale: options.locale },
    options.role ?? 'member',
  );
  if (!('id' in r)) throw new Error(`could not create ${username}: ${JSON.stringify(r.errors)}`);
  return r.id;
}

/** Creates the members `displayNames` names (username -> display name), as createMember does; their ids by username. */
export async function createMembers(rt: Runtime, displayNames: Record<string, string>): Promise<Record<string, number>> {
  const ids: Record<string, number> = {};
  for (const [username, displayName] of Object.entries(displayNames)) ids[username] = await createMember(rt, username, { displayName });
  return ids;
}

/** The id a create form redirected to (`/blogs/12` under `base` = `/blogs`); fails loudly with what came back. */
export function redirectedId(res: { status: number; headers: Record<string, unknown>; text?: string }, base: string): number {
  const m = new RegExp(`${base}/(\\d+)$`).exec(String(res.headers.location ?? ''));
  if (!m)
    throw new Error(`nothing created under ${base} (status ${res.status}, location ${String(res.headers.location)}): ${res.text?.slice(0, 300)}`);
  return Number(m[1]);
}

/** An agent with the CSRF token of one page, posting url-encoded forms with it. */
export interface FormAgent {
  agent: TestAgent;
  token: string;
  post(url: string, fields?: Record<string, string | string[]>): Promise<Response>;
}

/** Takes `agent`'s CSRF token from `csrfPath` (a guest's too) and posts forms with it. */
export async function formAgent(agent: TestAgent, csrfPath = '/'): Promise<FormAgent> {
  const token = await agent.csrf(csrfPath);
  return {
    agent,
    token,
    post: (url, fields = {}) =>
      agent.http
        .post(url)
        .type('form')
        .send({ _csrf: token, ...fields }),
  };
}

/** A new agent signed in as `username` (members' password unless given). */
export async function signedIn(app: TestApp, username: string, password = passwordOf(username)): Promise<TestAgent> {
  const agent = app.agent();
  await agent.login(username, password);
  return agent;
}

/**
 * A sub-network `/n/<slug>` of the root network (open, closed to guests, unless `columns` such as
 * `allow_guests`, `isolated` or `join_policy` say otherwise); the network cache is reloaded.
 */
export async function addSubNetwork(rt: Runtime, slug: string, name = `Network ${slug}`, columns: Record<string, unknown> = {}): Promise<number> {
  const id = await insertId(rt.db, 'networks', {
    slug,
    name,
    parent_id: rt.networks.root().id,
    join_policy: 'open',
    allow_guests: false,
    theme: 'default',
    locale: 'en',
    created_at: Date.now(),
    ...columns,
  });
  await rt.networks.load();
  return id;
}

/** Makes these members `role` of a network too. */
export async function addMemberships(rt: Runtime, networkId: number, userIds: number[], role = 'member'): Promise<void> {
  await rt.db('memberships').insert(userIds.map((user_id, i) => ({ user_id, network_id: networkId, role, created_at: i + 1 })));
}

/** An agent that fetches a fresh CSRF token from `csrfPath` for every form it posts. */
export interface PageAgent {
  agent: TestAgent;
  get(url: string): Promise<Response>;
  token(): Promise<string>;
  post(url: string, fields?: Record<string, string | string[]>): Promise<Response>;
}

export function pageAgent(agent: TestAgent, csrfPath: string): PageAgent {
  const token = (): Promise<string> => agent.csrf(csrfPath);
  return {
    agent,
    token,
    get: (url) => agent.http.get(url),
    async post(url, fields = {}) {
      const csrf = await token();
      return agent.http
        .post(url)
        .type('form')
        .send({ _csrf: csrf, ...fields });
    },
  };
}

/** `alice` → `Alice`: the display name the plugin tests give their members. */
export const capitalised = (username: string): string => `${username[0].toUpperCase()}${username.slice(1)}`;

/** Makes two members friends (both rows of `user_relations`). */
export async function befriend(rt: Runtime, a: number, b: number): Promise<void> {
  const now = Date.now();
  await rt.db('user_relations').insert([
    { user_id: a, other_id: b, kind: 'friend', created_at: now },
    { user_id: b, other_id: a, kind: 'friend', created_at: now },
  ]);
}

/**
 * A container entity (a group, as the groups plugin makes them, without that plugin) with these members,
 * in the root network unless `networkId` says otherwise; the owner is one of them, with `ownerRole`.
 */
export async function testContainer(
  rt: Runtime,
  ownerId: number,
  memberIds: number[],
  options: { networkId?: number; ownerRole?: 'member' | 'admin' } = {},
): Promise<number> {
  const networkId = options.networkId ?? rt.networks.root().id;
  const id = await rt.entities.create({ type: 'test_group', ownerId, networkId, access: 'members' });
  const now = Date.now();
  const role = (userId: number): string => (userId === ownerId ? (options.ownerRole ?? 'member') : 'member');
  await rt
    .db('container_members')
    .insert([...new Set([ownerId, ...memberIds])].map((user_id) => ({ container_id: id, user_id, role: role(user_id), created_at: now })));
  return id;
}

/**
 * Inserts `n` active members `<prefix>000`, `<prefix>001`… of a network straight into the tables (no
 * password: they never sign in), created a millisecond apart; display names `<prefix> 000`, or `<prefix> 0`
 * with `plainNumbers`.
 */
export async function bulkMembers(
  db: Knex,
  prefix: string,
  n: number,
  options: { networkId?: number; start?: number; plainNumbers?: boolean } = {},
): Promise<number[]> {
  const { networkId = 1, start = Date.now() } = options;
  const ids: number[] = [];
  for (let i = 0; i < n; i++) {
    const number = String(i).padStart(3, '0');
    const id = await insertUser(db, `${prefix}${number}`, { display_name: `${prefix} ${options.plainNumbers ? i : number}` }, start + i);
    await db('memberships').insert({ user_id: id, network_id: networkId, role: 'member', created_at: start + i });
    ids.push(id);
  }
  return ids;
}

/**
 * A group made through the groups plugin's form by `founder` (fails loudly unless the form
 * redirects to the new group), with `memberIds` added straight into its members.
 */
export async function formGroup(founder: PageAgent, rt: Runtime, fields: Record<string, string>, memberIds: number[] = []): Promise<number> {
  const made = await founder.post('/groups', fields);
  if (made.status !== 303) throw new Error(`the group form answered ${made.status} (location ${made.headers.location})`);
  const groupId = redirectedId(made, '/groups');
  const now = Date.now();
  if (memberIds.length)
    await rt.db('container_members').insert(memberIds.map((user_id) => ({ container_id: groupId, user_id, role: 'member', created_at: now })));
  return groupId;
}

/**
 * The members side of a plugin's test app (what the who-sees matrices need): members of the root
 * network (display name `Alice` for `alice`), signed in as agents posting forms with the CSRF
 * token of `csrfPath`, guests, containers, friendships, and guests let in or not.
 */
export interface MemberWorld {
  member(username: string, opts?: { role?: 'member' | 'moderator' | 'admin'; locale?: string }): Promise<number>;
  as(username: string): Promise<PageAgent>;
  /** Creates each member (as `member` does), then signs each in: their agents, in the order given. */
  signedInMembers(...usernames: string[]): Promise<PageAgent[]>;
  guest(): TestAgent;
  /** A container entity (a group, as the groups plugin makes them) with these members. */
  container(ownerId: number, memberIds: number[], ownerRole?: 'member' | 'admin'): Promise<number>;
  befriend(a: number, b: number): Promise<void>;
  allowGuests(allow: boolean): Promise<void>;
}

export function memberWorld(app: TestApp, csrfPath: string): MemberWorld {
  const rt = app.app.ruche;
  const member: MemberWorld['member'] = (username, opts = {}) => createMember(rt, username, { displayName: capitalised(username), ...opts });
  const as: MemberWorld['as'] = async (username) => pageAgent(await signedIn(app, username), csrfPath);
  return {
    member,
    as,
    async signedInMembers(...usernames) {
      for (const username of usernames) await member(username);
      const agents: PageAgent[] = [];
      for (const username of usernames) agents.push(await as(username));
      return agents;
    },
    guest: () => app.agent(),
    container: (ownerId, memberIds, ownerRole = 'member') => testContainer(rt, ownerId, memberIds, { ownerRole }),
    befriend: (a, b) => befriend(rt, a, b),
    allowGuests: (allow) => rt.networks.update(rt.networks.root().id, { allowGuests: allow }),
  };
}
