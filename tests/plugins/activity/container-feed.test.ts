// A container's (a group's) feed pages through `activity.container_id` (migration 016): each
// row repeats its entity's container, written with the row, moved with the entity, and
// filled for rows written before the column existed.
import { activityContainer } from '../../../core/db/migrations/016_activity_container';
import { type ActApp, eachActApp } from './support';

const containersOf = async (app: ActApp, entityId: number): Promise<(number | null)[]> =>
  ((await app.rt.db('activity').where({ entity_id: entityId }).orderBy('id').pluck('container_id')) as (number | null)[]).map((c) =>
    c === null ? null : Number(c),
  );

async function feedIds(app: ActApp, viewerId: number, containerId: number): Promise<number[]> {
  const viewer = (await app.rt.users.viewer(viewerId)) ?? null;
  const page = await app.rt.activity.list(viewer, { networkIds: [app.rt.networks.root().id], containerId });
  return page.items.map((i) => i.entityId);
}

eachActApp('an act in a container carries it, and a container feed lists acts on its entities only', async (t, app) => {
  const ann = await app.member('ann');
  const bob = await app.member('bob');
  const group = await app.container(ann, [bob]);
  const inGroup = await app.quickPost(ann, 'inside the group', 'group', { containerId: group });
  const outside = await app.quickPost(ann, 'outside any group');
  const bobAgent = await app.as('bob');
  t.is((await bobAgent.post(`/entities/${inGroup}/comments`, { body: 'a comment in the group' })).status, 303);

  t.deepEqual(await containersOf(app, inGroup), [group, group], 'the post and the comment carry the group');
  t.deepEqual(await containersOf(app, outside), [null]);
  t.deepEqual(await feedIds(app, bob, group), [inGroup, inGroup]);
});

eachActApp('moving an entity to another container moves its acts to that feed', async (t, app) => {
  const ann = await app.member('ann');
  const first = await app.container(ann, []);
  const second = await app.container(ann, []);
  const post = await app.quickPost(ann, 'moving house', 'group', { containerId: first });

  await app.rt.entities.update(post, { containerId: second });
  t.deepEqual(await containersOf(app, post), [second]);
  t.deepEqual(await feedIds(app, ann, first), []);
  t.deepEqual(await feedIds(app, ann, second), [post]);

  await app.rt.entities.update(post, { containerId: null, access: 'members' });
  t.deepEqual(await containersOf(app, post), [null]);
  t.deepEqual(await feedIds(app, ann, second), []);
});

eachActApp('migration 016 fills the container of rows written before it', async (t, app) => {
  const ann = await app.member('ann');
  const group = await app.container(ann, []);
  const inGroup = await app.quickPost(ann, 'old post in a group', 'group', { containerId: group });
  const outside = await app.quickPost(ann, 'old post outside');

  await activityContainer.down(app.rt.db);
  await activityContainer.up(app.rt.db);
  t.deepEqual(await containersOf(app, inGroup), [group]);
  t.deepEqual(await containersOf(app, outside), [null]);
  t.deepEqual(await feedIds(app, ann, group), [inGroup]);
});
