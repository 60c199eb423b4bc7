// The core's container policy (core/content/containers.ts): one call answers whether a viewer
// may post into a container, with the viewer's role and what the core knows of the container,
// for content plugins that must not read `container_members` themselves.
import { eachApp } from '../helpers/each-app';
import { makeApp } from '../helpers/app';
import { containerPolicy, containerRole, networkContainers } from '../../core';

eachApp('containerPolicy answers role, type and members; containerRole and networkContainers read membership', makeApp, async (t, { app }) => {
  const rt = app.ruche;
  const root = rt.networks.root().id;
  const user = async (name: string): Promise<number> => {
    const r = await rt.users.create({ username: name, email: `${name}@example.com`, password: 'violet staple engine 7' }, 'member');
    if (!('id' in r)) throw new Error(JSON.stringify(r.errors));
    return r.id;
  };
  const [owner, member, outsider, suspended] = [await user('owner'), await user('member'), await user('outsider'), await user('suspended')];
  const project = (networkId = root) => rt.entities.create({ type: 'project', ownerId: owner, networkId, access: 'group' });
  const open = await project();
  const empty = await project();
  const gone = await project();
  const now = Date.now();
  await rt.db('container_members').insert([
    { container_id: open, user_id: owner, role: 'admin', created_at: now },
    { container_id: open, user_id: member, role: 'member', created_at: now },
    { container_id: open, user_id: suspended, role: 'member', created_at: now },
    { container_id: gone, user_id: member, role: 'member', created_at: now },
  ]);
  await rt.entities.softDelete(gone);
  await rt.users.setStatus(suspended, 'suspended');
  const viewer = async (id: number) => (await rt.users.viewer(id))!;

  // No plugin owns `project`: members post, at the `group` level only.
  t.deepEqual(await containerPolicy(rt, await viewer(member), open, root), {
    canPost: true,
    allowedAccess: ['group'],
    type: 'project',
    role: 'member',
    hasMembers: true,
  });
  t.like(await containerPolicy(rt, await viewer(owner), open, root), { canPost: true, role: 'admin' });
  t.like(await containerPolicy(rt, await viewer(outsider), open, root), { canPost: false, role: null, type: 'project', hasMembers: true });
  t.like(await containerPolicy(rt, await viewer(suspended), open, root), { canPost: false, role: 'member' }, 'a suspended member posts nowhere');
  t.like(await containerPolicy(rt, await viewer(owner), empty, root), { canPost: false, role: null, hasMembers: false });
  const none = { canPost: false, allowedAccess: [], type: null, role: null, hasMembers: false };
  t.deepEqual(await containerPolicy(rt, await viewer(member), gone, root), none, 'a deleted container is no container');
  t.deepEqual(await containerPolicy(rt, await viewer(member), open, root + 999), none, 'nor one of another network');
  t.deepEqual(await containerPolicy(rt, await viewer(member), 987654, root), none, 'nor an unknown id');

  t.is(await containerRole(rt.db, open, owner), 'admin');
  t.is(await containerRole(rt.db, open, member), 'member');
  t.is(await containerRole(rt.db, open, outsider), null);
  t.is(await containerRole(rt.db, open, undefined), null);
  await rt.db.transaction(async (trx) => t.is(await containerRole(trx, open, member), 'member', 'inside a transaction too'));

  t.deepEqual(await networkContainers(rt, root), [{ id: open, type: 'project', members: 3 }], 'containers with members, not deleted ones');
  t.deepEqual(await networkContainers(rt, root, ['project']), [], 'types left out');
});
