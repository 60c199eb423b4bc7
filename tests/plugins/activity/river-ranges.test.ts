// The home feed's river read as its sources' index ranges (issue 18) answers what the walk of
// the network's acts answers: the same rows and cursors, page after page, for every member of
// random worlds (follows, connections, groups, mentions, owned entities of every access level,
// deleted and withheld ones, a suspended actor, a second network, a followed tag), at page sizes
// that make the merge read several rounds and passes.
import type { ExecutionContext } from 'ava';
import { ACCESS_LEVELS, type FeedQuery, type Viewer } from '../../../core';
import { StatusService } from '../../../plugins/activity/service';
import { addSubNetwork } from '../../helpers/members';
import { eachActApp, type ActApp } from './support';
import { prng } from '../../helpers/prng';

async function world(app: ActApp, seed: number): Promise<{ users: number[]; rootId: number }> {
  const rt = app.rt;
  const rand = prng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
  const now = Date.now();
  const rootId = rt.networks.root().id;
  const sub = await addSubNetwork(rt, `r${seed}`, `R ${seed}`, { created_at: now });
  await rt.networks.load();
  const users = await app.members(...Array.from({ length: 14 }, (_, i) => `w${seed}u${i}`));
  for (const u of users) if (rand() < 0.5) await rt.db('memberships').insert({ user_id: u, network_id: sub, role: 'member', created_at: now });
  for (let i = 0; i < 40; i++) {
    const [a, b] = [pick(users), pick(users)];
    if (a !== b)
      await rt.db('follows').insert({ follower_id: a, followee_id: b, created_at: now }).onConflict(['follower_id', 'followee_id']).ignore();
  }
  for (let i = 0; i < 8; i++) {
    const [a, b] = [pick(users), pick(users)];
    if (a !== b && !(await rt.db('user_relations').where({ user_id: a, other_id: b, kind: 'friend' }).first())) await app.befriend(a, b);
  }
  const groups: number[] = [];
  for (let i = 0; i < 4; i++)
    groups.push(
      await app.container(
        pick(users),
        users.filter(() => rand() < 0.35),
        i === 3 ? sub : rootId,
      ),
    );
  const entities: number[] = [];
  for (let i = 0; i < 160; i++) {
    const owner = pick(users);
    const group = rand() < 0.4 ? pick(groups) : null;
    const networkId = group === groups[3] ? sub : rootId;
    const access = group ? pick(['group', 'members', 'private'] as const) : pick(ACCESS_LEVELS.filter((l) => l !== 'group'));
    const id = await app.quickPost(owner, `w${seed} post ${i}`, access, { containerId: group, networkId });
    entities.push(id);
    // Others act on it: comments and likes make the river denser around some entities.
    for (let j = 0; j < Math.floor(rand() * 4); j++)
      await rt.activity.record({ verb: rand() < 0.5 ? 'liked' : 'commented', actorId: pick(users), entityId: id, networkId });
    if (rand() < 0.1) await rt.db('content_mentions').insert({ entity_id: id, object_id: 0, user_id: pick(users) });
    if (rand() < 0.05) await rt.db('entities').where({ id }).update({ deleted_at: now });
    if (rand() < 0.05) await rt.db('entities').where({ id }).update({ withheld: true });
    if (rand() < 0.1) await rt.db('entity_tags').insert({ entity_id: id, tag: 'river' });
  }
  // A suspended actor (their acts leave every river) and a member who follows a tag (that member walks).
  await rt.db('users').where({ id: users[5] }).update({ status: 'suspended' });
  await rt.db('tag_follows').insert({ user_id: users[6], network_id: rootId, tag: 'river', created_at: now });
  return { users, rootId };
}

/** Every page of `viewer`'s home feed at `limit`, read by ranges and by the walk, must be equal. */
async function samePages(t: ExecutionContext, app: ActApp, viewer: Viewer, networkId: number, limit: number): Promise<number> {
  const sources = app.rt.container.resolve(StatusService).homeSources(viewer, networkId);
  let ranged: FeedQuery = { networkIds: [networkId], ...sources, limit };
  let walked: FeedQuery = { ...ranged, ranges: undefined };
  let rows = 0;
  for (let page = 0; page < 30; page++) {
    const [a, b] = [await app.rt.activity.list(viewer, ranged), await app.rt.activity.list(viewer, walked)];
    t.deepEqual(a, b, `${viewer.username}, limit ${limit}, page ${page}`);
    rows += a.items.length;
    if (a.older === null || b.older === null) break;
    ranged = { ...ranged, before: a.older };
    walked = { ...walked, before: b.older };
  }
  return rows;
}

eachActApp('the home feed read by ranges is the walk’s, page after page, for every member of random worlds', async (t, app) => {
  let rows = 0;
  // The ranges' reads, counted: the merge ran (a member with few sources does not walk).
  let rounds = 0;
  app.rt.db.on('query', (q: { sql: string }) => {
    if (q.sql.includes('from activity as x where x.')) rounds++;
  });
  for (const seed of [3, 11]) {
    const { users, rootId } = await world(app, seed);
    for (const id of users) {
      const viewer = await app.rt.users.viewer(id);
      if (!viewer || viewer.status !== 'active') continue;
      // Ranges from the top, or after a short walk (a real site walks 8,000 act ids first).
      for (const [walkFirst, limit] of [
        [0, 2],
        [0, 20],
        [30, 20],
      ]) {
        app.rt.activity.walkFirst = walkFirst;
        rows += await samePages(t, app, viewer, rootId, limit);
      }
    }
  }
  t.true(rows > 500, `the worlds' rivers are not empty (${rows} rows compared)`);
  t.true(rounds > 100, `the rivers were read by ranges (${rounds} rounds)`);
});
