// Helpers for the sub-network tests: an app with the activity test helpers, sub-networks
// made through the core service, and members placed in networks.
import type { Knex } from 'knex';
import { actApp, type ActApp } from '../activity/support';
import type { TestDatabase } from '../../helpers/databases';
import type { NetworkInfo } from '../../../core';

export interface SubApp extends ActApp {
  /** Creates a sub-network of the root. */
  network(slug: string, opts?: { name?: string; host?: string; joinPolicy?: string; joinDomains?: string[]; theme?: string }): Promise<NetworkInfo>;
  /** Makes `userId` a member (or `role`) of the network. */
  join(userId: number, networkId: number, role?: string): Promise<void>;
  /** Removes the member from the root network: they belong only to their sub-networks (a partner company). */
  onlyIn(userId: number): Promise<void>;
}

export async function subApp(db: TestDatabase): Promise<SubApp> {
  const app = await actApp(db);
  const rt = app.rt;
  return {
    ...app,
    async network(slug, opts = {}) {
      return rt.networks.create({
        slug,
        name: opts.name ?? slug[0].toUpperCase() + slug.slice(1),
        host: opts.host ?? null,
        joinPolicy: opts.joinPolicy,
        joinDomains: opts.joinDomains,
        theme: opts.theme,
      });
    },
    async join(userId, networkId, role = 'member') {
      await (rt.db as Knex)('memberships')
        .insert({ user_id: userId, network_id: networkId, role, created_at: Date.now() })
        .onConflict(['user_id', 'network_id'])
        .merge(['role']);
    },
    async onlyIn(userId) {
      await rt.db('memberships').where({ user_id: userId, network_id: rt.networks.root().id }).delete();
    },
  };
}
