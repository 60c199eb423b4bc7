/** Each access level, for the viewers it names and those it excludes (both databases). */
import { eachRuntime } from '../helpers/each-app';
import { addSubNetwork } from '../helpers/members';
import { insertId, insertMember } from '../helpers/rows';
import type { AccessFacts, Viewer } from '../../core';

eachRuntime('each access level admits exactly the viewers it names', async (t, rt) => {
  const knex = rt.db;
  const now = Date.now();
  const root = rt.networks.root().id;
  const sub = await addSubNetwork(rt, 'partner', 'Partner', { allow_guests: true, join_policy: 'invitation' });
  const make = async (name: string, roles: Record<number, string>, status = 'active'): Promise<Viewer> =>
    (await rt.users.viewer(await insertMember(knex, name, roles, { status }, now)))!;
  const owner = await make('owner', { [root]: 'member', [sub]: 'member' });
  const friend = await make('friend', { [root]: 'member' });
  const stranger = await make('stranger', { [root]: 'member' });
  const partner = await make('partner', { [sub]: 'member' });
  const subMod = await make('submod', { [root]: 'member', [sub]: 'moderator' });
  const rootAdmin = await make('rootadmin', { [root]: 'admin' });
  const suspendedFriend = await make('suspended', { [root]: 'member', [sub]: 'member' }, 'suspended');
  for (const [a, b] of [
    [owner.id, friend.id],
    [friend.id, owner.id],
    [owner.id, suspendedFriend.id],
    [suspendedFriend.id, owner.id],
  ]) {
    await knex('user_relations').insert({ user_id: a, other_id: b, kind: 'friend', created_at: now });
  }
  const group = await insertId(knex, 'entities', {
    type: 'group',
    owner_id: owner.id,
    network_id: sub,
    access: 'network',
    created_at: now,
    updated_at: now,
  });
  await knex('container_members').insert({ container_id: group, user_id: stranger.id, role: 'member', created_at: now });

  const facts = (access: string, network = sub, extra: Partial<AccessFacts> = {}): AccessFacts => ({
    owner_id: owner.id,
    container_id: group,
    network_id: network,
    access,
    deleted_at: null,
    published: true,
    withheld: false,
    ...extra,
  });
  const who = async (f: AccessFacts): Promise<string[]> => {
    const names: string[] = [];
    for (const [name, v] of Object.entries({ guest: null, owner, friend, stranger, partner, subMod, rootAdmin, suspendedFriend })) {
      if (await rt.access.canSee(v, f)) names.push(name);
    }
    return names;
  };
  t.deepEqual(await who(facts('private')), ['owner', 'subMod', 'rootAdmin']);
  t.deepEqual(await who(facts('friends')), ['owner', 'friend', 'subMod', 'rootAdmin'], 'a suspended friend sees nothing');
  t.deepEqual(await who(facts('group')), ['owner', 'stranger', 'subMod', 'rootAdmin']);
  t.deepEqual(await who(facts('network')), ['owner', 'partner', 'subMod', 'rootAdmin']);
  t.deepEqual(await who(facts('members')), ['owner', 'friend', 'stranger', 'partner', 'subMod', 'rootAdmin']);
  t.deepEqual(
    await who(facts('public')),
    ['guest', 'owner', 'friend', 'stranger', 'partner', 'subMod', 'rootAdmin', 'suspendedFriend'],
    'the partner network allows guests, and a suspended member is a guest',
  );
  t.deepEqual(
    await who(facts('public', root)),
    ['owner', 'friend', 'stranger', 'subMod', 'rootAdmin'],
    'the root network does not allow guests: public means its community there, not a partner network’s members',
  );
  t.deepEqual(
    await who(facts('members', root)),
    ['owner', 'friend', 'stranger', 'subMod', 'rootAdmin'],
    'members at the root: not the partner who belongs to a sub-network only',
  );
  t.deepEqual(await who(facts('private', root)), ['owner', 'rootAdmin'], 'a sub-network moderator has no power at the root');
  t.deepEqual(await who(facts('public', sub, { deleted_at: now })), [], 'deleted content is seen by no one');
  t.deepEqual(
    await who(facts('public', sub, { withheld: true })),
    ['owner', 'subMod', 'rootAdmin'],
    'withheld by moderation: its author and the network’s moderators only',
  );
  t.deepEqual(await who(facts('public', root, { withheld: true })), ['owner', 'rootAdmin'], 'not the moderator of another network');
  t.deepEqual(await who(facts('public', sub, { withheld: true, published: false })), ['owner'], 'a withheld draft stays its author’s');
});
