/**
 * The set-up of the tests of a plugin's tab on a group page (blogs, discussions): a closed
 * group made through the groups form, with a member and an outsider; and `groupOnly`, the check
 * that an item posted into it is the group's alone.
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

/**
 * The item `id` that `base`'s plugin (`/blogs`, `/discussions`: lists at `<base>` and
 * `<base>/in/<group>`, items at `<base>/<id>`) made in the group is the group's: its entity has
 * the group level and container, gina sees `title` in the group's list, and the outsider gets a
 * 404 for the item and does not find it in the network's list.
 */
export async function groupOnly(t: ExecutionContext, app: TabTestApp, group: ClosedGroup, base: string, id: number, title: string): Promise<void> {
  const entity = await app.rt.entities.get(id);
  t.is(entity?.access, 'group');
  t.is(Number(entity?.container_id), group.groupId);
  t.true((await group.gina.get(`${base}/in/${group.groupId}`)).text.includes(title), 'in the group list');
  t.is((await group.out.get(`${base}/${id}`)).status, 404, 'hidden from outsiders');
  t.false((await group.out.get(base)).text.includes(title), 'not in the network list of outsiders');
}
