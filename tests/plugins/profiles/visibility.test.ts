/**
 * fieldVisibleClause and canSeeField agree: random viewers, owners and levels, each answer
 * from the query compared with the predicate, on both databases.
 */
import { eachDatabase } from '../../helpers/databases';
import { makeApp } from '../../helpers/app';
import type { Viewer } from '../../../core';
import { VISIBILITY_LEVELS, canSeeField, fieldVisibleClause } from '../../../plugins/profiles/visibility';
import { addSubnetwork, addUser, befriend } from './support';

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

eachDatabase('field visibility: the query clause and the predicate agree', async (t, db) => {
  const app = await makeApp(db);
  try {
    const rt = app.app.ruche;
    const random = rng(20261123);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)];
    const nets = [await addSubnetwork(app, 'north'), await addSubnetwork(app, 'south')];
    const ids: number[] = [1];
    for (let i = 0; i < 10; i++) ids.push(await addUser(app, `user${i}`));
    for (const id of ids.slice(1)) {
      const r = random();
      if (r < 0.3) await rt.db('memberships').where({ user_id: id, network_id: rt.networks.root().id }).delete();
      for (const n of nets) if (random() < 0.4) await rt.users.setRole(id, n, 'member');
    }
    await rt.users.setRole(ids[1], rt.networks.root().id, 'admin'); // an admin of the root network
    await rt.users.setStatus(ids[2], 'suspended');
    const pairs = new Set<string>();
    for (let i = 0; i < 12; i++) {
      const a = pick(ids.slice(1));
      const b = pick(ids.slice(1));
      if (a !== b && !pairs.has(`${a}-${b}`)) {
        pairs.add(`${a}-${b}`).add(`${b}-${a}`);
        await befriend(app, a, b);
      }
    }
    const viewers: (Viewer | null)[] = [null];
    for (const id of ids) viewers.push((await rt.users.viewer(id))!);
    let checked = 0;
    for (let round = 0; round < 40; round++) {
      const viewer = pick(viewers);
      const level = pick([...VISIBILITY_LEVELS, 'bogus']);
      const fromQuery = (
        await rt
          .db('users as u')
          .modify(fieldVisibleClause(rt.db, viewer, level, 'u.id'))
          .where('u.id', '>', 0)
          .pluck('u.id')
      )
        .map(Number)
        .sort((x, y) => x - y);
      const fromPredicate: number[] = [];
      for (const owner of ids) if (await canSeeField(rt.db, viewer, level, owner)) fromPredicate.push(owner);
      t.deepEqual(
        fromQuery,
        fromPredicate.sort((x, y) => x - y),
        `viewer ${viewer?.id ?? 'guest'} level ${level}`,
      );
      checked++;
    }
    // the fixed points of the rules
    const stranger = viewers.find((v) => v && v.id === ids[3])!;
    t.true(await canSeeField(rt.db, stranger, 'private', ids[3]), 'owners see their private fields');
    t.true(
      await canSeeField(
        rt.db,
        viewers.find((v) => v?.id === ids[1])!,
        'private',
        ids[4],
      ),
      'root admins see private fields',
    );
    t.false(await canSeeField(rt.db, null, 'members', ids[4]), 'guests see no members field');
    t.true(await canSeeField(rt.db, null, 'public', ids[4]));
    t.false(
      await canSeeField(
        rt.db,
        viewers.find((v) => v?.id === ids[2])!,
        'members',
        ids[4],
      ),
      'a suspended viewer is a guest',
    );
    t.is(checked, 40);
  } finally {
    await app.close();
  }
});
