// Helpers for the moderation tests: the activity app (members, status posts, containers) with
// roles, reports filed through the form, decisions posted from the queue, and what the rows say.
import type { Knex } from 'knex';
import type { Response } from 'supertest';
import { actApp, type ActApp } from '../activity/support';
import { eachAppOf } from '../../helpers/each-app';
import { capitalised } from '../../helpers/members';
import type { TestDatabase } from '../../helpers/databases';

export interface ModApp extends ActApp {
  root: number;
  setRole(userId: number, role: 'member' | 'moderator' | 'admin', networkId?: number): Promise<void>;
  /** `username` reports status `id` with `reason` (and `note`) through the form. */
  report(username: string, id: number, reason?: string, note?: string): Promise<Response>;
  /** `username` takes `decision` on a target (`entity-<id>`, `member-<username>`) from the queue's form. */
  decide(username: string, target: string, decision: string, fields?: Record<string, string>, basePath?: string): Promise<Response>;
  /** Members named by their usernames (display names capitalised), their ids in order. */
  members(...usernames: string[]): Promise<number[]>;
}

export async function modApp(db: TestDatabase): Promise<ModApp> {
  const app = await actApp(db);
  const rt = app.app.ruche;
  const root = rt.networks.root().id;
  return {
    ...app,
    root,
    async members(...usernames) {
      const ids: number[] = [];
      for (const u of usernames) ids.push(await app.member(u, capitalised(u)));
      return ids;
    },
    async setRole(userId, role, networkId = root) {
      await rt.db('memberships').where({ user_id: userId, network_id: networkId }).update({ role });
    },
    async report(username, id, reason = 'spam', note = '') {
      return (await app.as(username)).post(`/moderation/report/entity/${id}`, { reason, note, next: `/status/${id}` });
    },
    async decide(username, target, decision, fields = {}, basePath = '') {
      const [type, id] = target.split('-');
      return (await app.as(username)).post(`${basePath}/moderation/${type === 'entity' ? 'entities' : 'members'}/${id}/decide`, {
        decision,
        ...fields,
      });
    },
  };
}

export const eachModApp = eachAppOf(modApp);

/** The open reports on a target, as rows. */
export function openReportsOn(db: Knex, type: string, id: number): Promise<{ reporter_id: number; reason: string; note: string }[]> {
  return db('moderation_reports')
    .where({ target_type: type, target_id: id })
    .whereNull('resolved_at')
    .orderBy('id')
    .select('reporter_id', 'reason', 'note');
}

/** The audit rows of moderation decisions on an entity or member, oldest first. */
export function auditOf(db: Knex, id: number): Promise<{ action: string; actor_id: number; before: string; after: string }[]> {
  return db('audit_log')
    .where('action', 'like', 'moderation.%')
    .where({ object_id: String(id) })
    .orderBy('id')
    .select('action', 'actor_id', 'before', 'after');
}
