// The trailing windows of `analytics_days` (the preset periods' funnel and top groups read
// them) against the member-days they summarise, counted the slow way: every day, container
// and window of the hand-computed world, after the first rollup and after a later run that
// recomputes the last days only.
import { rollupDays } from '../../../plugins/analytics/rollup';
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

/** The windows' columns as the rollup wrote them, and as counted from the member-days, per container and day. */
async function bothWays(app: AnalyticsApp): Promise<{ stored: Record<string, number>[]; counted: Record<string, number>[] }> {
  const rows = (
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
