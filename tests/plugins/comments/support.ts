// Helpers for the comments and likes tests: an app with the fixture plugin (its
// `fixture_note` entities take comments and reactions), members, entities at every access
// level, signed-in agents and bearer tokens, and recorded events.
import type { Knex } from 'knex';
import type { Response } from 'supertest';
import { makeApp } from '../../helpers/app';
import { eachAppOf } from '../../helpers/each-app';
import type { TestDatabase } from '../../helpers/databases';
import { recordEvents, type PluginTestApp } from '../../helpers/plugin-app';
import { befriend, createMember, formAgent, MEMBER_PASSWORD, signedIn, type FormAgent } from '../../helpers/members';

export const PASSWORD = MEMBER_PASSWORD;
export const NOTE = 'fixture_note';
export const PLAIN = 'fixture_plain';
export const LEVELS = ['private', 'friends', 'group', 'network', 'members', 'public'] as const;
export type Level = (typeof LEVELS)[number];

export type Signed = FormAgent;

export interface SocialApp extends PluginTestApp {
  root: number;
  member(username: string, displayName?: string): Promise<number>;
  as(username: string, password?: string): Promise<Signed>;
  /** A bearer token for the member (JSON API without cookies). */
  bearer(userId: number): Promise<string>;
  note(ownerId: number, access: Level, opts?: { containerId?: number | null; type?: string }): Promise<number>;
  befriend(a: number, b: number): Promise<void>;
  setRole(userId: number, role: 'member' | 'moderator' | 'admin'): Promise<void>;
}

const EVENTS = ['comments:created', 'comments:edited', 'comments:deleted', 'likes:reacted', 'likes:withdrawn'] as const;

export async function socialApp(db: TestDatabase): Promise<SocialApp> {
  const app = await makeApp(db, { withFixtures: true });
  const rt = app.app.ruche;
  if (!rt.pluginState.isEnabled('fixture')) await rt.pluginState.enable('fixture');
  for (const id of ['comments', 'likes']) if (!rt.pluginState.isEnabled(id)) await rt.pluginState.enable(id);
  const root = rt.networks.root().id;
  const events = recordEvents(rt, EVENTS);
  return {
    ...app,
    rt,
    db: rt.db,
    root,
    events,
    member: (username, displayName) => createMember(rt, username, { displayName }),
    as: async (username, password) => formAgent(await signedIn(app, username, password)),
    async bearer(userId) {
      return (await rt.apiTokens.create(userId, 'tests')).token;
    },
    async note(ownerId, access, opts = {}) {
      return rt.entities.create({ type: opts.type ?? NOTE, ownerId, networkId: root, access, containerId: opts.containerId ?? null });
    },
    befriend: (a, b) => befriend(rt, a, b),
    async setRole(userId, role) {
      await rt.db('memberships').where({ user_id: userId, network_id: root }).update({ role });
    },
  };
}

/** One test per database with a fresh `socialApp`, closed afterwards. */
export const eachSocialApp = eachAppOf(socialApp);

/** The denormalised comment count of an entity (0 without a row). */
export async function commentCount(db: Knex, entityId: number): Promise<number> {
  const row = await db('comment_counts').where({ entity_id: entityId }).first('n');
  return row ? Number(row.n) : 0;
}

/** Reaction counts above zero of an entity, e.g. `{ like: 2 }`. */
export async function reactionCounts(db: Knex, entityId: number): Promise<Record<string, number>> {
  const rows = (await db('reaction_counts').where({ entity_id: entityId }).where('n', '>', 0).select('reaction', 'n')) as {
    reaction: string;
    n: number;
  }[];
  return Object.fromEntries(rows.map((r) => [r.reaction, Number(r.n)]));
}

/** What the rows say, to compare with the denormalised counts. */
export async function actualReactions(db: Knex, entityId: number): Promise<Record<string, number>> {
  const rows = (await db('reactions').where({ entity_id: entityId }).groupBy('reaction').select('reaction').count({ n: '*' })) as {
    reaction: string;
    n: number | string;
  }[];
  return Object.fromEntries(rows.map((r) => [r.reaction, Number(r.n)]));
}

/** The comment id in a redirect's `#comment-<id>` anchor. */
export function anchoredId(res: Response): number {
  const m = /#comment-(\d+)$/.exec(res.headers.location ?? '');
  if (!m) throw new Error(`no #comment anchor in ${res.status} ${res.headers.location}`);
  return Number(m[1]);
}
