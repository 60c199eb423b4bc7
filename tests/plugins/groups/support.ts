// Helpers for the groups tests: an installed app, members with network roles, signed-in
// agents that post forms with a fresh CSRF token, groups created through the form, and
// status posts written into groups.
import type { Knex } from 'knex';
import type { Response } from 'supertest';
import type { Runtime } from '../../../core';
import { makeApp, type TestAgent, type TestApp } from '../../helpers/app';
import type { TestDatabase } from '../../helpers/databases';
import { eachAppOf } from '../../helpers/each-app';
import { capitalised, createMember, MEMBER_PASSWORD, pageAgent, signedIn, type PageAgent } from '../../helpers/members';
import { GroupsService } from '../../../plugins/groups/service';

export const PASSWORD = MEMBER_PASSWORD;

export type Member = PageAgent;

export interface GroupApp extends TestApp {
  rt: Runtime;
  db: Knex;
  svc: GroupsService;
  events: { name: string; payload: Record<string, unknown> }[];
  ids: Record<string, number>;
  member(username: string, opts?: { role?: 'member' | 'moderator' | 'admin'; displayName?: string; locale?: string }): Promise<number>;
  as(username: string): Promise<Member>;
  guest(): TestAgent;
  /** Creates a group through the form as `username`; returns its id. */
  group(
    username: string,
    fields: { name: string; visibility: 'open' | 'closed' | 'secret'; description?: string; category?: string },
  ): Promise<number>;
  /** Adds members straight into container_members. */
  join(groupId: number, username: string, role?: 'admin' | 'member'): Promise<void>;
  /** A status post by `username` through the form, into `groupId` at `access`; returns its id. */
  status(username: string, body: string, groupId: number | null, access: string): Promise<number>;
}

const EVENTS = [
  'groups:created',
  'groups:joined',
  'groups:left',
  'groups:requested',
  'groups:approved',
  'groups:declined',
  'groups:invited',
  'groups:removed',
  'groups:visibilityChanged',
  'groups:deleted',
  'content:mentioned',
] as const;

export const idFrom = (res: Response, pattern: RegExp): number => {
  const m = pattern.exec(res.headers.location ?? '');
  if (!m) throw new Error(`unexpected answer ${res.status} ${res.headers.location ?? ''} ${res.text?.slice(0, 400)}`);
  return Number(m[1]);
};

export async function groupApp(db: TestDatabase): Promise<GroupApp> {
  const app = await makeApp(db);
  const rt = app.app.ruche;
  const events: GroupApp['events'] = [];
  for (const name of EVENTS) rt.hooks.on(name, (p) => void events.push({ name, payload: p as Record<string, unknown> }));
  const ids: Record<string, number> = { admin: 1 };
  const agents = new Map<string, Member>();
  const g: GroupApp = {
    ...app,
    rt,
    db: rt.db,
    svc: rt.container.resolve(GroupsService),
    events,
    ids,
    async member(username, opts = {}) {
      ids[username] = await createMember(rt, username, { ...opts, displayName: opts.displayName ?? capitalised(username) });
      return ids[username];
    },
    async as(username) {
      const known = agents.get(username);
      if (known) return known;
      const m = pageAgent(await signedIn(app, username), '/groups/mine');
      agents.set(username, m);
      return m;
    },
    guest: () => app.agent(),
    async group(username, fields) {
      const a = await g.as(username);
      const res = await a.post('/groups', { description: '', category: 'social', ...fields });
      return idFrom(res, /\/groups\/(\d+)$/);
    },
    async join(groupId, username, role = 'member') {
      await rt.db('container_members').insert({ container_id: groupId, user_id: ids[username], role, created_at: Date.now() });
    },
    async status(username, body, groupId, access) {
      const a = await g.as(username);
      const res = await a.post('/status', { body, access, ...(groupId ? { container: String(groupId) } : {}) });
      return idFrom(res, /\/status\/(\d+)/);
    },
  };
  return g;
}

/** One test per database with a `groupApp` on it, closed afterwards. */
export const eachGroupApp = eachAppOf(groupApp);
