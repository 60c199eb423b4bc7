/**
 * Property test of the access model: for many random worlds (members with roles in
 * several networks, suspended members, friendships, group containers, entities at every
 * access level, some deleted, some unpublished drafts), the predicate `canSee` and the query clause `visibleTo`
 * agree for every (viewer, entity) pair — on SQLite and on PostgreSQL.
 */
import { eachDatabase } from '../helpers/databases';
import { makeApp } from '../helpers/app';
import { ACCESS_LEVELS, isPublished, type Viewer } from '../../core';

function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SEEDS = [1, 7, 42];

eachDatabase('canSee and visibleTo agree on random worlds', async (t, db) => {
  const { app, close } = await makeApp(db, { install: { siteName: 'Access', locale: 'en' } });
  try {
    const rt = app.ruche;
    const knex = rt.db;
    for (const seed of SEEDS) {
      const rand = prng(seed);
      const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
      const now = Date.now();
      const rootId = rt.networks.root().id;
      const subIds: number[] = [];
      for (const [i, allowGuests] of [true, false].entries()) {
        const [row] = await knex('networks')
          .insert({
            slug: `s${seed}-${i}`,
            name: `Sub ${i}`,
            parent_id: rootId,
            allow_guests: allowGuests,
            theme: 'default',
            locale: 'en',
            join_policy: 'open',
            created_at: now,
          })
          .returning('id');
        subIds.push(Number(typeof row === 'object' ? row.id : row));
      }
      await knex('networks')
        .where({ id: rootId })
        .update({ allow_guests: seed % 2 === 0 });
      await rt.networks.load();
      const networkIds = [rootId, ...subIds];

      const userIds: number[] = [];
      for (let i = 0; i < 14; i++) {
        const name = `u${seed}x${i}`;
        const status = i === 3 ? 'suspended' : i === 4 ? 'pending' : 'active';
        const [row] = await knex('users')
          .insert({
            username: name,
            username_lower: name,
            email: `${name}@ex.com`,
            email_lower: `${name}@ex.com`,
            display_name: name,
            status,
            is_root_admin: i === 0,
            created_at: now,
            updated_at: now,
          })
          .returning('id');
        const id = Number(typeof row === 'object' ? row.id : row);
        userIds.push(id);
        await knex('memberships').insert({
          user_id: id,
          network_id: rootId,
          role: i === 1 ? 'admin' : i === 2 ? 'moderator' : 'member',
          created_at: now,
        });
        for (const sub of subIds) {
          if (rand() < 0.5)
            await knex('memberships').insert({
              user_id: id,
              network_id: sub,
              role: pick(['member', 'member', 'member', 'moderator', 'admin']),
              created_at: now,
            });
        }
      }
      for (let i = 0; i < 25; i++) {
        const a = pick(userIds);
        const b = pick(userIds);
        if (a === b) continue;
        for (const [x, y] of [
          [a, b],
          [b, a],
        ]) {
          await knex('user_relations')
            .insert({ user_id: x, other_id: y, kind: 'friend', created_at: now })
            .onConflict(['user_id', 'other_id', 'kind'])
            .ignore();
        }
      }
      const insertEntity = async (row: Record<string, unknown>): Promise<number> => {
        const [r] = await knex('entities')
          .insert({ created_at: now, updated_at: now, ...row })
          .returning('id');
        return Number(typeof r === 'object' ? r.id : r);
      };
      const groups: number[] = [];
      for (let i = 0; i < 3; i++) {
        const g = await insertEntity({
          type: 'group',
          owner_id: pick(userIds),
          network_id: pick(networkIds),
          access: 'public',
          container_id: null,
          deleted_at: null,
        });
        groups.push(g);
        for (const u of userIds)
          if (rand() < 0.4) await knex('container_members').insert({ container_id: g, user_id: u, role: 'member', created_at: now });
      }
      const entityIds: number[] = [];
      for (let i = 0; i < 150; i++) {
        entityIds.push(
          await insertEntity({
            type: 'post',
            owner_id: pick(userIds),
            network_id: pick(networkIds),
            access: pick(ACCESS_LEVELS),
            container_id: rand() < 0.6 ? pick(groups) : null,
            deleted_at: rand() < 0.1 ? now : null,
            published: rand() >= 0.15,
          }),
        );
      }
      const rows: Array<{
        id: number;
        owner_id: number;
        container_id: number | null;
        network_id: number;
        access: string;
        deleted_at: number | null;
        published: boolean | number;
      }> = await knex('entities')
        .whereIn('id', entityIds)
        .select('id', 'owner_id', 'container_id', 'network_id', 'access', 'deleted_at', 'published');

      const viewers: Array<Viewer | null> = [null];
      for (const id of userIds) viewers.push((await rt.users.viewer(id))!);
      let visiblePairs = 0;
      let hiddenPairs = 0;
      let ownDrafts = 0;
      for (const viewer of viewers) {
        const clause = new Set(
          (await knex('entities as e').modify(rt.access.visibleTo(viewer, 'e')).whereIn('e.id', entityIds).select('e.id')).map((r: { id: number }) =>
            Number(r.id),
          ),
        );
        const mismatches: string[] = [];
        const unpublishedLeaks: string[] = [];
        for (const row of rows) {
          const predicate = await rt.access.canSee(viewer, row);
          if (predicate !== clause.has(Number(row.id))) {
            mismatches.push(
              `entity ${row.id} (${row.access}, net ${row.network_id}, owner ${row.owner_id}, container ${row.container_id}, deleted ${row.deleted_at !== null}, published ${isPublished(row)}): canSee=${predicate}`,
            );
          }
          if (!isPublished(row) && predicate && (!viewer || viewer.id !== Number(row.owner_id)))
            unpublishedLeaks.push(`entity ${row.id} seen by ${viewer ? viewer.username : 'a guest'}`);
          if (!isPublished(row) && predicate && row.deleted_at === null) ownDrafts++;
          if (predicate) visiblePairs++;
          else hiddenPairs++;
        }
        t.deepEqual(mismatches, [], `seed ${seed}, viewer ${viewer ? `${viewer.username} (${viewer.status})` : 'guest'}`);
        t.deepEqual(unpublishedLeaks, [], `seed ${seed}: an unpublished entity is its owner's only (root admins included)`);
      }
      t.true(ownDrafts > 0, `seed ${seed}: some owners see their own unpublished entities (${ownDrafts})`);
      t.true(
        visiblePairs > 100 && hiddenPairs > 100,
        `seed ${seed}: the world exercises both outcomes (${visiblePairs} visible, ${hiddenPairs} hidden)`,
      );
    }
  } finally {
    await close();
  }
});
