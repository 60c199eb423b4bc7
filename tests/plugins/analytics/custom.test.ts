// Custom periods that do not end today, and their comparison periods, against the
// hand-computed world of support.ts on both databases; and the figures kept in memory until
// the job's next run (memo.ts) change when it runs.
import { dateOfDay } from '../../../plugins/analytics/period';
import { ViewCounter } from '../../../plugins/analytics/counting';
import { formGroup, pageAgent, signedIn } from '../../helpers/members';
import { statementsDuring } from '../../helpers/statements';
import { buildWorld, eachAnalyticsApp, parseCsv, type AnalyticsApp } from './support';

type Agent = Awaited<ReturnType<typeof signedIn>>;

async function csv(agent: Agent, path: string): Promise<string[][]> {
  const res = await agent.http.get(path);
  if (res.status !== 200) throw new Error(`${path} answered ${res.status}`);
  return parseCsv(res.text);
}

const body = (rows: string[][]) => rows.slice(1).map((r) => r.slice(1));
const custom = (app: AnalyticsApp, from: number, to: number) => `?period=custom&from=${dateOfDay(app.today - from)}&to=${dateOfDay(app.today - to)}`;

eachAnalyticsApp('a custom period ending before yesterday: funnel, comparison, top groups, contents and contributors', async (t, app) => {
  const w = await buildWorld(app);
  await app.rollup();
  await app.rt.pluginState.configure('analytics', { memberLevel: 'true' }, app.root);
  const admin = await signedIn(app, 'admin');
  // T-9 to T-2: Alice (T-8, T-3, T-2) and Bob (T-3, T-2), both contributing; compared with
  // T-17 to T-10: Dave (read, liked) and Carol (posted).
  const q = custom(app, 9, 2);
  t.deepEqual(body(await csv(admin, `/admin/analytics/export/funnel${q}`)), [
    ['5', '100', '5', '100'],
    ['2', '40', '2', '40'],
    ['2', '40', '2', '40'],
    ['2', '40', '1', '20'],
  ]);
  // T-12 to T-2: Choir's acts are Alice's post, Bob's discussion and like, Alice's reply.
  const wide = custom(app, 12, 2);
  t.deepEqual(body(await csv(admin, `/admin/analytics/export/funnel${wide}`)), [
    ['5', '100', '5', '100'],
    ['4', '80', '0', '0'],
    ['4', '80', '0', '0'],
    ['3', '60', '0', '0'],
  ]);
  t.deepEqual((await csv(admin, `/admin/analytics/export/groups${wide}`)).slice(1), [['Choir', '4']]);
  t.deepEqual((await csv(admin, `/admin/analytics/export/contents${wide}`)).slice(1), [
    [`Post by Carol, ${dateOfDay(app.today - 10)}`, '1'],
    [`Post by Alice, ${dateOfDay(app.today - 8)}`, '1'],
    [`Discussion by Bob, ${dateOfDay(app.today - 3)}`, '1'],
  ]);
  t.deepEqual((await csv(admin, `/admin/analytics/export/contributors${wide}`)).slice(1), [
    ['Alice', '1', '1'],
    ['Bob', '1', '1'],
    ['Carol', '1', '0'],
    ['Dave', '0', '1'],
  ]);
  // Seven days ending T-2 (a window's length, not the ranking the job keeps for today): summed
  // once from the content-days, then kept until the job's next run.
  const week = `/admin/analytics/export/contents${custom(app, 8, 2)}`;
  const reads = async () => {
    const { value, sql } = await statementsDuring(app.rt, () => admin.http.get(week));
    return { rows: parseCsv(value.text).slice(1), summed: sql.some((s) => s.includes('analytics_content_days')) };
  };
  const weekRows = [
    [`Post by Alice, ${dateOfDay(app.today - 8)}`, '1'],
    [`Discussion by Bob, ${dateOfDay(app.today - 3)}`, '1'],
  ];
  t.deepEqual(await reads(), { rows: weekRows, summed: true });
  t.deepEqual(await reads(), { rows: weekRows, summed: false });
  // The previous period of the wide one (T-23 to T-13) is empty; its own comparison the same.
  t.deepEqual((await csv(admin, `/admin/analytics/export/groups${custom(app, 23, 13)}`)).slice(1), []);

  // The group Choir over T-9 to T-2, compared with T-17 to T-10 (nobody of it active).
  const alice = await signedIn(app, 'alice');
  t.deepEqual(body(await csv(alice, `/groups/${w.group}/analytics/export/funnel${q}`)), [
    ['2', '100', '2', '100'],
    ['2', '100', '0', '0'],
    ['2', '100', '0', '0'],
    ['2', '100', '0', '0'],
  ]);
  t.deepEqual((await csv(alice, `/groups/${w.group}/analytics/export/contents${q}`)).slice(1), [
    [`Publication d’Alice, ${dateOfDay(app.today - 8)}`, '1'],
    [`Discussion de Bob, ${dateOfDay(app.today - 3)}`, '1'],
  ]);
});

eachAnalyticsApp('figures kept from a run change at the next run of the job', async (t, app) => {
  const w = await buildWorld(app);
  await app.rollup();
  const admin = await signedIn(app, 'admin');
  // T-9 to today (no preset window): Alice, Bob, Carol, and the admin reading now.
  const q = custom(app, 9, 0);
  const active = async () => body(await csv(admin, `/admin/analytics/export/funnel${q}`))[1][0];
  const before = await active();
  t.is(await active(), before, 'the same figure before the job runs again');
  // Dave reads a page today: counted at the job's next run.
  await app.rt.container.resolve(ViewCounter).count({ networkId: app.root, userId: w.ids.dave, at: Date.now() });
  await app.rollup(Date.now() + 11 * 60_000);
  t.is(Number(await active()), Number(before) + 1);
});

eachAnalyticsApp('a dashboard reads the rollup state once per request, and each request reads it again', async (t, app) => {
  await buildWorld(app);
  await app.rollup();
  const admin = await signedIn(app, 'admin');
  const stateReads = async (path: string) => {
    const { value, sql } = await statementsDuring(app.rt, () => admin.http.get(path));
    t.is(value.status, 200, path);
    return sql.filter((s) => /from [`"]?analytics_rollup/.test(s)).length;
  };
  for (const path of ['/admin/analytics?period=28', `/admin/analytics${custom(app, 9, 2)}`, `/admin/analytics${custom(app, 9, 0)}`])
    t.is(await stateReads(path), 1, path);
  t.is(await stateReads('/admin/analytics?period=28'), 1, 'the next request reads it again (another process may have run the job)');
});

eachAnalyticsApp(
  'top groups of any period: runs of 90, 28 and 7 days read from the windows, against hand counts and the days summed',
  async (t, app) => {
    const w = await buildWorld(app);
    // A second group, Band (Carol its admin, Dave a member), with acts on the edges of the runs.
    const founder = pageAgent(await signedIn(app, 'carol'), '/groups/new');
    const band = await formGroup(founder, app.rt, { name: 'Band', description: '', category: 'social', visibility: 'open' }, [w.ids.dave]);
    for (const daysAgo of [120, 97, 91, 90, 29, 28, 7, 0]) {
      const id = await app.rt.entities.create({
        type: 'status',
        ownerId: w.ids.carol,
        networkId: app.root,
        access: 'network',
        containerId: band,
        createdAt: app.at(daysAgo),
      });
      await app.rt.activity.record({ verb: 'posted', actorId: w.ids.carol, entityId: id, networkId: app.root, at: app.at(daysAgo) });
      await app.rt.activity.record({ verb: 'liked', actorId: w.ids.dave, entityId: id, networkId: app.root, at: app.at(daysAgo, 13) });
    }
    await app.rollup();
    const admin = await signedIn(app, 'admin');
    const groups = async (from: number, to: number) =>
      body(await csv(admin, `/admin/analytics/export/groups${custom(app, from, to)}`)).map((r) => Number(r[0]));
    // Choir's acts: T-8 (1), T-3 (2), T-2 (1); Band's: 2 on each of its days.
    t.deepEqual(await groups(100, 1), [12, 4], 'T-100 to T-1: 90 + 7 + 3 days (Band: T-97, T-91, T-90, T-29, T-28, T-7)');
    t.deepEqual(await groups(99, 3), [12, 3], 'T-99 to T-3: 90 + 7 days');
    t.deepEqual(await groups(8, 8), [1], 'one day');
    t.deepEqual(await groups(27, 9), [], 'T-27 to T-9: 7 + 7 + 5 days, nobody acted');
    // Every period of these bounds: the same as summing the days of analytics_days.
    const bounds = [150, 120, 119, 97, 91, 90, 89, 45, 30, 29, 28, 9, 8, 7, 3, 2, 1, 0];
    for (const from of bounds)
      for (const to of bounds.filter((b) => b <= from && b >= 1)) {
        const summed = (await app
          .db('analytics_days')
          .where('network_id', app.root)
          .where('container_id', '>', 0)
          .whereBetween('day', [app.today - from, app.today - to])
          .groupBy('container_id')
          .havingRaw('sum(contributions + comments + reactions) > 0')
          .select(app.db.raw('sum(contributions + comments + reactions) as acts'))
          .orderBy('acts', 'desc')) as { acts: unknown }[];
        t.deepEqual(
          await groups(from, to),
          summed.map((r) => Number(r.acts)),
          `T-${from} to T-${to}`,
        );
      }
  },
);
