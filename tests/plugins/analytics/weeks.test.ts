// The weekly member rows (plugins/analytics/weeks.ts): the job keeps them equal to the
// member-days summed by ISO week, run after run; custom periods crossing week boundaries count
// the same distinct members from whole weeks and end days as from every member-day (network and
// group, the period and the one compared with); a member's erasure takes their weekly rows.
import { completeDeletion } from '../../../core/members/deletion';
import { ViewCounter } from '../../../plugins/analytics/counting';
import { AnalyticsService } from '../../../plugins/analytics/service';
import { weekOf, weekSpans, weekStart } from '../../../plugins/analytics/weeks';
import { monthOf, monthStart, periodSpans } from '../../../plugins/analytics/months';
import { dayOfDate } from '../../../plugins/analytics/period';
import { signedIn } from '../../helpers/members';
import { statementsDuring } from '../../helpers/statements';
import { buildWorld, eachAnalyticsApp, parseCsv, type AnalyticsApp, type World } from './support';
import { dateOfDay } from '../../../plugins/analytics/period';
import test from 'ava';

type Agent = Awaited<ReturnType<typeof signedIn>>;

test('weeks start on Mondays; a period is its whole weeks and the days at its ends', (t) => {
  const monday = dayOfDate('2026-11-30')!;
  t.is(weekStart(weekOf(monday)), monday);
  t.is(weekOf(monday - 1), weekOf(monday) - 1, 'the Sunday before is the week before');
  t.is(weekOf(monday + 6), weekOf(monday), 'the Sunday after is the same week');
  const w = weekOf(monday);
  t.deepEqual(weekSpans(monday, monday + 6), { weeks: [w, w], days: [] });
  t.deepEqual(weekSpans(monday - 2, monday + 8), {
    weeks: [w, w],
    days: [
      [monday - 2, monday - 1],
      [monday + 7, monday + 8],
    ],
  });
  t.deepEqual(weekSpans(monday + 1, monday + 12), { weeks: null, days: [[monday + 1, monday + 12]] });
  t.deepEqual(weekSpans(monday - 7, monday + 13), { weeks: [w - 1, w + 1], days: [] });
  t.deepEqual(weekSpans(monday + 3, monday + 3), { weeks: null, days: [[monday + 3, monday + 3]] });
});

test('a period is its whole months, then the whole weeks and days at its ends: every day once', (t) => {
  const jan15 = dayOfDate('2026-01-15')!;
  t.is(monthStart(monthOf(jan15)), dayOfDate('2026-01-01')!);
  t.is(monthOf(dayOfDate('2026-02-28')!) + 1, monthOf(dayOfDate('2026-03-01')!));
  t.is(monthOf(dayOfDate('2026-12-31')!) + 1, monthOf(dayOfDate('2027-01-01')!));
  t.deepEqual(periodSpans(dayOfDate('2026-02-01')!, dayOfDate('2026-03-31')!).months, [
    monthOf(dayOfDate('2026-02-01')!),
    monthOf(dayOfDate('2026-03-01')!),
  ]);
  // Every period of up to 400 days starting on any of 70 days: its spans cover each of its days exactly once.
  for (let from = jan15; from < jan15 + 70; from++)
    for (const length of [1, 6, 13, 27, 28, 31, 45, 62, 90, 200, 365, 400]) {
      const to = from + length - 1;
      const { months, weeks, days } = periodSpans(from, to);
      const covered: number[] = [];
      if (months) for (let m = months[0]; m <= months[1]; m++) for (let d = monthStart(m); d < monthStart(m + 1); d++) covered.push(d);
      for (const [a, b] of weeks) for (let wk = a; wk <= b; wk++) for (let d = weekStart(wk); d < weekStart(wk) + 7; d++) covered.push(d);
      for (const [a, b] of days) for (let d = a; d <= b; d++) covered.push(d);
      covered.sort((a, b) => a - b);
      if (covered.length !== length || covered[0] !== from || covered.some((d, i) => d !== from + i)) t.fail(`${from} + ${length} days`);
      if (length >= 62) t.truthy(months, `${length} days hold a whole month`);
    }
  t.pass();
});

/** The world, with more views and acts spread over ten weeks (so periods cross several week and month boundaries). */
async function spreadWorld(app: AnalyticsApp): Promise<World> {
  const w = await buildWorld(app);
  const counter = app.rt.container.resolve(ViewCounter);
  for (let d = 4; d <= 75; d++) {
    if (d % 2 === 0) await counter.count({ networkId: app.root, userId: w.ids.alice, at: app.at(d) });
    if (d % 3 === 0) await counter.count({ networkId: app.root, userId: w.ids.carol, at: app.at(d) });
    if (d % 5 === 0) await counter.count({ networkId: app.root, userId: w.ids.bob, at: app.at(d) });
  }
  // Bob posts in Choir at T-22 (contributing), Alice likes Carol's status at T-16 (participating).
  const post = await app.rt.entities.create({
    type: 'status',
    ownerId: w.ids.bob,
    networkId: app.root,
    access: 'network',
    containerId: w.group,
    createdAt: app.at(22),
  });
  await app.rt.activity.record({ verb: 'posted', actorId: w.ids.bob, entityId: post, networkId: app.root, at: app.at(22) });
  await app.rt.activity.record({ verb: 'liked', actorId: w.ids.alice, entityId: w.s2, networkId: app.root, at: app.at(16) });
  return w;
}

/** The member-days summed by week (or month), as the job should keep them. */
async function weeksFromDays(app: AnalyticsApp, spanOf: (day: number) => number = weekOf): Promise<string[]> {
  const rows = (await app.db('analytics_member_days').where('network_id', app.root).select()) as Record<string, unknown>[];
  const sums = new Map<string, [number, number]>();
  for (const r of rows) {
    const key = `${Number(r.container_id)}:${spanOf(Number(r.day))}:${Number(r.user_id)}`;
    const s = sums.get(key) ?? [0, 0];
    sums.set(key, [s[0] + Number(r.participations), s[1] + Number(r.contributions)]);
  }
  return [...sums].map(([k, [p, c]]) => `${k}:${p}:${c}`).sort();
}

async function weekRows(app: AnalyticsApp, table = 'analytics_member_weeks', column = 'week'): Promise<string[]> {
  const rows = (await app.db(table).where('network_id', app.root).select()) as Record<string, unknown>[];
  return rows
    .map((r) => `${Number(r.container_id)}:${Number(r[column])}:${Number(r.user_id)}:${Number(r.participations)}:${Number(r.contributions)}`)
    .sort();
}

/** The distinct members active, participating and contributing in [from, to] days ago, counted from every member-day. */
async function fromDays(app: AnalyticsApp, containerId: number, from: number, to: number): Promise<number[]> {
  const row = (await app
    .db('analytics_member_days')
    .where({ network_id: app.root, container_id: containerId })
    .whereBetween('day', [app.today - from, app.today - to])
    .first(
      app.db.raw('count(distinct user_id) as a'),
      app.db.raw('count(distinct case when participations > 0 or contributions > 0 then user_id end) as p'),
      app.db.raw('count(distinct case when contributions > 0 then user_id end) as c'),
    )) as Record<string, unknown>;
  return [Number(row.a), Number(row.p), Number(row.c)];
}

const custom = (app: AnalyticsApp, from: number, to: number) => `period=custom&from=${dateOfDay(app.today - from)}&to=${dateOfDay(app.today - to)}`;

/** The funnel's active, participating and contributing of the period and of the one compared with. */
async function funnel(agent: Agent, path: string): Promise<{ now: number[]; before: number[] }> {
  const res = await agent.http.get(path);
  if (res.status !== 200) throw new Error(`${path} answered ${res.status}`);
  const rows = parseCsv(res.text).slice(2);
  return { now: rows.map((r) => Number(r[1])), before: rows.map((r) => Number(r[3])) };
}

eachAnalyticsApp('the job keeps the weekly rows equal to the member-days summed by week, run after run', async (t, app) => {
  const w = await spreadWorld(app);
  await app.rollup();
  t.true((await weekRows(app)).length > 10);
  t.deepEqual(await weekRows(app), await weeksFromDays(app));
  const monthRows = () => weekRows(app, 'analytics_member_months', 'month');
  t.true((await monthRows()).length > 4);
  t.deepEqual(await monthRows(), await weeksFromDays(app, monthOf));
  // Today's week again at the next run: Bob posts and Carol reads today.
  const bobsWeek = (rows: string[]) =>
    rows
      .find((r) => r.startsWith(`0:${weekOf(app.today)}:${w.ids.bob}:`))
      ?.split(':')
      .map(Number) ?? [];
  const contributed = bobsWeek(await weekRows(app))[4] ?? 0;
  const post = await app.rt.entities.create({ type: 'status', ownerId: w.ids.bob, networkId: app.root, access: 'network', createdAt: Date.now() });
  await app.rt.activity.record({ verb: 'posted', actorId: w.ids.bob, entityId: post, networkId: app.root, at: Date.now() });
  await app.rt.container.resolve(ViewCounter).count({ networkId: app.root, userId: w.ids.carol, at: Date.now() });
  await app.rollup(Date.now() + 11 * 60_000);
  const rows = await weekRows(app);
  t.deepEqual(rows, await weeksFromDays(app));
  t.deepEqual(await monthRows(), await weeksFromDays(app, monthOf), 'the monthly rows too');
  t.is(bobsWeek(rows)[4], contributed + 1, "Bob's post is in this week's row");
});

eachAnalyticsApp('custom periods across week boundaries: the distinct members of the weeks and end days, network and group', async (t, app) => {
  const w = await spreadWorld(app);
  await app.rollup();
  const admin = await signedIn(app, 'admin');
  // A period with whole weeks inside reads the weekly rows.
  const { sql } = await statementsDuring(app.rt, () => admin.http.get(`/admin/analytics/export/funnel?${custom(app, 30, 2)}`));
  t.true(
    sql.some((s) => s.includes('analytics_member_weeks')),
    'read from the weekly rows',
  );
  // A period of 62 days holds a whole month: read from the monthly rows.
  const long = await statementsDuring(app.rt, () => admin.http.get(`/admin/analytics/export/funnel?${custom(app, 63, 2)}`));
  t.true(
    long.sql.some((s) => s.includes('analytics_member_months')),
    'read from the monthly rows',
  );
  // Hand-counted: T-9 to T-2 is Alice and Bob (both contributing) and Carol (reads at T-9 and T-6).
  t.deepEqual((await funnel(admin, `/admin/analytics/export/funnel?${custom(app, 9, 2)}`)).now, [3, 2, 2]);
  // T-25 to T-15: Alice (reads, likes at T-16), Carol (reads), Bob (reads, posts at T-22).
  t.deepEqual((await funnel(admin, `/admin/analytics/export/funnel?${custom(app, 25, 15)}`)).now, [3, 2, 1]);
  for (const to of [2, 3, 5, 9])
    for (const length of [1, 6, 7, 8, 13, 14, 15, 22, 30, 40, 62]) {
      const from = to + length - 1;
      for (const [scope, path] of [
        [0, '/admin/analytics/export/funnel'],
        [w.group, `/groups/${w.group}/analytics/export/funnel`],
      ] as const) {
        const got = await funnel(admin, `${path}?${custom(app, from, to)}`);
        t.deepEqual(got.now, await fromDays(app, scope, from, to), `${scope ? 'Choir' : 'network'}, T-${from} to T-${to}`);
        t.deepEqual(
          got.before,
          await fromDays(app, scope, from + length, to + length),
          `${scope ? 'Choir' : 'network'}, before T-${from} to T-${to}`,
        );
      }
    }
});

eachAnalyticsApp("an erased member's rows go, and the figures kept from them at once, in every process; the next run agrees", async (t, app) => {
  const w = await spreadWorld(app);
  await app.rollup();
  const admin = await signedIn(app, 'admin');
  const path = `/admin/analytics/export/funnel?${custom(app, 30, 2)}`;
  const before = await funnel(admin, path);
  t.deepEqual(before.now, await fromDays(app, 0, 30, 2));
  // Another process's dashboard: its own kept figures (memo.ts), the same database.
  const other = new AnalyticsService(app.rt);
  const scope = { networkId: app.root, containerId: 0 };
  const otherFunnel = async () => {
    const f = await other.funnel(scope, app.today - 30, app.today - 2, 0);
    return [f.active, f.participating, f.contributing];
  };
  t.deepEqual(await otherFunnel(), before.now);
  const rowsOf = async (table: string) => Number((await app.db(table).where('user_id', w.ids.bob).count<{ n: number }[]>('* as n').first())?.n);
  t.true((await rowsOf('analytics_member_weeks')) > 0);
  await completeDeletion(app.rt, w.ids.bob, 'erase');
  for (const table of ['analytics_member_weeks', 'analytics_member_months', 'analytics_member_days', 'analytics_member_last', 'analytics_views'])
    t.is(await rowsOf(table), 0, `his rows of ${table} are gone`);
  const gone = [before.now[0] - 1, before.now[1] - 1, before.now[2] - 1];
  t.deepEqual((await funnel(admin, path)).now, gone, 'Bob (active, participating, contributing) counted no more, before the job runs again');
  t.deepEqual(await otherFunnel(), gone, 'nor by the other process');
  await app.rollup(Date.now() + 11 * 60_000);
  const after = await funnel(admin, path);
  t.deepEqual(after.now, gone);
  t.deepEqual(after.now, await fromDays(app, 0, 30, 2));
});
