// Helpers for the connections tests: an installed app, members created fast, signed-in agents.
import type { Knex } from 'knex';
import { makeApp, type TestAgent, type TestApp } from '../../helpers/app';
import type { TestDatabase } from '../../helpers/databases';
import { createMember, formAgent, MEMBER_PASSWORD, signedIn } from '../../helpers/members';

export const PASSWORD = MEMBER_PASSWORD;

export interface ConnApp extends TestApp {
  db: Knex;
  /** Creates a member (real account, can sign in) and returns its id. */
  member(username: string, displayName?: string): Promise<number>;
  /** A signed-in agent for `username` (created by `member`), with its CSRF token. */
  as(
    username: string,
    password?: string,
  ): Promise<{ agent: TestAgent; token: string; post(url: string, fields?: Record<string, string>): Promise<import('supertest').Response> }>;
  events: { name: string; payload: unknown }[];
}

const EVENTS = [
  'connections:followed',
  'connections:unfollowed',
  'connections:requested',
  'connections:accepted',
  'connections:declined',
  'connections:removed',
] as const;

export async function connApp(db: TestDatabase): Promise<ConnApp> {
  const app = await makeApp(db);
  const events: { name: string; payload: unknown }[] = [];
  for (const name of EVENTS) app.app.ruche.hooks.on(name, (payload) => void events.push({ name, payload }));
  return {
    ...app,
    db: app.app.ruche.db,
    events,
    member: (username, displayName) => createMember(app.app.ruche, username, { displayName }),
    as: async (username, password = PASSWORD) => formAgent(await signedIn(app, username, password), '/people'),
  };
}

/** Inserts `n` active members straight into the tables (no password: they never sign in). */
export async function bulkMembers(db: Knex, prefix: string, n: number, networkId = 1, start = Date.now()): Promise<number[]> {
  const ids: number[] = [];
  for (let i = 0; i < n; i++) {
    const username = `${prefix}${String(i).padStart(3, '0')}`;
    const [row] = await db('users')
      .insert({
        username,
        username_lower: username.toLowerCase(),
        email: `${username}@example.com`,
        email_lower: `${username}@example.com`,
        display_name: `${prefix} ${String(i).padStart(3, '0')}`,
        status: 'active',
        is_root_admin: false,
        created_at: start + i,
        updated_at: start + i,
      })
      .returning('id');
    const id = Number(typeof row === 'object' ? row.id : row);
    await db('memberships').insert({ user_id: id, network_id: networkId, role: 'member', created_at: start + i });
    ids.push(id);
  }
  return ids;
}
