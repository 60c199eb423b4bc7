/**
 * What the SSO plugins' tests (sso-oidc, sso-saml, sso-ldap) share: their app, Ruche with the
 * plugin enabled and pointed at a provider started for the test (stopped with the app); the
 * accounts and provider links Ruche holds; the first sign-in of an existing member, linked by
 * address; and the walk their group rules are tested with: a member signs in through the
 * provider with groups that give roles in the root and a `partner` sub-network, then with fewer
 * groups, then none — roles are given, then taken back (core/auth/group-roles.ts).
 */
import type { ExecutionContext } from 'ava';
import type { Locator, Page } from 'playwright-core';
import type { Response } from 'supertest';
import type { Runtime } from '../../core';
import { makeApp, type TestAgent, type TestApp } from './app';
import type { TestDatabase } from './databases';
import { addSubNetwork, createMember } from './members';

/** A provider the test starts (an OpenID Connect or SAML identity provider, a directory). */
export interface Provider {
  stop(): Promise<void>;
}

export interface SsoApp<P extends Provider> extends TestApp {
  rt: Runtime;
  provider: P;
}

/**
 * Installs Ruche on `db` (makeApp's defaults), starts the provider with the site's address,
 * asks `settings` for the plugin's settings (it may arrange the app first), then enables and
 * configures `plugin`. Closing the app stops the provider; when any step fails, what started is stopped.
 */
export async function ssoApp<P extends Provider>(
  db: TestDatabase,
  plugin: string,
  start: (siteUrl: string) => Promise<P>,
  settings: (provider: P, rt: Runtime) => Record<string, unknown> | Promise<Record<string, unknown>>,
): Promise<SsoApp<P>> {
  const made = await makeApp(db);
  const rt = made.app.ruche;
  let provider: P | undefined;
  try {
    provider = await start(made.config.siteUrl);
    const configured = await settings(provider, rt);
    await rt.pluginState.enable(plugin);
    await rt.pluginState.configure(plugin, configured);
  } catch (e) {
    await provider?.stop();
    await made.close();
    throw e;
  }
  const started = provider;
  return {
    ...made,
    rt,
    provider: started,
    async close() {
      await started.stop();
      await made.close();
    },
  };
}

/** The account Ruche makes for Jane, whom every test provider knows: active, signing in only through it. */
export const JANE = { email: 'jane.doe@corp.example', display_name: 'Jane Doe', status: 'active', password_hash: null };

/** How many accounts Ruche holds. */
export const countUsers = async (rt: Runtime): Promise<number> => Number((await rt.db('users').count<{ n: number }[]>('id as n'))[0].n);

/** The links between accounts and provider identities, oldest first. */
export const identities = (rt: Runtime): Promise<{ provider: string; subject: string; user_id: number | string }[]> =>
  rt.db('user_identities').orderBy('id').select('provider', 'subject', 'user_id');

/**
 * A person the provider knows and Ruche does not signs in with `agent` (`signIn`): Ruche must
 * redirect to `expected.location`, sign the browser in as `expected.username` and hold one account
 * more, whose row is like `expected.row`. Returns that row (every column) and the count of accounts before.
 */
export async function signsUpNewPerson(
  t: ExecutionContext,
  rt: Runtime,
  agent: TestAgent,
  signIn: () => Promise<Response>,
  expected: { location: string; username: string; row: Record<string, unknown> },
): Promise<{ user: Record<string, unknown> & { id: number | string }; accounts: number }> {
  const accounts = await countUsers(rt);
  const res = await signIn();
  t.is(res.status, 303, res.text.slice(0, 500));
  t.is(res.headers.location, expected.location);
  const me = await agent.http.get('/api/v1/me');
  t.is(me.status, 200);
  t.is(me.body.username, expected.username);
  t.is(await countUsers(rt), accounts + 1);
  const user = await rt.db('users').where({ username: expected.username }).first();
  t.like(user, expected.row);
  t.is(Number(user.id), me.body.id);
  return { user, accounts };
}

/**
 * The member `bob` (made by createMember, `bob@example.com`), whom the provider knows by the same
 * address as "Bob from the directory", signs in through it for the first time (`signIn` with a
 * fresh browser): Ruche must redirect, sign that browser in to bob's account without adding one,
 * keep his username and take his name from the provider. Returns his id, the browser and the count of accounts.
 */
export async function linksExistingMember(
  t: ExecutionContext,
  app: TestApp & { rt: Runtime },
  signIn: (agent: TestAgent) => Promise<Response>,
): Promise<{ bobId: number; agent: TestAgent; accounts: number }> {
  const bobId = await createMember(app.rt, 'bob');
  const accounts = await countUsers(app.rt);
  const agent = app.agent();
  t.is((await signIn(agent)).status, 303);
  t.is((await agent.http.get('/api/v1/me')).body.id, bobId, 'signed in to the existing account');
  t.is(await countUsers(app.rt), accounts, 'not duplicated');
  t.like(await app.rt.db('users').where({ id: bobId }).first('username', 'display_name'), {
    username: 'bob',
    display_name: 'Bob from the directory',
  });
  return { bobId, agent, accounts };
}

export const GROUP_MAP = 'staff -> root moderator\npartners -> partner member';

/**
 * `signIn(groups)` signs the same person in through the provider with those groups, in a
 * fresh browser, and returns that browser once Ruche has answered with a redirect.
 */
export async function walkGroupRoles(
  t: ExecutionContext,
  rt: Runtime,
  plugin: string,
  signIn: (groups: string[]) => Promise<TestAgent>,
): Promise<void> {
  const partner = await addSubNetwork(rt, 'partner', 'Partner');
  const root = rt.networks.root().id;
  await rt.pluginState.configure(plugin, { groupMap: GROUP_MAP });
  const rolesOf = async (agent: TestAgent) => {
    const me = await agent.http.get('/api/v1/me');
    t.is(me.status, 200);
    const rows: { network_id: number; role: string }[] = await rt.db('memberships').where({ user_id: me.body.id }).select('network_id', 'role');
    return { root: rows.find((r) => Number(r.network_id) === root)?.role, partner: rows.find((r) => Number(r.network_id) === partner)?.role };
  };
  t.deepEqual(await rolesOf(await signIn(['staff', 'partners', 'unmapped'])), { root: 'moderator', partner: 'member' });
  t.deepEqual(await rolesOf(await signIn(['staff'])), { root: 'moderator', partner: undefined }, 'out of the partners group: out of the network');
  t.deepEqual(await rolesOf(await signIn([])), { root: 'member', partner: undefined }, 'out of staff: back to a plain member');
}

/** In a browser, the sign-in page at `siteUrl` shows the provider's button `label`, which is returned. */
export async function ssoLoginPage(t: ExecutionContext, page: Page, siteUrl: string, label: string): Promise<Locator> {
  await page.goto(`${siteUrl}/login`);
  const button = page.getByRole('link', { name: label });
  t.true(await button.isVisible());
  return button;
}
