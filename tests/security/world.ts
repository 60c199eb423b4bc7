/**
 * Builds the world the security walks run in (its parts and actors: world-model.ts), once per
 * database, the way members make it: networks, people, their sessions, each scope's objects
 * (world-scope.ts), membership requests, a profile field, the plugins off by default with an
 * alert per scope, and the notification defaults' fields.
 */
import type { Knex } from 'knex';
import type { ConfigInput, NetworkInfo } from '../../core';
import { ADMIN, makeApp, type TestApp } from '../helpers/app';
import type { DbKind, FreshDatabase } from '../helpers/databases';
import { freshDatabase } from '../helpers/databases';
import { lastMailTo, pathOf } from '../helpers/mail';
import { snapshotter } from '../helpers/snapshot';
import {
  ACTORS,
  latest,
  matrixImage,
  PASSWORD,
  problems,
  RESIDENTS,
  SCOPES,
  SLUGS,
  VOLATILE_COLUMNS,
  type Actor,
  type ActorName,
  type Building,
  type NetKey,
  type Scope,
  type ScopeObjects,
  type Session,
  type World,
  type WorldObject,
} from './world-model';
import { enableOffByDefault, sendAlert } from './world-plugins';
import { scopeObjects } from './world-scope';

/** The networks each actor but the guest and the root belongs to, with the role there. */
const ACTOR_ROLES: Record<Exclude<ActorName, 'guest' | 'root'>, Partial<Record<NetKey, 'member' | 'admin'>>> = {
  member: { A: 'member', root: 'member' },
  coadmin: { A: 'member', root: 'member' },
  owner: { A: 'member', root: 'member' },
  adminA: { A: 'admin', root: 'member' },
  adminB: { B: 'admin', root: 'member' },
  partner: { P: 'member' },
};

/** The network each actor signs in to and works in. */
const HOME: Record<ActorName, NetKey> = {
  guest: 'root',
  member: 'A',
  coadmin: 'A',
  owner: 'A',
  adminA: 'A',
  adminB: 'B',
  partner: 'P',
  root: 'root',
};

/** Builds the world on a fresh database of `kind` (with `config` over the tests' own). */
export async function buildWorld(kind: DbKind, config?: ConfigInput): Promise<World> {
  const fresh: FreshDatabase = await freshDatabase(kind);
  let made: TestApp | undefined;
  try {
    made = await makeApp(fresh, { config });
    return await populate(kind, fresh, made);
  } catch (e) {
    await made?.close();
    await fresh.drop();
    throw e;
  }
}

async function populate(kind: DbKind, fresh: FreshDatabase, made: TestApp): Promise<World> {
  const b = await startBuilding(made);
  await addPeople(b);
  await signInEveryone(b);
  const objects = {} as Record<Scope, ScopeObjects>;
  // Connect in person is off by default: on in the root, A and B, so that its pages are walked too.
  for (const scope of SCOPES) await b.rt.pluginState.enable('connect', b.nets[scope].id);
  for (const scope of SCOPES) objects[scope] = await scopeObjects(b, scope);
  await requestMemberships(b, fresh, objects);
  const profileField = await addProfileField(b);
  // The plugins off by default, on once the content is made; an alert per scope, from an admin of its network to its group.
  await enableOffByDefault(made.app);
  await sendAlerts(b, objects);
  const formFields = await notificationFields(b);
  const snap = await snapshotter(b.db, kind, VOLATILE_COLUMNS);
  return {
    kind,
    made,
    app: made.app,
    db: b.db,
    nets: b.nets,
    actors: b.actors,
    objects,
    profileField,
    formFields,
    snap,
    prefix: b.prefix,
    netOf: (scope) => (scope === 'installation' ? 'root' : scope),
    async close() {
      await made.close();
      await fresh.drop();
    },
  };
}

/** The sub-networks (A and B by approval, the isolated partner P by invitation, two spares) and the builders' helpers. */
async function startBuilding(made: TestApp): Promise<Building> {
  const rt = made.app.ruche;
  const db = rt.db as Knex;
  const A = await rt.networks.create({ slug: SLUGS.A, name: 'Alpha', host: null, joinPolicy: 'approval' });
  const B = await rt.networks.create({ slug: SLUGS.B, name: 'Beta', host: null, joinPolicy: 'approval' });
  const P = await rt.networks.create({ slug: SLUGS.P, name: 'Partner', host: null, joinPolicy: 'invitation' });
  await rt.networks.update(P.id, { isolated: true });
  const spares = { A: 'gamma', B: 'delta' };
  for (const slug of Object.values(spares)) await rt.networks.create({ slug, name: slug, host: null });
  await rt.networks.load();
  const nets: Record<NetKey, NetworkInfo> = {
    root: rt.networks.root(),
    A: rt.networks.get(A.id)!,
    B: rt.networks.get(B.id)!,
    P: rt.networks.get(P.id)!,
  };
  const prefix = (net: NetKey): string => (net === 'root' ? '' : `/n/${SLUGS[net]}`);
  const ids: Record<string, number> = {};
  const addUser = async (username: string, roles: Partial<Record<NetKey, 'member' | 'admin'>>): Promise<number> => {
    const isolatedOnly = !roles.root;
    const created = await rt.users.create({
      username,
      email: `${username}@example.com`,
      password: PASSWORD,
      displayName: username[0].toUpperCase() + username.slice(1),
      emailVerified: true,
      networkId: isolatedOnly ? nets[Object.keys(roles)[0] as NetKey].id : undefined,
    });
    if ('errors' in created) throw new Error(`world: ${username}: ${JSON.stringify(created.errors)}`);
    for (const [net, role] of Object.entries(roles) as [NetKey, 'member' | 'admin'][]) {
      await db('memberships')
        .insert({ user_id: created.id, network_id: nets[net].id, role, created_at: Date.now() })
        .onConflict(['user_id', 'network_id'])
        .merge(['role']);
    }
    ids[username] = created.id;
    return created.id;
  };
  const signIn = async (username: string | null, password: string, net: NetKey): Promise<Session> => {
    const agent = made.agent();
    if (username) {
      const token = await agent.csrf(`${prefix(net)}/login`);
      const res = await agent.http
        .post(`${prefix(net)}/login`)
        .type('form')
        .send({ _csrf: token, login: username, password });
      if (res.status !== 303) throw new Error(`world: sign-in of ${username} answered ${res.status}`);
    }
    return { agent, token: await agent.csrf(`${prefix(net)}${username ? '/account' : '/login'}`) };
  };
  const actors = {} as Record<ActorName, Actor>;
  const residents: Record<string, Session> = {};
  const as = (who: ActorName | string): Session => (who in actors ? actors[who as ActorName] : residents[who]);
  /** A form post that must succeed (a redirect or a page below 400), as `who` in `net`. */
  const post = async (who: ActorName | string, net: NetKey, path: string, fields: Record<string, string> = {}): Promise<void> => {
    const { agent, token } = as(who);
    const res = await agent.http
      .post(`${prefix(net)}${path}`)
      .type('form')
      .set('Accept-Language', 'en')
      .send({ _csrf: token, ...fields });
    if (res.status >= 400) throw new Error(`world: ${who} POST ${prefix(net)}${path} answered ${res.status}: ${problems(res.text)}`);
  };
  /** The same with the small PNG in a multipart field: `files` (an upload), `attachments` (a content form's files). */
  const postFile = async (
    who: ActorName | string,
    net: NetKey,
    path: string,
    fields: Record<string, string> = {},
    field = 'files',
  ): Promise<void> => {
    const { agent, token } = as(who);
    const req = agent.http.post(`${prefix(net)}${path}`).set('Accept-Language', 'en');
    for (const [k, v] of Object.entries({ _csrf: token, ...fields })) req.field(k, v);
    const res = await req.attach(field, await matrixImage(), { filename: 'matrix.png', contentType: 'image/png' });
    if (res.status >= 400) throw new Error(`world: ${who} upload to ${prefix(net)}${path} answered ${res.status}: ${problems(res.text)}`);
  };
  return { rt, db, made, nets, spares, prefix, ids, actors, residents, now: Date.now(), addUser, signIn, post, postFile };
}

/** The actors' and the residents' accounts, in the networks their parts say. */
async function addPeople(b: Building): Promise<void> {
  for (const [name, roles] of Object.entries(ACTOR_ROLES)) await b.addUser(name.toLowerCase(), roles);
  for (const scope of SCOPES) {
    const roles: Partial<Record<NetKey, 'member' | 'admin'>> = scope === 'root' ? { root: 'member' } : { [scope]: 'member', root: 'member' };
    for (const u of Object.values(RESIDENTS[scope])) await b.addUser(u, roles);
  }
  b.ids.root = Number((await b.db('users').where({ username_lower: ADMIN.username }).first('id')).id);
}

/** Every actor signed in at home (the guest nowhere), and the residents who act in the world. */
async function signInEveryone(b: Building): Promise<void> {
  const { actors, ids } = b;
  for (const name of ACTORS) {
    const username = name === 'guest' ? null : name === 'root' ? ADMIN.username : name.toLowerCase();
    const { agent, token } = await b.signIn(username, name === 'root' ? ADMIN.password : PASSWORD, HOME[name]);
    actors[name] = {
      name,
      username,
      userId: username ? (name === 'root' ? ids.root : ids[username]) : null,
      agent,
      token,
      home: HOME[name],
      roles: name === 'guest' ? {} : name === 'root' ? { root: 'admin' } : ACTOR_ROLES[name],
      isRoot: name === 'root',
    };
  }
  // The root signs in with its own password; every other actor and resident shares PASSWORD.
  for (const scope of SCOPES) {
    for (const u of [RESIDENTS[scope].username, RESIDENTS[scope].joiner, RESIDENTS[scope].late]) b.residents[u] = await b.signIn(u, PASSWORD, scope);
  }
}

/**
 * Membership requests: someone registers in A and in B (both approve each request), follows
 * the verification link, and waits for an admin.
 */
async function requestMemberships(b: Building, fresh: FreshDatabase, objects: Record<Scope, ScopeObjects>): Promise<void> {
  const { made, prefix, db } = b;
  for (const scope of ['A', 'B'] as const) {
    const username = `applicant${scope.toLowerCase()}`;
    const guest = made.agent();
    const token = await guest.csrf(`${prefix(scope)}/register`);
    const res = await guest.http
      .post(`${prefix(scope)}/register`)
      .type('form')
      .send({
        _csrf: token,
        username,
        email: `${username}@example.com`,
        displayName: `Applicant ${scope}`,
        password: PASSWORD,
        passwordConfirm: PASSWORD,
      });
    if (res.status >= 400) throw new Error(`world: registration in ${scope} answered ${res.status}`);
    const mail = await lastMailTo(fresh.dataDir, `${username}@example.com`);
    await guest.http.get(pathOf(mail.link));
    const user = await db('users').where({ username_lower: username }).first('id', 'status');
    if (user?.status !== 'pending') throw new Error(`world: ${username} is ${user?.status}, not pending`);
    objects[scope].membershipRequest = { value: String(user.id), scope, user: username };
  }
}

/** A profile field of the installation, for the routes that name one. */
async function addProfileField(b: Building): Promise<WorldObject> {
  await b.post('root', 'root', '/admin/profile-fields', {
    key: 'matrix_field',
    label_en: 'Matrix field',
    label_fr: 'Champ matrice',
    type: 'text',
    visibility: 'members',
  });
  return { value: String(await latest(b.db, 'profile_fields')), scope: 'installation' };
}

/** An alert per scope, from an admin of its network to its group: `users` are its recipients. */
async function sendAlerts(b: Building, objects: Record<Scope, ScopeObjects>): Promise<void> {
  const { actors, ids, db, nets, prefix } = b;
  const byId = new Map(Object.values(actors).map((a) => [a.userId, a] as const));
  const nameOf = (userId: number): string => byId.get(userId)?.name ?? Object.keys(ids).find((u) => ids[u] === userId) ?? String(userId);
  const senders: Record<Scope, ActorName> = { A: 'adminA', B: 'adminB', root: 'root' };
  for (const scope of SCOPES) {
    const sender = actors[senders[scope]];
    const group = Number(objects[scope].group.value);
    const sent = await sendAlert(db, nets[scope], prefix(scope), sender, group, (userId) => byId.get(userId)?.agent);
    objects[scope].alert = { value: String(sent.id), scope, user: sender.name, users: sent.recipients.map(nameOf) };
  }
}

/** The notification defaults form has a field per kind of notification: their names, read from the page. */
async function notificationFields(b: Building): Promise<Record<string, string>> {
  const page = await b.actors.root.agent.http.get('/notifications/defaults');
  const formFields: Record<string, string> = {};
  for (const m of page.text.matchAll(/name="(freq_[^"]+)"/g)) formFields[m[1]] = 'weekly';
  return formFields;
}
