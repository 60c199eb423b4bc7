/**
 * The walk every SSO plugin's group rules are tested with: a member signs in through the
 * provider with groups that give roles in the root and a `partner` sub-network, then with
 * fewer groups, then none — roles are given, then taken back (core/auth/group-roles.ts).
 */
import type { ExecutionContext } from 'ava';
import type { Runtime } from '../../core';
import type { TestAgent } from './app';
import { addSubNetwork } from './members';

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
