/**
 * The world the security walks run in, built once per database: a root network (the
 * installation), two ordinary sub-networks A (`alpha`) and B (`beta`), an isolated partner
 * sub-network P (`partner`), the eight actors of issue 16, a few residents who are not actors,
 * and in each of A, B and the root one object of every kind a route parameter can name
 * (group, status, blog post, topic, reply, comment, conversation, connection request, group
 * invitation and join request, membership request, session, API token, notification, a file of
 * the group's library with its folder and an earlier version, an album with a photo, a photo
 * attached to a status post in the group and one attached to a message), made
 * the way members make them: through the pages, with forms.
 *
 * The actors and where they belong:
 *   guest    signed in nowhere
 *   member   a plain member of A (and of the root, as every non-isolated registration is)
 *   owner    a member of A who owns A's group and wrote A's content
 *   coadmin  a member of A, co-admin of A's group
 *   adminA   an admin of A, a plain member of the root
 *   adminB   an admin of B, a plain member of the root; wrote B's content
 *   partner  a member of the isolated partner network only
 *   root     the installation's administrator; wrote the root's content
 */
import type { Knex } from 'knex';
import sharp from 'sharp';
import type { ConfigInput, NetworkInfo, RucheApp } from '../../core';
import { sha256 } from '../../core/auth/tokens';
import { ADMIN, makeApp, type TestAgent, type TestApp } from '../helpers/app';
import type { DbKind, FreshDatabase } from '../helpers/databases';
import { freshDatabase } from '../helpers/databases';
import { lastMailTo, pathOf } from '../helpers/mail';
import { snapshotter, type Snapshotter } from '../helpers/snapshot';
import { enableOffByDefault, sendAlert } from './world-plugins';

export const PASSWORD = 'violet staple engine 7';
export const NEW_PASSWORD = 'amber lantern river 42';

export const ACTORS = ['guest', 'member', 'coadmin', 'owner', 'adminA', 'adminB', 'partner', 'root'] as const;
export type ActorName = (typeof ACTORS)[number];
// The root first: a plugin is enabled there before a sub-network may enable it.
export const SCOPES = ['root', 'A', 'B'] as const;
export type Scope = (typeof SCOPES)[number];
export type NetKey = Scope | 'P';

export interface Actor {
  name: ActorName;
  username: string | null;
  userId: number | null;
  agent: TestAgent;
  /** The CSRF token of this agent's session (the cookie does not change for its lifetime). */
  token: string;
  /** The network the actor works in: where a request on an object of another network is also tried. */
  home: NetKey;
  /** Networks the actor belongs to, with the role there. */
  roles: Partial<Record<NetKey, 'member' | 'admin'>>;
  isRoot: boolean;
}

/** An object a route parameter names, with what the expectation rules need to know about it. */
export interface WorldObject {
  /** The value put in the URL. */
  value: string;
  /** The owning scope: a network, or the installation (site-wide tables). */
  scope: Scope | 'installation';
  /** Its author / the one person it belongs to (sessions, tokens, notifications, invitations). */
  user?: ActorName | string;
  /** Every person it belongs to (a conversation's participants). */
  users?: (ActorName | string)[];
  /** For a group or what lives in one: its owner and its admins. */
  groupOwner?: ActorName;
  groupAdmins?: ActorName[];
  /** Set when the value names something of whichever network the request is for (a plugin, a tag). */
  named?: true;
  /** Form values that must match the object (a group's name to confirm a deletion). */
  fields?: Record<string, string>;
  /** For an attached file: the path of its parent's page (`/status/12`, `/messages/3`). */
  parent?: string;
}

export interface ScopeObjects {
  group: WorldObject;
  status: WorldObject;
  apiStatus: WorldObject;
  apiComment: WorldObject;
  groupOtherMember: WorldObject;
  blog: WorldObject;
  event: WorldObject;
  topic: WorldObject;
  /** A named poll of the author's in the network, with the option a vote picks. */
  poll: WorldObject;
  /** Another poll of the author's that nobody votes in: edited (a poll is edited until its first vote). */
  pollToEdit: WorldObject;
  /** An idea of the author's in the network's idea box. */
  idea: WorldObject;
  reply: WorldObject;
  comment: WorldObject;
  conversation: WorldObject;
  /** A conversation of three (people can be added to it; not to a one-to-one). */
  groupConversation: WorldObject;
  connectionRequest: WorldObject;
  connectionRequest2: WorldObject;
  connectionSent: WorldObject;
  invitation: WorldObject;
  invitation2: WorldObject;
  openGroup: WorldObject;
  friend: WorldObject;
  stranger: WorldObject;
  joinRequester2: WorldObject;
  /** A member of the group (not an admin) and a pending join request's author. */
  groupMember: WorldObject;
  groupCoadmin: WorldObject;
  joinRequester: WorldObject;
  resident: WorldObject;
  /** The member the members console acts on (role, suspension, reset link, sessions: one open). */
  managed: WorldObject;
  /** A member banned from the network (the console lifts the ban). */
  banned: WorldObject;
  /** A bot of the network (Admin → Bots) and one of its API tokens. */
  bot: WorldObject;
  botToken: WorldObject;
  session: WorldObject;
  apiToken: WorldObject;
  /** The author's archive of their data (core/members/export.ts), ready to download. */
  memberExport: WorldObject;
  /** A webhook of the network, and one of its deliveries (failed: to send again). */
  webhook: WorldObject;
  webhookDelivery: WorldObject;
  notification: WorldObject;
  /** A moderators' warning to the author (read by its recipient only). */
  warning: WorldObject;
  /** A moderators' decision hiding a status, in the history, for them to restore. */
  moderationDecision: WorldObject;
  /** A watched word of the network (moderation), for its admins to remove. */
  watchedWord: WorldObject;
  membershipRequest?: WorldObject;
  /** A file of the group's library (the author's), its folder, and one of its earlier versions. */
  document: WorldObject;
  folder: WorldObject;
  fileVersion: WorldObject;
  /** An album of the group's library (the author's) with a photo. */
  album: WorldObject;
  /** A photo attached to a status post of the author's in the group, and one attached to a message of the conversation. */
  attachment: WorldObject;
  messageAttachment: WorldObject;
  /** A resident's current code to connect in person (the page it opens, its QR: its owner's only). */
  connectCode: WorldObject;
  network?: WorldObject;
  /** A sub-network nobody uses, to archive. */
  spareNetwork?: WorldObject;
  /** An urgent alert an admin of the network sent to its group: `users` are its recipients (world-plugins.ts). */
  alert?: WorldObject;
}

export interface World {
  kind: DbKind;
  made: TestApp;
  app: RucheApp;
  db: Knex;
  nets: Record<NetKey, NetworkInfo>;
  actors: Record<ActorName, Actor>;
  objects: Record<Scope, ScopeObjects>;
  profileField: WorldObject;
  /** Form fields whose names depend on what is installed (a notification frequency per kind). */
  formFields: Record<string, string>;
  snap: Snapshotter;
  /** `''` for the root, `/n/<slug>` for a sub-network. */
  prefix(net: NetKey): string;
  /** Which network key a scope's objects live in. */
  netOf(scope: Scope | 'installation'): NetKey;
  close(): Promise<void>;
}

/**
 * How long one walk over the world may take: thousands of requests, each followed by a snapshot of
 * every table — five minutes on SQLite at load 20, twenty on PostgreSQL at load 40 (the refused
 * actors' walk; the CI machine runs ~1,800 tests on two cores). A bound for a stuck walk, not a
 * measure: bench/ measures speed.
 */
export const WALK_TIMEOUT_MS = 30 * 60_000;

/** Columns every request may touch without it being a change: a session's last-seen time, and its member's last activity. */
export const VOLATILE_COLUMNS = ['sessions.last_seen_at', 'users.last_active_at'];

const SLUGS: Record<Exclude<NetKey, 'root'>, string> = { A: 'alpha', B: 'beta', P: 'partner' };
/** Residents: members of a scope who are not actors (people to follow, invite, write to). */
export const RESIDENTS: Record<
  Scope,
  { username: string; joiner: string; invitee: string; extra: string; late: string; decliner: string; managed: string }
> = {
  A: { username: 'alice', joiner: 'carol', invitee: 'ivan', extra: 'amy', late: 'lea', decliner: 'dan', managed: 'mia' },
  B: { username: 'bob', joiner: 'dave', invitee: 'ines', extra: 'ben', late: 'leo', decliner: 'dora', managed: 'max' },
  root: { username: 'rita', joiner: 'sam', invitee: 'iris', extra: 'ray', late: 'lou', decliner: 'drew', managed: 'mel' },
};
/** Every group of the world has this name (its edit form keeps it): the deletion asks for it. */
export const GROUP_NAME = 'Matrix name';
/** Who wrote each scope's content and owns its group. */
export const AUTHOR: Record<Scope, ActorName> = { A: 'owner', B: 'adminB', root: 'root' };

let png: Promise<Buffer> | undefined;
/** The small PNG every upload of the walks sends (a profile photo, a file, a file's new version). */
export function matrixImage(): Promise<Buffer> {
  png ??= sharp({ create: { width: 64, height: 64, channels: 3, background: { r: 200, g: 90, b: 40 } } })
    .png()
    .toBuffer();
  return png;
}

async function latest(db: Knex, table: string, column = 'id', where: Record<string, unknown> = {}): Promise<number> {
  const row = await db(table).where(where).max({ m: column }).first();
  const id = Number(row?.m);
  if (!id) throw new Error(`world: nothing in ${table} ${JSON.stringify(where)}`);
  return id;
}

/** The error messages of a refused form (or the start of the page), for a readable failure. */
export function problems(html: string): string {
  const found = [...html.matchAll(/class="[^"]*(?:error|alert|flash)[^"]*"[^>]*>([^<]{3,200})/g)].map((m) => m[1].trim());
  return found.length ? found.join(' | ') : html.slice(0, 200).replace(/\s+/g, ' ');
}

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
  const app = made.app;
  const rt = app.ruche;
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
  const netOf = (scope: Scope | 'installation'): NetKey => (scope === 'installation' ? 'root' : scope);

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
  const actorRoles: Record<Exclude<ActorName, 'guest' | 'root'>, Partial<Record<NetKey, 'member' | 'admin'>>> = {
    member: { A: 'member', root: 'member' },
    coadmin: { A: 'member', root: 'member' },
    owner: { A: 'member', root: 'member' },
    adminA: { A: 'admin', root: 'member' },
    adminB: { B: 'admin', root: 'member' },
    partner: { P: 'member' },
  };
  for (const [name, roles] of Object.entries(actorRoles)) await addUser(name.toLowerCase(), roles);
  for (const scope of SCOPES) {
    const roles: Partial<Record<NetKey, 'member' | 'admin'>> = scope === 'root' ? { root: 'member' } : { [scope]: 'member', root: 'member' };
    for (const u of Object.values(RESIDENTS[scope])) await addUser(u, roles);
  }
  ids.root = Number((await db('users').where({ username_lower: ADMIN.username }).first('id')).id);

  const home: Record<ActorName, NetKey> = {
    guest: 'root',
    member: 'A',
    coadmin: 'A',
    owner: 'A',
    adminA: 'A',
    adminB: 'B',
    partner: 'P',
    root: 'root',
  };
  const signIn = async (username: string | null, password: string, net: NetKey): Promise<{ agent: TestAgent; token: string }> => {
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
  for (const name of ACTORS) {
    const username = name === 'guest' ? null : name === 'root' ? ADMIN.username : name.toLowerCase();
    const { agent, token } = await signIn(username, name === 'root' ? ADMIN.password : PASSWORD, home[name]);
    actors[name] = {
      name,
      username,
      userId: username ? (name === 'root' ? ids.root : ids[username]) : null,
      agent,
      token,
      home: home[name],
      roles: name === 'guest' ? {} : name === 'root' ? { root: 'admin' } : actorRoles[name],
      isRoot: name === 'root',
    };
  }
  // The root signs in with its own password; every other actor and resident shares PASSWORD.
  const residents: Record<string, { agent: TestAgent; token: string }> = {};
  for (const scope of SCOPES) {
    for (const u of [RESIDENTS[scope].username, RESIDENTS[scope].joiner, RESIDENTS[scope].late]) residents[u] = await signIn(u, PASSWORD, scope);
  }
  const as = (who: ActorName | string): { agent: TestAgent; token: string } => (who in actors ? actors[who as ActorName] : residents[who]);

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

  const objects = {} as Record<Scope, ScopeObjects>;
  const now = Date.now();
  // Connect in person is off by default: on in the root, A and B, so that its pages are walked too.
  for (const scope of SCOPES) await rt.pluginState.enable('connect', nets[scope].id);
  for (const scope of SCOPES) {
    const net: NetKey = scope;
    const author = AUTHOR[scope];
    const { username: resident, joiner } = RESIDENTS[scope];
    // A's group has a co-admin actor; elsewhere the resident is a plain member of the group.
    const coadmin = scope === 'A' ? 'coadmin' : resident;
    const groupName = GROUP_NAME;
    // "This network" is not a choice at the root, where it would mean every member.
    const access = scope === 'root' ? 'members' : 'network';
    await post(author, net, '/groups', { name: groupName, description: `The group of ${scope}.`, category: 'social', visibility: 'closed' });
    const groupId = await latest(db, 'groups', 'entity_id');
    const groupAdmins: ActorName[] = scope === 'A' ? ['owner', 'coadmin'] : [author];
    await db('container_members').insert([
      { container_id: groupId, user_id: ids[coadmin], role: scope === 'A' ? 'admin' : 'member', created_at: now },
      ...(scope === 'A' ? [{ container_id: groupId, user_id: ids[resident], role: 'member', created_at: now }] : []),
      { container_id: groupId, user_id: ids[RESIDENTS[scope].extra], role: 'member', created_at: now },
    ]);
    const group: WorldObject = { value: String(groupId), scope, user: author, groupOwner: author, groupAdmins, fields: { confirm: groupName } };
    await post(joiner, net, `/groups/${groupId}/join`);
    await post(RESIDENTS[scope].late, net, `/groups/${groupId}/join`);
    // An open group the weakest permitted actor belongs to, to leave.
    await post(author, net, '/groups', { name: groupName, description: `Open to all in ${scope}.`, category: 'social', visibility: 'open' });
    const openGroupId = await latest(db, 'groups', 'entity_id');
    const leaver = scope === 'B' ? 'root' : 'member';
    await db('container_members').insert([
      { container_id: openGroupId, user_id: actors[leaver].userId, role: 'member', created_at: now },
      { container_id: openGroupId, user_id: ids[RESIDENTS[scope].extra], role: 'member', created_at: now },
    ]);
    // The member of A is invited into A's group; elsewhere the scope's joiner... is already asking: invite someone else.
    // A's groups invite the admin of A (an actor, who may accept one and decline the other; the
    // member of A is the one who asks to join); elsewhere residents.
    const invitee = scope === 'A' ? 'adminA' : RESIDENTS[scope].invitee;
    await post(author, net, `/groups/${groupId}/invite`, { username: scope === 'A' ? actors.adminA.username! : invitee });
    const invitationId = await latest(db, 'group_invitations');
    const invitation: WorldObject = { value: String(invitationId), scope, user: invitee, groupOwner: author, groupAdmins };
    // A second invitation, to decline: the admin of A in A; a resident elsewhere.
    const decliner = scope === 'A' ? 'adminA' : RESIDENTS[scope].decliner;
    await post(author, net, `/groups/${scope === 'A' ? openGroupId : groupId}/invite`, {
      username: scope === 'A' ? actors.adminA.username! : decliner,
    });
    const invitation2: WorldObject = { value: String(await latest(db, 'group_invitations')), scope, user: decliner, groupOwner: author, groupAdmins };

    await post(author, net, '/status', { body: `A status in ${scope} #matrix`, access });
    const statusId = await latest(db, 'status_posts', 'entity_id');
    // A second status for the JSON API routes, so that the pages' and the API's actions each have theirs.
    await post(author, net, '/status', { body: `Another status in ${scope}`, access });
    const apiStatusId = await latest(db, 'status_posts', 'entity_id');
    await post(author, net, '/blogs', { title: `A post in ${scope}`, body: 'Some words.', access, status: 'published', tags: 'matrix' });
    const blogId = await latest(db, 'blog_posts', 'entity_id');
    await post(author, net, '/events', { title: `An event in ${scope}`, body: 'Come along.', starts: '2099-06-01T10:00', access, tags: 'matrix' });
    const eventId = await latest(db, 'events', 'entity_id');
    // A resident's code (asked for on the page), and an attendee of the event without one (the name badges issue it).
    // The code's owner has no connection request with anyone: asking to connect by it must write a new one.
    const coder = RESIDENTS[scope].decliner;
    residents[coder] = await signIn(coder, PASSWORD, scope);
    await post(coder, net, '/connect/rotate');
    const connectCode = String((await db('connect_codes').where({ user_id: ids[coder], network_id: nets[net].id }).first('code')).code);
    await post(RESIDENTS[scope].late, net, `/events/${eventId}/rsvp`, { answer: 'going' });
    await post(author, net, '/discussions', { title: `A topic in ${scope}`, body: 'A question?', access, tags: 'matrix' });
    const topicId = await latest(db, 'discussion_topics', 'entity_id');
    await post(author, net, '/polls', { question: `A poll in ${scope}?`, options: 'Yes\nNo', results: 'always', access });
    const pollId = await latest(db, 'polls_polls', 'entity_id');
    const optionId = Number((await db('polls_options').where({ poll_id: pollId }).orderBy('position').first('id')).id);
    await post(author, net, '/polls', { question: `A poll to edit in ${scope}?`, options: 'Yes\nNo', results: 'always', access });
    const pollToEditId = await latest(db, 'polls_polls', 'entity_id');
    await post(author, net, '/ideas', { title: `An idea in ${scope}`, body: 'Some words.', access });
    const ideaId = await latest(db, 'polls_ideas', 'entity_id');
    await post(author, net, `/discussions/${topicId}/replies`, { body: 'An answer.' });
    const replyId = await latest(db, 'discussion_replies');
    await post(author, net, `/entities/${statusId}/comments`, { body: 'A comment.' });
    const commentId = await latest(db, 'comments');
    await post(author, net, `/entities/${apiStatusId}/comments`, { body: 'A comment for the API.' });
    const apiCommentId = await latest(db, 'comments');
    await post(author, net, '/messages', { to: resident, subject: 'Hello', body: 'A private word.' });
    const conversationId = await latest(db, 'conversations');
    await post(author, net, '/messages', { to: `${resident} ${joiner}`, subject: 'Hello all', body: 'A word for three.' });
    const groupConversationId = await latest(db, 'conversations');
    // Connection requests to the author (to accept, to decline) and from the author (to cancel).
    await post(resident, net, `/people/${actors[author].username}/connect`);
    const requestId = await latest(db, 'connection_requests');
    await post(joiner, net, `/people/${actors[author].username}/connect`);
    const requestId2 = await latest(db, 'connection_requests');
    await post(author, net, `/people/${RESIDENTS[scope].late}/connect`);
    const sentId = await latest(db, 'connection_requests');
    // The weakest permitted actor is connected with the scope's extra resident, to disconnect.
    const friendOf = scope === 'B' ? 'adminB' : 'member';
    for (const [a, b] of [
      [actors[friendOf].userId!, ids[RESIDENTS[scope].extra]],
      [ids[RESIDENTS[scope].extra], actors[friendOf].userId!],
    ]) {
      await db('user_relations').insert({ user_id: a, other_id: b, kind: 'friend', created_at: now });
    }
    // A file in a folder of the group's library, given a second version (its first is the history).
    await post(author, net, `/files/in/${groupId}/folders`, { name: 'Matrix folder' });
    const folderId = await latest(db, 'files_folders');
    await postFile(author, net, '/files', { container: String(groupId), folder: String(folderId), access });
    const fileId = await latest(db, 'files_items', 'entity_id');
    await postFile(author, net, `/files/${fileId}/versions`);
    const versionId = await latest(db, 'files_versions');
    await post(author, net, '/files/albums', { title: 'Matrix album', container: String(groupId), access });
    const albumId = await latest(db, 'files_albums', 'entity_id');
    await postFile(author, net, '/files', { album: String(albumId) });
    const notificationId = await latest(db, 'notifications', 'id', { user_id: actors[author].userId });
    // Attached files: a photo on a status post in the group, and one on a message of the conversation.
    await postFile(author, net, '/status', { body: `Photos of ${scope}`, access: 'group', container: String(groupId) }, 'attachments');
    const attachedStatusId = await latest(db, 'status_posts', 'entity_id');
    const attachmentId = await latest(db, 'files_items', 'entity_id', { parent_kind: 'status', parent_id: attachedStatusId });
    await postFile(author, net, `/messages/${conversationId}/reply`, { body: 'The photo.' }, 'attachments');
    const messageAttachmentId = await latest(db, 'files_items', 'entity_id', { parent_kind: 'message' });
    // Open reports for the moderators to decide on: the status, the resident as a member and the comment; a warning to the author.
    await post(resident, net, `/moderation/report/entity/${statusId}`, { reason: 'spam' });
    await post(joiner, net, `/moderation/report/member/${resident}`, { reason: 'harassment' });
    await post(resident, net, `/moderation/report/piece/comment/${commentId}`, { reason: 'spam' });
    await db('moderation_warnings').insert({
      network_id: nets[net].id,
      user_id: actors[author].userId,
      target_type: 'entity',
      target_id: statusId,
      message: 'A warning from the matrix.',
      created_by: actors.root.userId,
      created_at: now,
    });
    const warningId = await latest(db, 'moderation_warnings');
    // A status the network's moderators hid: its decision is in the history, to restore.
    await post(author, net, '/status', { body: `A hidden status in ${scope}`, access });
    const hiddenStatusId = await latest(db, 'status_posts', 'entity_id');
    await post(resident, net, `/moderation/report/entity/${hiddenStatusId}`, { reason: 'spam' });
    await post('root', net, `/moderation/entities/${hiddenStatusId}/decide`, { decision: 'hide' });
    const decisionId = await latest(db, 'moderation_decisions', 'id', { target_id: hiddenStatusId, decision: 'hide' });
    await db('moderation_watched_words').insert({
      network_id: nets[net].id,
      key: `matrixword${net.toLowerCase()}`,
      pattern: `matrixword${net.toLowerCase()}`,
      action: 'flag',
      replacement: '',
      created_by: actors.root.userId,
      updated_at: now,
    });
    const watchedWordId = await latest(db, 'moderation_watched_words');
    // A second session of the author (never the one its agent uses).
    const sessionId = sha256(await rt.sessions.create(actors[author].userId!));
    // The console's member has a session an admin can end.
    await rt.sessions.create(ids[RESIDENTS[scope].managed]);
    // A member banned from the network, whose ban the console lifts.
    const bannedName = `banned${scope.toLowerCase()}`;
    await addUser(bannedName, { [net]: 'member' });
    await rt.bans.ban(nets[net].id, ids[bannedName], 'A matrix ban.', actors.root.userId!);
    const apiToken = await rt.apiTokens.create(actors[author].userId!, `Token of ${scope}`);
    const botInput = {
      displayName: `Bot of ${scope}`,
      username: `bot${scope.toLowerCase()}`,
      description: '',
      scope: 'network' as const,
      networkIds: [],
      groupIds: [],
    };
    const botId = await db.transaction((trx) => rt.bots.create(trx, nets[net].id, botInput, actors.root.userId!));
    const botToken = await rt.apiTokens.create(botId, `Bot token of ${scope}`, 'write');
    const exportKey = `exports/${actors[author].userId}/matrix-${scope}.zip`;
    await rt.storage.put(exportKey, Buffer.from('PK\x05\x06'.padEnd(22, '\0')), 'application/zip');
    const madeAt = Date.now();
    await db('member_exports').insert({
      user_id: actors[author].userId,
      network_id: rt.networks.root().id,
      status: 'ready',
      storage_key: exportKey,
      size: 22,
      requested_at: madeAt,
      ready_at: madeAt,
      expires_at: madeAt + 86_400_000,
    });
    const exportId = await latest(db, 'member_exports');
    // A webhook of the network (a public documentation address: no lookup, no private address) with one failed delivery to send again.
    await db('webhooks').insert({
      network_id: nets[net].id,
      url: `https://203.0.113.10/matrix-${scope}`,
      events: JSON.stringify(['core.member.joined']),
      secret: `whsec_matrix_${scope}`,
      owner: 'admin',
      created_at: madeAt,
    });
    const webhookId = await latest(db, 'webhooks');
    await db('webhook_deliveries').insert({
      webhook_id: webhookId,
      event: 'core.member.joined',
      body: '{}',
      status: 'failed',
      attempts: 9,
      created_at: madeAt,
    });
    const deliveryId = await latest(db, 'webhook_deliveries');

    const inScope = (value: number | string, extra: Partial<WorldObject> = {}): WorldObject => ({
      value: String(value),
      scope,
      user: author,
      groupOwner: author,
      groupAdmins,
      ...extra,
    });
    objects[scope] = {
      group,
      status: inScope(statusId),
      apiStatus: inScope(apiStatusId),
      apiComment: inScope(apiCommentId),
      blog: inScope(blogId),
      event: inScope(eventId),
      connectCode: { value: connectCode, scope, user: coder },
      topic: inScope(topicId),
      poll: inScope(pollId, { fields: { option: String(optionId) } }),
      pollToEdit: inScope(pollToEditId),
      idea: inScope(ideaId),
      reply: inScope(replyId),
      comment: inScope(commentId),
      conversation: { value: String(conversationId), scope, user: author, users: [author, resident] },
      groupConversation: {
        value: String(groupConversationId),
        scope,
        user: author,
        users: [author, resident, joiner],
        fields: { to: RESIDENTS[scope].extra },
      },
      connectionRequest: { value: String(requestId), scope, user: author },
      connectionRequest2: { value: String(requestId2), scope, user: author },
      connectionSent: { value: String(sentId), scope, user: author },
      invitation,
      invitation2,
      openGroup: { value: String(openGroupId), scope, user: author, groupOwner: author, groupAdmins: [author] },
      friend: { value: RESIDENTS[scope].extra, scope, user: RESIDENTS[scope].extra },
      stranger: { value: RESIDENTS[scope].invitee, scope, user: RESIDENTS[scope].invitee },
      joinRequester2: { value: String(ids[RESIDENTS[scope].late]), scope, user: RESIDENTS[scope].late, groupOwner: author, groupAdmins },
      groupMember: {
        value: String(ids[scope === 'A' ? resident : coadmin]),
        scope,
        user: scope === 'A' ? resident : coadmin,
        groupOwner: author,
        groupAdmins,
      },
      groupOtherMember: { value: String(ids[RESIDENTS[scope].extra]), scope, user: RESIDENTS[scope].extra, groupOwner: author, groupAdmins },
      groupCoadmin: { value: String(scope === 'A' ? ids.coadmin : ids[coadmin]), scope, user: coadmin, groupOwner: author, groupAdmins },
      joinRequester: { value: String(ids[joiner]), scope, user: joiner, groupOwner: author, groupAdmins },
      resident: { value: resident, scope, user: resident },
      managed: { value: String(ids[RESIDENTS[scope].managed]), scope, user: RESIDENTS[scope].managed },
      banned: { value: String(ids[bannedName]), scope, user: bannedName },
      bot: { value: String(botId), scope },
      botToken: { value: String(botToken.id), scope },
      document: inScope(fileId),
      folder: inScope(folderId),
      fileVersion: inScope(versionId),
      album: inScope(albumId),
      attachment: inScope(attachmentId, { parent: `/status/${attachedStatusId}` }),
      messageAttachment: {
        value: String(messageAttachmentId),
        scope,
        user: author,
        users: [author, resident],
        parent: `/messages/${conversationId}`,
      },
      session: { value: sessionId, scope, user: author },
      apiToken: { value: String(apiToken.id), scope, user: author },
      memberExport: { value: String(exportId), scope, user: author },
      webhook: { value: String(webhookId), scope },
      webhookDelivery: { value: String(deliveryId), scope },
      notification: { value: String(notificationId), scope, user: author },
      warning: { value: String(warningId), scope, user: author },
      moderationDecision: { value: String(decisionId), scope },
      watchedWord: { value: String(watchedWordId), scope },
      network: scope === 'root' ? undefined : { value: SLUGS[scope], scope: 'installation' },
      spareNetwork: scope === 'root' ? undefined : { value: spares[scope], scope: 'installation' },
    };
  }
  // Membership requests: someone registers in A and in B (both approve each request), follows
  // the verification link, and waits for an admin.
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
  await post('root', 'root', '/admin/profile-fields', {
    key: 'matrix_field',
    label_en: 'Matrix field',
    label_fr: 'Champ matrice',
    type: 'text',
    visibility: 'members',
  });
  const profileField: WorldObject = { value: String(await latest(db, 'profile_fields')), scope: 'installation' };

  // The plugins off by default, on once the content is made; an alert per scope, from an admin of its network to its group.
  await enableOffByDefault(app);
  const byId = new Map(Object.values(actors).map((a) => [a.userId, a] as const));
  const nameOf = (userId: number): string => byId.get(userId)?.name ?? Object.keys(ids).find((u) => ids[u] === userId) ?? String(userId);
  const senders: Record<Scope, ActorName> = { A: 'adminA', B: 'adminB', root: 'root' };
  for (const scope of SCOPES) {
    const sender = actors[senders[scope]];
    const group = Number(objects[scope].group.value);
    const sent = await sendAlert(db, nets[scope], prefix(scope), sender, group, (userId) => byId.get(userId)?.agent);
    objects[scope].alert = { value: String(sent.id), scope, user: sender.name, users: sent.recipients.map(nameOf) };
  }

  // The notification defaults form has a field per kind of notification: read their names from the page.
  const page = await actors.root.agent.http.get('/notifications/defaults');
  const formFields: Record<string, string> = {};
  for (const m of page.text.matchAll(/name="(freq_[^"]+)"/g)) formFields[m[1]] = 'weekly';
  const snap = await snapshotter(db, kind, VOLATILE_COLUMNS);
  return {
    kind,
    made,
    app,
    db,
    nets,
    actors,
    objects,
    profileField,
    formFields,
    snap,
    prefix,
    netOf,
    async close() {
      await made.close();
      await fresh.drop();
    },
  };
}
