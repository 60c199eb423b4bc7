/**
 * Who an alert goes to: the active members of the network, of one of its groups (a core
 * container of this network), or those whose profile field has a value (asked through the
 * profiles plugin's `profiles:membersWith` filter, with the sender's view of the values). The
 * sender may include themselves; nobody outside the network is ever reached.
 */
import type { Knex } from 'knex';
import type { Runtime, Viewer } from '../../core';
import type { AudienceField } from '../profiles/hooks';
import type { AlertInput } from './types';

type Rt = Runtime;

/** The active members of a network, as a query of `users as u`. */
export const activeMembers = (db: Knex, networkId: number): Knex.QueryBuilder =>
  db('users as u').join('memberships as m', 'm.user_id', 'u.id').where({ 'm.network_id': networkId, 'u.status': 'active' });

/** The recipients' ids, or null when the group or field is not one of this network's. */
export async function audienceIds(
  rt: Rt,
  viewer: Viewer,
  networkId: number,
  input: Pick<AlertInput, 'audience' | 'ref' | 'value'>,
): Promise<number[] | null> {
  if (input.audience === 'network') return (await activeMembers(rt.db, networkId).orderBy('u.id').pluck('u.id')).map(Number);
  if (input.audience === 'group') {
    const id = Number(input.ref);
    if (!Number.isSafeInteger(id) || id <= 0) return null;
    const policy = await rt.containers.policy(viewer, id, networkId);
    // A group the sender may not see (a secret one they are not in) is not theirs to reach: its members would show on the dashboard.
    if (!policy.type || !(await mayPick(rt, viewer, id))) return null;
    const ids = await activeMembers(rt.db, networkId)
      .whereIn('u.id', rt.containers.membersOf([id]).select('x.user_id'))
      .orderBy('u.id')
      .pluck('u.id');
    return ids.map(Number);
  }
  const ids = await rt.hooks.filter('profiles:membersWith', null, { networkId, viewer, field: input.ref, value: input.value });
  return ids === null ? null : [...new Set(ids)].sort((a, b) => a - b);
}

/** Whether the sender may see the container (the core's access model on its entity). */
async function mayPick(rt: Rt, viewer: Viewer, containerId: number): Promise<boolean> {
  const entity = await rt.entities.get(containerId);
  return !!entity && (await rt.access.canSee(viewer, entity));
}

/** The groups of the network a sender may pick: those they may see (names from the groups plugin, where enabled). */
export async function audienceGroups(rt: Rt, viewer: Viewer, networkId: number): Promise<{ id: number; name: string }[]> {
  const containers = await rt.containers.ofNetwork(networkId, [], 200);
  const visible = await Promise.all(containers.map((c) => mayPick(rt, viewer, c.id)));
  const ids = containers.filter((_, i) => visible[i]).map((c) => c.id);
  const names = ids.length ? await rt.hooks.filter('groups:names', {}, { rt, networkId, ids }) : {};
  return containers
    .filter((c) => ids.includes(c.id) && names[c.id])
    .map((c) => ({ id: c.id, name: names[c.id] }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** The profile fields a sender may pick members by (the profiles plugin's, where enabled). */
export function audienceFields(rt: Rt, viewer: Viewer, networkId: number, locale: string): Promise<AudienceField[]> {
  return rt.hooks.filter('profiles:audienceFields', [], { networkId, viewer, locale });
}
