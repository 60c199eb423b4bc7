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
import type { NetworkInfo, RucheApp, Runtime } from '../../core';
import type { TestAgent, TestApp } from '../helpers/app';
import type { DbKind } from '../helpers/databases';
import type { Snapshotter } from '../helpers/snapshot';

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

/** An agent signed in (or not) and the CSRF token of its session. */
export interface Session {
  agent: TestAgent;
  token: string;
}

/** What the world's steps share while it is built (world.ts, world-scope.ts). */
export interface Building {
  rt: Runtime;
  db: Knex;
  made: TestApp;
  nets: Record<NetKey, NetworkInfo>;
  /** Sub-networks nobody uses, to archive: by the scope whose admins see them. */
  spares: Record<'A' | 'B', string>;
  /** `''` for the root, `/n/<slug>` for a sub-network. */
  prefix(net: NetKey): string;
  /** Every member's id by username (`root` for the installation's administrator). */
  ids: Record<string, number>;
  actors: Record<ActorName, Actor>;
  residents: Record<string, Session>;
  now: number;
  addUser(username: string, roles: Partial<Record<NetKey, 'member' | 'admin'>>): Promise<number>;
  signIn(username: string | null, password: string, net: NetKey): Promise<Session>;
  /** A form post that must succeed (a redirect or a page below 400), as `who` in `net`. */
  post(who: ActorName | string, net: NetKey, path: string, fields?: Record<string, string>): Promise<void>;
  /** The same with the small PNG in a multipart field: `files` (an upload), `attachments` (a content form's files). */
  postFile(who: ActorName | string, net: NetKey, path: string, fields?: Record<string, string>, field?: string): Promise<void>;
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

/** The sub-networks' slugs. */
export const SLUGS: Record<Exclude<NetKey, 'root'>, string> = { A: 'alpha', B: 'beta', P: 'partner' };
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

/** The newest id (or `column`) of `table` where `where` holds: what a form just made. */
export async function latest(db: Knex, table: string, column = 'id', where: Record<string, unknown> = {}): Promise<number> {
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
