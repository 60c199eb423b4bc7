// The top contents of any period read by the contents' bounds (plugins/analytics/contents.ts):
// the job keeps each content's bound equal to its acts over every day rolled up, run after run;
// the ranking read by the bounds is the one summing every content gives (the same rows, ties
// ranked by id), for the network and a group, whatever the batch and however early it stops.
import { contentSums, topContentsOf } from '../../../plugins/analytics/contents';
import { num } from '../../../plugins/analytics/figures';
import { statementsDuring } from '../../helpers/statements';
import { buildWorld, eachAnalyticsApp, type AnalyticsApp, type World } from './support';

const DAYS_AGO = [60, 45, 30, 20, 12, 9, 5, 2, 0];

/** Sixteen more contents (network and Choir) liked 0-3 times on each of DAYS_AGO (a fixed sequence: ties on purpose), one moved out of Choir. */
async function manyContents(app: AnalyticsApp, w: World): Promise<number[]> {
  const likers = [w.ids.alice, w.ids.bob, w.ids.carol, w.ids.dave];
  let seed = 7;
  const next = () => (seed = (seed * 48271) % 2147483647) % 4;
  const ids: number[] = [];
  for (let i = 0; i < 16; i++) {
    const containerId = i % 2 ? w.group : null;
    const id = await app.rt.entities.create({
      type: 'status',
      ownerId: w.ids.carol,
      networkId: app.root,
      access: 'network',
      containerId,
      createdAt: app.at(61),
    });
    ids.push(id);
    for (const daysAgo of DAYS_AGO) {
      // Content 1 leaves Choir before T-12: its later acts are the network's only.
      if (i === 1 && daysAgo === 12) await app.db('entities').where({ id }).update({ container_id: null });
      const n = i >= 14 ? 2 : next();
      for (let k = 0; k < n; k++)
        await app.rt.activity.record({ verb: 'liked', actorId: likers[k], entityId: id, networkId: app.root, at: app.at(daysAgo, 10 + k) });
    }
  }
  return ids;
}

/** The bounds kept, and the totals of the content-days (network and groups), as comparable lines. */
async function bounds(app: AnalyticsApp): Promise<{ kept: string[]; summed: string[] }> {
  const line = (r: Record<string, unknown>) => [r.container_id, r.entity_id, r.acts, r.first_day, r.last_day].map((v) => String(num(v))).join(':');
  const kept = ((await app.db('analytics_content_totals').where('network_id', app.root)) as Record<string, unknown>[]).map(line).sort();
  const totals = (container: string, filter: (q: import('knex').Knex.QueryBuilder) => void) =>
    app
      .db('analytics_content_days')
      .where('network_id', app.root)
      .modify(filter)
      .groupBy(container === '0' ? ['entity_id'] : ['container_id', 'entity_id'])
      .select(
        app.db.raw(`${container} as container_id`),
        'entity_id',
        app.db.raw('sum(acts) as acts'),
        app.db.raw('min(day) as first_day'),
        app.db.raw('max(day) as last_day'),
      ) as Promise<Record<string, unknown>[]>;
  const summed = [...(await totals('0', () => undefined)), ...(await totals('container_id', (q) => q.where('container_id', '>', 0)))]
    .map(line)
    .sort();
  return { kept, summed };
}

eachAnalyticsApp('the job keeps each content’s bound: its acts over every day rolled up, first and last day, run after run', async (t, app) => {
  const w = await buildWorld(app);
  const ids = await manyContents(app, w);
  await app.rollup();
  const first = await bounds(app);
  t.true(first.kept.length > 20);
  t.deepEqual(first.kept, first.summed);
  // Acts today on an old content and a new one: counted at the next run.
  await app.rt.activity.record({ verb: 'liked', actorId: w.ids.dave, entityId: ids[3], networkId: app.root, at: Date.now() });
  await app.rt.activity.record({ verb: 'commented', actorId: w.ids.bob, entityId: w.t3, networkId: app.root, at: Date.now() });
  await app.rollup(Date.now() + 11 * 60_000);
  const second = await bounds(app);
  t.deepEqual(second.kept, second.summed);
  t.notDeepEqual(second.kept, first.kept);
});

eachAnalyticsApp('the top contents read by the bounds are those of summing every content, ties by id, for any period and batch', async (t, app) => {
  const w = await buildWorld(app);
  await manyContents(app, w);
  await app.rollup();
  const edges = [70, 60, 45, 44, 30, 12, 9, 5, 2, 0];
  const batches = [
    { batch: 1, batches: 100 },
    { batch: 2, batches: 100 },
    { batch: 1, batches: 2 },
    { batch: 400, batches: 8 },
  ];
  let compared = 0;
  for (const scope of [
    { networkId: app.root, containerId: 0 },
    { networkId: app.root, containerId: w.group },
  ])
    for (const from of edges)
      for (const to of edges.filter((e) => e <= from)) {
        const period = { from: app.today - from, to: app.today - to };
        const all = ((await contentSums(app.db, scope, period)) as Record<string, unknown>[]).map((r) => ({ id: num(r.id), acts: num(r.acts) }));
        for (const limit of [1, 3, 40])
          for (const options of batches) {
            t.deepEqual(
              await topContentsOf(app.db, scope, period, limit, options),
              all.slice(0, limit),
              `${JSON.stringify({ scope, from, to, limit, options })}`,
            );
            compared++;
          }
      }
  t.true(compared > 400);
  // The stop: the best of the whole history, read one bound at a time, reads fewer bounds than there are contents.
  const { value: best, sql } = await statementsDuring(app.rt, () =>
    topContentsOf(app.db, { networkId: app.root, containerId: 0 }, { from: app.today - 70, to: app.today }, 1, { batch: 1, batches: 100 }),
  );
  const contents = Number((await app.db('analytics_content_totals').where({ network_id: app.root, container_id: 0 }).count('* as n'))[0].n);
  const reads = sql.filter((s) => s.includes('analytics_content_totals')).length;
  t.is(best.length, 1);
  t.true(reads < contents, `stopped early: ${reads} batches of one for ${contents} contents`);
});
