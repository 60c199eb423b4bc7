// Helpers for the activity tests: an app with members, signed-in agents, status posts.
import type { Knex } from 'knex';
import type { Response } from 'supertest';
import type { AccessLevel, ConfigInput } from '../../../core';
import { connApp, PASSWORD, type ConnApp } from '../connections/support';
import { eachAppOf } from '../../helpers/each-app';
import type { TestDatabase } from '../../helpers/databases';
import { befriend, testContainer } from '../../helpers/members';

export { PASSWORD };

export interface ActApp extends ConnApp {
  /** Posts a status as `username` through the form; returns the entity id. */
  post(username: string, body: string, access?: string): Promise<number>;
  /** Inserts a status straight through the service (no HTTP), for arranging data. */
  quickPost(ownerId: number, body: string, access?: AccessLevel, opts?: { containerId?: number | null; networkId?: number }): Promise<number>;
  befriend(a: number, b: number): Promise<void>;
  /** A group-like container with members (the groups plugin does not exist here). */
  container(ownerId: number, members: number[], networkId?: number): Promise<number>;
}

export async function actApp(db: TestDatabase, config: ConfigInput = {}): Promise<ActApp> {
  const app = await connApp(db, config);
  const rt = app.app.ruche;
  const agents = new Map<string, Awaited<ReturnType<ConnApp['as']>>>();
  const as = async (u: string) => {
    if (!agents.has(u)) agents.set(u, await app.as(u));
    return agents.get(u)!;
  };
  return {
    ...app,
    async post(username, body, access = 'members') {
      const a = await as(username);
      const res: Response = await a.post('/status', { body, access });
      if (res.status !== 303) throw new Error(`posting failed: ${res.status} ${res.text.slice(0, 300)}`);
      const m = /\/status\/(\d+)/.exec(res.headers.location ?? '');
      if (!m) throw new Error(`no status id in ${res.headers.location}`);
      return Number(m[1]);
    },
    async quickPost(ownerId, body, access = 'members', opts = {}) {
      const networkId = opts.networkId ?? rt.networks.root().id;
      return rt.db.transaction(async (trx: Knex) => {
        const id = await rt.entities.create({ type: 'status', ownerId, networkId, access, containerId: opts.containerId ?? null }, trx);
        await trx('status_posts').insert({ entity_id: id, body });
        await rt.activity.record({ verb: 'posted', actorId: ownerId, entityId: id, networkId }, trx);
        return id;
      });
    },
    befriend: (a, b) => befriend(rt, a, b),
    container: (ownerId, members, networkId) => testContainer(rt, ownerId, members, { networkId, ownerRole: 'admin' }),
  };
}

/** One test per database with a fresh `actApp`, closed afterwards. */
export const eachActApp = eachAppOf(actApp);
