/**
 * Property test of the access model: for many random worlds (members with roles in
 * several networks, suspended members, friendships, group containers, entities at every
 * access level, some deleted, some unpublished drafts), the predicate `canSee` and the query clause `visibleTo`
 * agree for every (viewer, entity) pair — on SQLite and on PostgreSQL. The same holds for a
 * plugin's own rows described by a shape: profile field values (a person's rows, in their
 * owner's networks), at a level read from a column or fixed for the whole query.
 */
import type { Knex } from 'knex';
import { eachRuntime } from '../helpers/each-app';
import { addSubNetwork } from '../helpers/members';
import { insertId, insertMember } from '../helpers/rows';
import { ACCESS_LEVELS, isPublished, type Viewer } from '../../core';
import { profileValueShape } from '../../plugins/profiles/api';
import { prng } from '../helpers/prng';

const SEEDS = [1, 7, 42];

/** Makes two members friends both ways (again is a no-op). */
async function befriend(knex: Knex, a: number, b: number, now: number): Promise<void> {
  await knex('user_relations')
    .insert([
      { user_id: a, other_id: b, kind: 'friend', created_at: now },
      { user_id: b, other_id: a, kind: 'friend', created_at: now },
    ])
    .onConflict(['user_id', 'other_id', 'kind'])
    .ignore();
}

eachRuntime('canSee and visibleTo agree on random worlds', async (t, rt) => {
  const knex = rt.db;
  for (const seed of SEEDS) {
    const rand = prng(seed);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
    const now = Date.now();
    const rootId = rt.networks.root().id;
    const subIds: number[] = [];
    for (const [i, allowGuests] of [true, false].entries())
      subIds.push(await addSubNetwork(rt, `s${seed}-${i}`, `Sub ${i}`, { allow_guests: allowGuests, created_at: now }));
    await knex('networks')
      .where({ id: rootId })
      .update({ allow_guests: seed % 2 === 0 });
    await rt.networks.load();
    const networkIds = [rootId, ...subIds];

    const userIds: number[] = [];
    for (let i = 0; i < 14; i++) {
      const name = `u${seed}x${i}`;
      const status = i === 3 ? 'suspended' : i === 4 ? 'pending' : 'active';
      const id = await insertMember(
        knex,
        name,
        { [rootId]: i === 1 ? 'admin' : i === 2 ? 'moderator' : 'member' },
        { status, is_root_admin: i === 0 },
        now,
      );
      userIds.push(id);
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
      if (a !== b) await befriend(knex, a, b, now);
    }
    const insertEntity = (row: Record<string, unknown>): Promise<number> => insertId(knex, 'entities', { created_at: now, updated_at: now, ...row });
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
          withheld: rand() < 0.15,
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
      withheld: boolean | number;
    }> = await knex('entities')
      .whereIn('id', entityIds)
      .select('id', 'owner_id', 'container_id', 'network_id', 'access', 'deleted_at', 'published', 'withheld');

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
            `entity ${row.id} (${row.access}, net ${row.network_id}, owner ${row.owner_id}, container ${row.container_id}, deleted ${row.deleted_at !== null}, published ${isPublished(row)}, withheld ${Number(row.withheld)}): canSee=${predicate}`,
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
});

const PROFILE_LEVELS = [...ACCESS_LEVELS, 'bogus'] as const;

eachRuntime('canSee and visibleTo agree on profile values × levels × viewers', async (t, rt) => {
  const knex = rt.db;
  const now = Date.now();
  const rootId = rt.networks.root().id;
  await knex('networks').where({ id: rootId }).update({ allow_guests: true });
  const network = (slug: string, allowGuests: boolean, isolated: boolean) =>
    addSubNetwork(rt, slug, slug, { allow_guests: allowGuests, isolated, created_at: now });
  const open = await network('open', true, false);
  const partner = await network('partner', false, true);
  await rt.networks.load();
  const fields = new Map<number, string>();
  for (const [i, level] of PROFILE_LEVELS.entries())
    fields.set(
      await insertId(knex, 'profile_fields', { key: `f_${level}`, label_en: level, label_fr: level, type: 'text', visibility: level, position: i }),
      level,
    );

  let n = 0;
  const user = async (roles: Record<number, string>, extra: Record<string, unknown> = {}): Promise<number> => {
    const name = `p${n++}`;
    return insertMember(knex, name, roles, extra, now);
  };
  const named = {
    rootAdmin: await user({ [rootId]: 'member' }, { is_root_admin: true }),
    rootNetworkAdmin: await user({ [rootId]: 'admin' }),
    rootModerator: await user({ [rootId]: 'moderator' }),
    suspended: await user({ [rootId]: 'member' }, { status: 'suspended' }),
    pending: await user({ [rootId]: 'member' }, { status: 'pending' }),
    partnerMember: await user({ [partner]: 'member' }),
    partnerAdmin: await user({ [partner]: 'admin' }),
    openAdmin: await user({ [rootId]: 'member', [open]: 'admin' }),
    rootOnly: await user({ [rootId]: 'member' }),
    rootAndPartner: await user({ [rootId]: 'member', [partner]: 'member' }),
  };
  for (const seed of SEEDS) {
    const rand = prng(seed);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
    const ids = [...Object.values(named)];
    for (let i = 0; i < 6; i++) {
      const roles: Record<number, string> = {};
      for (const net of [rootId, open, partner]) if (rand() < 0.5) roles[net] = pick(['member', 'member', 'moderator', 'admin']);
      ids.push(await user(roles));
    }
    for (let i = 0; i < 20; i++) {
      const [a, b] = [pick(ids), pick(ids)];
      if (a !== b) await befriend(knex, a, b, now);
    }
    await befriend(knex, named.rootOnly, named.partnerMember, now);
    await knex('profile_values').whereIn('user_id', ids).delete();
    for (const owner of ids)
      for (const fieldId of fields.keys())
        if (rand() < 0.7 || owner === named.rootOnly) await knex('profile_values').insert({ user_id: owner, field_id: fieldId, value: `v${seed}` });

    const viewers: Array<Viewer | null> = [null];
    for (const id of ids) viewers.push((await rt.users.viewer(id))!);
    const sees = (viewer: Viewer | null, owner: number, level: string) =>
      rt.access.canSee(viewer, { owner_id: owner, access: level }, profileValueShape());
    let visible = 0;
    let hidden = 0;
    for (const viewer of viewers) {
      const who = viewer ? `${viewer.username} (${viewer.status})` : 'guest';
      // The level read from a column: every value of every field in one query.
      const rows: { user_id: number; field_id: number }[] = await knex('profile_values as pv')
        .join('profile_fields as pf', 'pf.id', 'pv.field_id')
        .whereIn('pv.user_id', ids)
        .select('pv.user_id', 'pv.field_id');
      const clause = new Set(
        (
          await knex('profile_values as pv')
            .join('profile_fields as pf', 'pf.id', 'pv.field_id')
            .whereIn('pv.user_id', ids)
            .modify(rt.access.visibleTo(viewer, profileValueShape('pv.user_id', 'pf.visibility')))
            .select('pv.user_id', 'pv.field_id')
        ).map((r: { user_id: number; field_id: number }) => `${r.user_id}/${r.field_id}`),
      );
      const mismatches: string[] = [];
      for (const r of rows) {
        const level = fields.get(Number(r.field_id))!;
        const predicate = await sees(viewer, Number(r.user_id), level);
        if (predicate !== clause.has(`${r.user_id}/${r.field_id}`)) mismatches.push(`owner ${r.user_id} ${level}: canSee=${predicate}`);
        if (predicate) visible++;
        else hidden++;
      }
      t.deepEqual(mismatches, [], `seed ${seed}, viewer ${who}, level from a column`);
      // One level for the whole query (the directory's filters): decided in JavaScript, owners in SQL.
      for (const level of PROFILE_LEVELS) {
        const fromQuery = new Set(
          (
            await knex('users as u')
              .whereIn('u.id', ids)
              .modify(rt.access.visibleTo(viewer, profileValueShape('u.id', { value: level })))
              .pluck('u.id')
          ).map(Number),
        );
        const wrong: number[] = [];
        for (const owner of ids) if ((await sees(viewer, owner, level)) !== fromQuery.has(owner)) wrong.push(owner);
        t.deepEqual(wrong, [], `seed ${seed}, viewer ${who}, fixed level ${level}`);
      }
    }
    t.true(visible > 200 && hidden > 200, `seed ${seed}: both outcomes (${visible} visible, ${hidden} hidden)`);
  }

  // Fixed points, each through the predicate and the clause.
  const viewer = async (id: number | null) => (id === null ? null : (await rt.users.viewer(id))!);
  const both = async (who: number | null, owner: number, level: string): Promise<boolean> => {
    const v = await viewer(who);
    const predicate = await rt.access.canSee(v, { owner_id: owner, access: level }, profileValueShape());
    const inQuery = !!(await knex('users as u')
      .where('u.id', owner)
      .modify(rt.access.visibleTo(v, profileValueShape('u.id', { value: level })))
      .first('u.id'));
    t.is(inQuery, predicate, `viewer ${who} owner ${owner} ${level}: clause and predicate`);
    return predicate;
  };
  // Differed before: the profiles plugin's own `members` meant any signed-in member.
  t.false(await both(named.partnerMember, named.rootOnly, 'members'), 'a partner member sees no members field of someone outside their network');
  t.true(await both(named.partnerMember, named.rootAndPartner, 'members'), 'but does of someone in their partner network');
  t.true(await both(named.rootOnly, named.partnerMember, 'members'), 'root members are the community');
  t.false(await both(named.rootOnly, named.partnerMember, 'network'), 'network: sharing a network with the owner');
  t.true(await both(named.partnerMember, named.rootOnly, 'friends'), 'friends is the core word (was connections)');
  t.false(await both(named.partnerMember, named.rootOnly, 'connections'), 'the old word is no level');
  // Root rights: the core's rule (hasRootRights).
  t.true(await both(named.rootNetworkAdmin, named.partnerMember, 'private'), 'an admin of the root network has root rights');
  t.true(await both(named.rootAdmin, named.partnerMember, 'private'));
  t.false(await both(named.partnerAdmin, named.rootAndPartner, 'private'), 'a network admin does not moderate a person: no private fields');
  t.false(await both(named.openAdmin, named.rootOnly, 'private'));
  t.false(await both(named.suspended, named.rootOnly, 'members'), 'a suspended viewer is a guest');
  t.true(await both(named.suspended, named.rootOnly, 'public'));
  t.false(await both(null, named.rootOnly, 'members'));
  t.true(await both(named.rootOnly, named.rootOnly, 'private'), 'owners see their own');
  t.true(await both(named.rootOnly, named.rootOnly, 'bogus'), 'even at a level the core does not know');
  t.false(await both(named.rootAndPartner, named.rootOnly, 'bogus'), 'which nobody else sees');
});
