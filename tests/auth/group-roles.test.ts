// Roles granted by a provider's group rules (core/auth/group-roles.ts and
// ExternalAccounts.applyRoles), on each database: given at sign-in, never lowering a role held,
// taken back when the group is gone (to the role held before, or out of the network), and an
// administrator's change since left alone.
import test from 'ava';
import { parseGroupRules, rolesOfGroups, type ExternalIdentity, type Runtime } from '../../core';
import { eachTestApp } from '../helpers/each-app';
import { addSubNetwork, createMember } from '../helpers/members';

const MAP = ['staff -> root moderator', 'Partners -> partner member', 'leads -> partner admin', '# a comment', 'oops -> partner king'].join('\n');

test('group rules: one per line, comments skipped, bad lines apart, groups compared without case', (t) => {
  const { rules, bad } = parseGroupRules(MAP);
  t.deepEqual(
    rules.map((r) => `${r.group}|${r.network}|${r.role}`),
    ['staff|root|moderator', 'Partners|partner|member', 'leads|partner|admin'],
  );
  t.deepEqual(bad, ['oops -> partner king']);
  const networks = { root: () => ({ id: 1 }), slug: (s: string) => (s === 'partner' ? { id: 7 } : undefined) } as unknown as Parameters<
    typeof rolesOfGroups
  >[0];
  t.deepEqual(rolesOfGroups(networks, MAP, ['partners', 'STAFF', 'unknown']), [
    { networkId: 1, role: 'moderator' },
    { networkId: 7, role: 'member' },
  ]);
  t.deepEqual(rolesOfGroups(networks, 'x -> gone member', ['x']), [], 'a network that does not exist is skipped');
});

const identity = (rt: Runtime, groups: string[]): ExternalIdentity => ({
  provider: 'test:corp',
  subject: 'jane-1',
  email: 'jane@corp.example',
  emailVerified: true,
  roles: rolesOfGroups(rt.networks, MAP, groups),
});
const roleIn = async (rt: Runtime, userId: number, networkId: number) =>
  (await rt.db('memberships').where({ user_id: userId, network_id: networkId }).first('role'))?.role as string | undefined;

eachTestApp('group roles are given at each sign-in and taken back when the group is gone', async (t, app) => {
  const rt = app.app.ruche;
  const partner = await addSubNetwork(rt, 'partner', 'Partner');
  const root = rt.networks.root();
  const signIn = async (groups: string[]) => {
    const result = await rt.externalAccounts.signIn(root, identity(rt, groups));
    if (!result.ok) throw new Error(result.reason);
    return result.userId;
  };

  const jane = await signIn(['staff', 'partners']);
  t.is(await roleIn(rt, jane, root.id), 'moderator');
  t.is(await roleIn(rt, jane, partner), 'member');
  t.is(await signIn(['staff', 'partners', 'leads']), jane);
  t.is(await roleIn(rt, jane, partner), 'admin', 'the most powerful of the rules naming a network');

  // Out of every group: back to the root's plain member role, out of the partner network.
  const plan = await rt.externalAccounts.planRoles('test:corp', 'jane-1', []);
  t.deepEqual(plan.changes, [
    { networkId: root.id, role: 'member' },
    { networkId: partner, role: null },
  ]);
  t.is(await roleIn(rt, jane, partner), 'admin', 'planning changes nothing');
  await signIn([]);
  t.is(await roleIn(rt, jane, root.id), 'member');
  t.is(await roleIn(rt, jane, partner), undefined);
  t.is((await rt.db('user_identities').where({ subject: 'jane-1' }).first('roles')).roles, null);

  // An administrator's role is never lowered by a rule, nor taken away when the group goes.
  await rt.users.setRole(jane, root.id, 'admin');
  await signIn(['staff']);
  t.is(await roleIn(rt, jane, root.id), 'admin');
  await signIn([]);
  t.is(await roleIn(rt, jane, root.id), 'admin');

  // A role changed by an administrator after the grant is theirs: the group going leaves it.
  await signIn(['partners']);
  t.is(await roleIn(rt, jane, partner), 'member');
  await rt.users.setRole(jane, partner, 'moderator');
  await signIn([]);
  t.is(await roleIn(rt, jane, partner), 'moderator');

  // A member of the partner network before the grant keeps that membership when it is taken back.
  const bob = await createMember(rt, 'bob');
  await rt.users.setRole(bob, partner, 'member');
  await rt.db('user_identities').insert({ provider: 'test:corp', subject: 'bob-1', user_id: bob, created_at: 1, last_used_at: 1 });
  t.deepEqual(await rt.externalAccounts.applyRoles('test:corp', 'bob-1', [{ networkId: partner, role: 'admin' }]), [
    { networkId: partner, role: 'admin' },
  ]);
  t.deepEqual(await rt.externalAccounts.applyRoles('test:corp', 'bob-1', []), [{ networkId: partner, role: 'member' }]);
  t.is(await roleIn(rt, bob, partner), 'member');
});
