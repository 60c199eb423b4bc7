/**
 * The plugins that are off by default, turned on in the security world so that their routes
 * are walked too (walkedRoutes walks the plugins enabled at the root; a sub-network follows
 * the root unless it has a row of its own). Every bundled plugin off by default is enabled at
 * the root, by construction (a new one is walked without being named here); none needs an
 * external server to be enabled. Today:
 *   connect     also enabled by world.ts in the root, A and B before the content, which uses it
 *   alerts      every network sends its own: an alert per scope, below
 *   analytics   the network's and a group's dashboards, their CSV, the privacy page
 *   sso-ldap    with a directory configured (its form is served; the walk never sends a login
 *               and password, so the directory, at an address nothing listens on, is never
 *               contacted: signing in against a real slapd is tests/plugins/sso-ldap)
 *   sso-oidc    no issuer configured: its pages answer "not configured" (a sign-in fetches the
 *               issuer's discovery document, an external server: tests/plugins/sso-oidc)
 *   sso-saml    no identity provider configured, for the same reason (tests/plugins/sso-saml)
 */
import { randomBytes } from 'node:crypto';
import type { Knex } from 'knex';
import type { NetworkInfo, RucheApp } from '../../core';
import type { TestAgent } from '../helpers/app';

/** The root's directory: a service account whose password only the installation's administrators may read. */
export const DIRECTORY = {
  label: 'Matrix directory',
  url: 'ldap://127.0.0.1:9',
  baseDn: 'dc=matrix,dc=test',
  bindDn: 'cn=reader,dc=matrix,dc=test',
  bindPassword: 'matrix-directory-secret',
};

/** Enables every plugin still off at the root (every network follows it), each after those it depends on; configures the directory. */
export async function enableOffByDefault(app: RucheApp): Promise<void> {
  const rt = app.ruche;
  let off = rt.plugins.list().filter((p) => !rt.pluginState.isEnabled(p.manifest.id));
  while (off.length) {
    const ready = off.filter((p) => (p.manifest.dependsOn ?? []).every((dep) => rt.pluginState.isEnabled(dep)));
    if (!ready.length) throw new Error(`world: ${off.map((p) => p.manifest.id).join(', ')} depend on plugins that are not there`);
    for (const p of ready) await rt.pluginState.enable(p.manifest.id);
    off = off.filter((p) => !ready.includes(p));
  }
  await rt.pluginState.configure('sso-ldap', DIRECTORY);
}

interface Sender {
  agent: TestAgent;
  token: string;
}

/**
 * An urgent alert sent through the form by `sender` (an admin of `network`) to the members of
 * the network's group `groupId`, asking "I'm safe" / "I need help"; its id and its recipients'
 * ids. The recipients' banners are then shown once (the alert is "opened"), as a page they
 * view would, so that the walks' own pages change nothing of it.
 */
export async function sendAlert(
  db: Knex,
  network: NetworkInfo,
  base: string,
  sender: Sender,
  groupId: number,
  recipientAgents: (userId: number) => TestAgent | undefined,
): Promise<{ id: number; recipients: number[] }> {
  const res = await sender.agent.http
    .post(`${base}/alerts`)
    .type('form')
    .set('Accept-Language', 'en')
    .send({
      _csrf: sender.token,
      title: `An alert in ${network.slug}`,
      message: 'Leave the building by the east stairs.',
      severity: 'warning',
      answers: 'safety',
      audience: 'group',
      group: String(groupId),
      form_key: randomBytes(16).toString('hex'),
    });
  if (res.status !== 303) throw new Error(`world: the alert of ${network.slug} answered ${res.status}`);
  const id = Number((await db('alerts_alerts').where({ network_id: network.id }).max({ m: 'id' }).first())?.m);
  const recipients = (await db('alerts_recipients').where({ alert_id: id }).orderBy('user_id').pluck('user_id')).map(Number);
  for (const userId of recipients) await recipientAgents(userId)?.http.get(`${base}/alerts/banners`);
  return { id, recipients };
}
