/**
 * The set-up of the tests of a plugin's tab on a group page (blogs, discussions): a closed
 * group made through the groups form, with a member and an outsider.
 */
import type { ExecutionContext } from 'ava';
import type { Runtime } from '../../core';
import { formGroup, type PageAgent } from './members';

/** What the plugin test apps (discApp, blogApp, ...) offer that the set-up uses. */
export interface TabTestApp {
  rt: Runtime;
  member(username: string): Promise<number>;
  as(username: string): Promise<PageAgent>;
}

export interface ClosedGroup {
  groupId: number;
  /** gina, who made the group; cora, a member; out, a member of the network only. */
  gina: PageAgent;
  cora: PageAgent;
  out: PageAgent;
}

/**
 * Without the groups plugin, passes the test with a log and answers null. Otherwise gina makes
 * the closed group "Choir" with cora in it, and the group page must link to `tabHref(groupId)`
 * (asserted as `the <tabName> tab`).
 */
export async function closedGroupWithTab(
  t: ExecutionContext,
  app: TabTestApp,
  tabName: string,
  tabHref: (groupId: number) => string,
): Promise<ClosedGroup | null> {
  if (!app.rt.routes.get('groups.view')) {
    t.log('no groups plugin: skipped');
    t.pass();
    return null;
  }
  await app.member('gina');
  const cora = await app.member('cora');
  await app.member('out');
  const gina = await app.as('gina');
  const groupId = await formGroup(gina, app.rt, { name: 'Choir', description: '', category: 'social', visibility: 'closed' }, [cora]);
  const page = await gina.get(`/groups/${groupId}`);
  t.true(page.text.includes(`href="${tabHref(groupId)}"`), `the ${tabName} tab`);
  return { groupId, gina, cora: await app.as('cora'), out: await app.as('out') };
}
