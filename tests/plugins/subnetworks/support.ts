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

/** The password `register` and `person` give the accounts they make. */
export const REGISTERED_PASSWORD = 'quiet harbour lights 9';

/**
 * Sends the registration form at `${base}/register` (`?invite=` when `fields.invite` is set)
 * as a new agent, with REGISTERED_PASSWORD; answers the agent and the form's response.
 */
export async function register(app: SubApp, base: string, fields: Record<string, string>) {
  const agent = app.agent();
  const page = await agent.http.get(`${base}/register${fields.invite ? `?invite=${fields.invite}` : ''}`);
  const token = /name="_csrf" value="([^"]+)"/.exec(page.text)![1];
  const res = await agent.http
    .post(`${base}/register`)
    .type('form')
    .send({ _csrf: token, password: REGISTERED_PASSWORD, passwordConfirm: REGISTERED_PASSWORD, ...fields });
  return { agent, res };
}

/** A member of the root network with REGISTERED_PASSWORD (the support's members use their own); answers the id. */
export async function person(app: SubApp, username: string): Promise<number> {
  const r = await app.rt.users.create({ username, email: `${username}@example.com`, password: REGISTERED_PASSWORD });
  if (!('id' in r)) throw new Error(`could not create ${username}`);
  return r.id;
}

/**
 * Signs `username` in (REGISTERED_PASSWORD unless given) and answers helpers that post forms
 * with the session's CSRF token: fields as an object, or as an encoded string (repeated keys).
 */
export async function signedInForms(app: SubApp, username: string, password = REGISTERED_PASSWORD) {
  const agent = app.agent();
  await agent.login(username, password);
  const token = await agent.csrf('/account');
  return {
    agent,
    get: (url: string) => agent.http.get(url),
    post: (url: string, fields: Record<string, string> | string = {}) =>
      typeof fields === 'string'
        ? agent.http
            .post(url)
            .type('form')
            .send(`_csrf=${encodeURIComponent(token)}&${fields}`)
        : agent.http
            .post(url)
            .type('form')
            .send({ _csrf: token, ...fields }),
  };
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
