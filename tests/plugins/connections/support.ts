// Helpers for the connections tests: an installed app, members created fast, signed-in agents.
import type { ConfigInput } from '../../../core';
import { makeApp, type TestAgent } from '../../helpers/app';
import { eachAppOf } from '../../helpers/each-app';
import type { TestDatabase } from '../../helpers/databases';
import { recordEvents, type PluginTestApp } from '../../helpers/plugin-app';
import { createMember, formAgent, MEMBER_PASSWORD, signedIn } from '../../helpers/members';

export const PASSWORD = MEMBER_PASSWORD;

export interface ConnApp extends PluginTestApp {
  /** Creates a member (real account, can sign in) and returns its id. */
  member(username: string, displayName?: string): Promise<number>;
  /** Creates these members (as `member` does, display name = username); their ids, in the order given. */
  members(...usernames: string[]): Promise<number[]>;
  /** A signed-in agent for `username` (created by `member`), with its CSRF token. */
  as(
    username: string,
    password?: string,
  ): Promise<{ agent: TestAgent; token: string; post(url: string, fields?: Record<string, string>): Promise<import('supertest').Response> }>;
}

const EVENTS = [
  'connections:followed',
  'connections:unfollowed',
  'connections:requested',
  'connections:accepted',
  'connections:declined',
  'connections:removed',
] as const;

export async function connApp(db: TestDatabase, config: ConfigInput = {}): Promise<ConnApp> {
  const app = await makeApp(db, { config });
  const rt = app.app.ruche;
  return {
    ...app,
    rt,
    db: rt.db,
    events: recordEvents(rt, EVENTS),
    member: (username, displayName) => createMember(rt, username, { displayName }),
    async members(...usernames) {
      const ids: number[] = [];
      for (const username of usernames) ids.push(await createMember(rt, username));
      return ids;
    },
    as: async (username, password = PASSWORD) => formAgent(await signedIn(app, username, password), '/people'),
  };
}

/** One test per database with a fresh `connApp`, closed afterwards. */
export const eachConnApp = eachAppOf(connApp);

/** Kept here for the tests that take it from the connections helpers. */
export { bulkMembers } from '../../helpers/members';
