// Helpers for the notifications tests: an app with members, signed-in agents, content
// created straight through the runtime, the notification rows and the mail box.
import type { ConfigInput, Runtime } from '../../../core';
import { makeApp, type TestApp } from '../../helpers/app';
import { readMails, type ReadMail } from '../../helpers/mail';
import type { TestDatabase } from '../../helpers/databases';
import { capitalised, createMember, formAgent, MEMBER_PASSWORD, signedIn, type FormAgent } from '../../helpers/members';

export const PASSWORD = MEMBER_PASSWORD;

export interface Row {
  id: number;
  kind: string;
  actor_id: number | null;
  entity_id: number | null;
  object_id: number | null;
  group_key: string;
  read_at: number | null;
  emailed_at: number | null;
}

export type Member = FormAgent;

export interface NotifApp extends TestApp {
  rt: Runtime;
  root: number;
  member(username: string, displayName?: string, locale?: string): Promise<number>;
  /** Members named after their usernames (`anna` → Anna), in order. */
  members(...usernames: string[]): Promise<number[]>;
  as(username: string): Promise<Member>;
  rows(userId: number): Promise<Row[]>;
  mails(to?: string): Promise<ReadMail[]>;
  /** Runs the due jobs at `now` (default: now), as the job runner would. */
  run(now?: number): Promise<number>;
  /** An entity of `type` in the root network, for kinds that point at content. */
  entity(type: string, ownerId: number, access?: string, containerId?: number | null): Promise<number>;
  status(ownerId: number, body: string, access?: string): Promise<number>;
  setPref(userId: number, kind: string, frequency: string): Promise<void>;
}

export async function notifApp(db: TestDatabase, config: ConfigInput = {}): Promise<NotifApp> {
  const app = await makeApp(db, { config });
  const rt = app.app.ruche;
  const root = rt.networks.root().id;
  const agents = new Map<string, Member>();
  const entity = (type: string, ownerId: number, access = 'members', containerId: number | null = null): Promise<number> =>
    rt.entities.create({ type, ownerId, networkId: root, access: access as never, containerId });
  return {
    ...app,
    rt,
    root,
    member: (username, displayName, locale) => createMember(rt, username, { displayName, locale }),
    async members(...usernames) {
      const ids: number[] = [];
      for (const username of usernames) ids.push(await createMember(rt, username, { displayName: capitalised(username) }));
      return ids;
    },
    async as(username) {
      const cached = agents.get(username);
      if (cached) return cached;
      const m = await formAgent(await signedIn(app, username), '/notifications');
      agents.set(username, m);
      return m;
    },
    async rows(userId) {
      const rows = (await rt.db('notifications').where({ user_id: userId }).orderBy('id')) as Record<string, unknown>[];
      const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
      return rows.map((r) => ({
        id: Number(r.id),
        kind: String(r.kind),
        actor_id: num(r.actor_id),
        entity_id: num(r.entity_id),
        object_id: num(r.object_id),
        group_key: String(r.group_key),
        read_at: num(r.read_at),
        emailed_at: num(r.emailed_at),
      }));
    },
    async mails(to) {
      const all = await readMails(db.dataDir);
      return to ? all.filter((m) => m.to.includes(to)) : all;
    },
    run: (now = Date.now()) => rt.jobs.runDue({ now }),
    entity,
    async status(ownerId, body, access = 'members') {
      const id = await entity('status', ownerId, access);
      await rt.db('status_posts').insert({ entity_id: id, body });
      return id;
    },
    async setPref(userId, kind, frequency) {
      await rt.db('notification_prefs').insert({ user_id: userId, kind, frequency, updated_at: Date.now() }).onConflict(['user_id', 'kind']).merge();
    },
  };
}
