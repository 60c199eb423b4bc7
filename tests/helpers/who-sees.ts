/**
 * The expected answer of the access model for content at each level (core/access), as the
 * plugin tests' visibility matrices check it: which kinds of viewer may see the content.
 * `matrixViewers(app)` sets those viewers up in a plugin's test app.
 */
import type { Response } from 'supertest';
import { ADMIN, type TestAgent } from './app';
import type { PageAgent } from './members';

export const ACCESS_LEVELS = ['private', 'friends', 'group', 'network', 'members', 'public'] as const;
export type AccessLevelName = (typeof ACCESS_LEVELS)[number];

/** The owner, a friend of theirs, a member of the network, a member of the content's group, staff and a guest. */
export const VIEWERS = ['owner', 'friend', 'member', 'groupie', 'moderator', 'admin', 'guest'] as const;
export type Viewer = (typeof VIEWERS)[number];

export const SEES: Record<AccessLevelName, readonly Viewer[]> = {
  private: ['owner', 'moderator', 'admin'],
  friends: ['owner', 'friend', 'moderator', 'admin'],
  group: ['owner', 'groupie', 'moderator', 'admin'],
  network: ['owner', 'friend', 'member', 'groupie', 'moderator', 'admin'],
  members: ['owner', 'friend', 'member', 'groupie', 'moderator', 'admin'],
  public: ['owner', 'friend', 'member', 'groupie', 'moderator', 'admin', 'guest'],
};

/** What a plugin's test app offers to set up the viewers of a matrix (the blogs and files apps do). */
export interface MatrixApp {
  member(username: string, opts?: { role?: 'member' | 'moderator' | 'admin' }): Promise<number>;
  befriend(a: number, b: number): Promise<void>;
  /** A container owned by `ownerId` with these members. */
  container(ownerId: number, memberIds: number[]): Promise<number>;
  allowGuests(allow: boolean): Promise<void>;
  as(username: string): Promise<PageAgent>;
  guest(): TestAgent;
}

/** Each signed-in viewer's username: olga owns the content, fred is her friend, cora is in her container. */
export const VIEWER_NAMES: Record<Exclude<Viewer, 'guest'>, string> = {
  owner: 'olga',
  friend: 'fred',
  member: 'mia',
  groupie: 'cora',
  moderator: 'mod',
  admin: ADMIN.username,
};

/**
 * The viewers of a visibility matrix in a network open to guests: their accounts, olga's
 * friendship with fred and olga's container with cora, and every one signed in. `get(who,
 * url)` reads a page as that viewer (a guest reads without a session); `ownerAgent` is olga's
 * agent, and `fieldsAt(level)` the form fields that post at `level` (in the container for `group`).
 */
export async function matrixViewers(app: MatrixApp): Promise<{
  owner: number;
  container: number;
  agents: Map<Exclude<Viewer, 'guest'>, PageAgent>;
  ownerAgent: PageAgent;
  get(who: Viewer, url: string): Promise<Response>;
  fieldsAt(level: AccessLevelName): Record<string, string>;
}> {
  const owner = await app.member('olga');
  const friend = await app.member('fred');
  await app.member('mia');
  const groupie = await app.member('cora');
  await app.member('mod', { role: 'moderator' });
  await app.allowGuests(true);
  await app.befriend(owner, friend);
  const container = await app.container(owner, [groupie]);
  const agents = new Map<Exclude<Viewer, 'guest'>, PageAgent>();
  for (const [who, name] of Object.entries(VIEWER_NAMES)) agents.set(who as Exclude<Viewer, 'guest'>, await app.as(name));
  const get = async (who: Viewer, url: string): Promise<Response> => (who === 'guest' ? app.guest().http.get(url) : agents.get(who)!.get(url));
  const fieldsAt = (level: AccessLevelName): Record<string, string> =>
    level === 'group' ? { access: level, container: String(container) } : { access: level };
  return { owner, container, agents, ownerAgent: agents.get('owner')!, get, fieldsAt };
}
