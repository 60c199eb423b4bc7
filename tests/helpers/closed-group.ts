/**
 * The cast of the tests that run "with the groups plugin": gina founds the closed group
 * "Choir" through the groups form with cora in it; `out` is a member outside it.
 */
import type { ExecutionContext } from 'ava';
import type { Runtime } from '../../core';
import { formGroup, type PageAgent } from './members';

export interface ClosedGroup {
  groupId: number;
  gina: PageAgent;
  cora: PageAgent;
  out: PageAgent;
}

/** A plugin folder's app: the runtime, members by name and their signed-in agents. */
interface MembersApp {
  rt: Runtime;
  member(username: string): Promise<number>;
  as(username: string): Promise<PageAgent>;
}

/** Builds the cast, or logs a skip, passes and returns null when the groups plugin is not installed. */
export async function closedGroup(t: ExecutionContext, app: MembersApp): Promise<ClosedGroup | null> {
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
  return { groupId, gina, cora: await app.as('cora'), out: await app.as('out') };
}
