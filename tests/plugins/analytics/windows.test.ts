// The trailing windows of `analytics_days` (the preset periods' funnel and top groups read
// them) against the member-days they summarise, counted the slow way: every day, container
// and window of the hand-computed world, after the first rollup and after a later run that
// recomputes the last days only.
import { rollupDays, rollupNetwork } from '../../../plugins/analytics/rollup';
import { ViewCounter } from '../../../plugins/analytics/counting';
import { AnalyticsService } from '../../../plugins/analytics/service';
import { DAY_MS } from '../../../plugins/analytics/verbs';
import { actsColumn, setColumn, SETS, WINDOWS } from '../../../plugins/analytics/windows';
import { signedIn } from '../../helpers/members';
import { buildWorld, eachAnalyticsApp, parseCsv, type AnalyticsApp } from './support';

const IN_SET = { active: () => true, participating: (r: MemberDay) => r.p > 0 || r.c > 0, contributing: (r: MemberDay) => r.c > 0 };
interface MemberDay {
  container: number;
  day: number;
  user: number;
  p: number;
  c: number;
  acts: number;
}

/** The root network's member-days, every container. */
async function memberDays(app: AnalyticsApp): Promise<MemberDay[]> {
  return (
    (await app
      .db('analytics_member_days')
      .where('network_id', app.root)
      .select('container_id', 'day', 'user_id', 'participations', 'contributions', 'comments', 'reactions')) as Record<string, unknown>[]
  ).map((r) => ({
    container: Number(r.container_id),
    day: Number(r.day),
    user: Number(r.user_id),
    p: Number(r.participations),
    c: Number(r.contributions),
    acts: Number(r.contributions) + Number(r.comments) + Number(r.reactions),
  }));
}

/** The windows' columns as the rollup wrote them, and as counted from the member-days, per container and day. */
async function bothWays(app: AnalyticsApp): Promise<{ stored: Record<string, number>[]; counted: Record<string, number>[] }> {
  const rows = await memberDays(app);
  const stored = (
    (await app
      .db('analytics_days')
      .where('network_id', app.root)
      .orderBy(['container_id', 'day'])
      .select('container_id', 'day', ...SETS.flatMap((s) => WINDOWS.map((w) => setColumn(s, w))), ...WINDOWS.map(actsColumn))) as Record<
      string,
      unknown
    >[]
  ).map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, Number(v)])));
  const counted = stored.map((s) => {
    const out: Record<string, number> = { container_id: s.container_id, day: s.day };
    for (const w of WINDOWS) {
      const inWindow = rows.filter((r) => r.container === s.container_id && r.day > s.day - w && r.day <= s.day);
      for (const set of SETS) out[setColumn(set, w)] = new Set(inWindow.filter(IN_SET[set]).map((r) => r.user)).size;
      out[actsColumn(w)] = inWindow.reduce((sum, r) => sum + r.acts, 0);
    }
    return out;
  });
  return { stored, counted };
}

eachAnalyticsApp('the trailing windows of each day equal the distinct members counted from the member-days', async (t, app) => {
  const w = await buildWorld(app);
  await app.rollup();
  const first = await bothWays(app);
  t.is(first.stored.filter((r) => r.container_id === 0).length, 41, 'a row a day of the network from its first act (T-40) to today');
  t.truthy(first.stored.find((r) => r.container_id === w.group));
  t.deepEqual(first.stored, first.counted);

  // A later run recomputes the last days alone; the windows still reach back to the older ones.
  await app.db.transaction((trx) => rollupDays(trx, app.root, app.today - 5, app.today));
  const again = await bothWays(app);
  t.deepEqual(again.stored, again.counted);
  t.deepEqual(again.stored, first.stored);
});

eachAnalyticsApp('the 90-day funnel and top groups come from the windows, equal to a custom period counted from the member-days', async (t, app) => {
  const w = await buildWorld(app);
  const admin = await signedIn(app, 'admin');
  await admin.http.get('/').expect(200);
  await app.rollup();
  const funnel = async (q: string) => parseCsv((await admin.http.get(`/admin/analytics/export/funnel${q}`).expect(200)).text).slice(1);
  // Over 90 days: active Alice, Bob, Carol, Dave and the admin; all but the admin took part and contributed.
  const preset = await funnel('?period=90');
  t.deepEqual(
    preset.map((r) => r.slice(1, 3)),
    [
      ['5', '100'],
      ['5', '100'],
      ['4', '80'],
      ['4', '80'],
    ],
  );
  // 91 days is no window: counted from the member-days, the same members (nothing happened 90 days ago).
  const day = (n: number) => new Date((app.today - n) * 86_400_000).toISOString().slice(0, 10);
  const custom = await funnel(`?period=custom&from=${day(90)}&to=${day(0)}`);
  t.deepEqual(
    custom.map((r) => r.slice(1, 3)),
    preset.map((r) => r.slice(1, 3)),
  );
  const groups = parseCsv((await admin.http.get('/admin/analytics/export/groups?period=90').expect(200)).text);
  t.deepEqual(groups.slice(1), [['Choir', '4']]);
  t.truthy(w.group);
});

eachAnalyticsApp('the members’ last days equal the final member-days; every period’s funnel equals the member-days counted', async (t, app) => {
  const w = await buildWorld(app);
  // The admin also read a page five days ago: a member active without participating.
  await app.rt.container.resolve(ViewCounter).count({ networkId: app.root, userId: w.ids.admin, at: app.at(5) });
  // Rolled up to ten days ago first, then to today: the days in between become final at the second run.
  await rollupNetwork(app.db, app.root, Date.now() - 10 * DAY_MS);
  await rollupNetwork(app.db, app.root, Date.now());
  const rows = await memberDays(app);
  const final = rows.filter((r) => r.day < app.today);
  const lastOf = (list: MemberDay[]) => (list.length ? Math.max(...list.map((r) => r.day)) : null);
  const expected = [...new Set(final.map((r) => `${r.container}:${r.user}`))].sort().map((key) => {
    const mine = final.filter((r) => `${r.container}:${r.user}` === key);
    return {
      key,
      active: lastOf(mine),
      participated: lastOf(mine.filter(IN_SET.participating)),
      contributed: lastOf(mine.filter(IN_SET.contributing)),
    };
  });
  const stored = ((await app.db('analytics_member_last').where('network_id', app.root)) as Record<string, unknown>[])
    .map((r) => ({
      key: `${Number(r.container_id)}:${Number(r.user_id)}`,
      active: Number(r.active_day),
      participated: r.participated_day === null ? null : Number(r.participated_day),
      contributed: r.contributed_day === null ? null : Number(r.contributed_day),
    }))
    .sort((a, b) => (a.key < b.key ? -1 : 1));
  t.deepEqual(stored, expected);
  t.true(expected.some((e) => e.participated === null) && expected.some((e) => e.key.startsWith(`${w.group}:`)));

  // The kept ranking of the contents over each preset window equals the acts summed per content.
  for (const days of WINDOWS) {
    const kept = await app.db('analytics_top_contents').where({ network_id: app.root, window_days: days }).orderBy('place');
    t.true(kept.every((r) => Number(r.day) === app.today));
    const sums = new Map<number, number>();
    for (const r of await app
      .db('analytics_content_days')
      .where('network_id', app.root)
      .where('day', '>', app.today - days))
      sums.set(Number(r.entity_id), (sums.get(Number(r.entity_id)) ?? 0) + Number(r.acts));
    const ranked = [...sums].sort((a, b) => b[1] - a[1] || a[0] - b[0]);
    t.deepEqual(
      kept.map((r) => [Number(r.entity_id), Number(r.acts)]),
      ranked,
      `${days} days`,
    );
  }
  t.true((await app.db('analytics_top_contents').where({ network_id: app.root, window_days: 90 })).length >= 3);

  // Periods that are no window, ending today, yesterday (read from the last days) and earlier (from the member-days).
  const service = app.rt.container.resolve(AnalyticsService);
  for (const container of [0, w.group])
    for (const [from, to] of [
      [app.today - 40, app.today],
      [app.today - 2, app.today],
      [app.today - 12, app.today - 1],
      [app.today - 30, app.today - 8],
      [app.today - 3, app.today - 3],
    ]) {
      const inPeriod = rows.filter((r) => r.container === container && r.day >= from && r.day <= to);
      const count = (list: MemberDay[]) => new Set(list.map((r) => r.user)).size;
      const funnel = await service.funnel({ networkId: app.root, containerId: container }, from, to);
      t.deepEqual(
        { active: funnel.active, participating: funnel.participating, contributing: funnel.contributing },
        {
          active: count(inPeriod),
          participating: count(inPeriod.filter(IN_SET.participating)),
          contributing: count(inPeriod.filter(IN_SET.contributing)),
        },
        `container ${container}, days ${from - app.today} to ${to - app.today}`,
      );
    }
});
