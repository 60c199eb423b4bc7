// The page views `ruche seed --bench` writes (plugins/analytics/bench-views.ts): the same seed
// writes the same rows, nobody reads before joining, weekends are quieter than working days,
// and the rollup turns them into a dashboard, on both databases.
import { writeBenchViews } from '../../../plugins/analytics/bench-views';
import { DAY_MS } from '../../../plugins/analytics/verbs';
import { bulkMembers, signedIn } from '../../helpers/members';
import { eachAnalyticsApp } from './support';

eachAnalyticsApp('bench views: deterministic, after joining, quieter weekends, rolled up into the dashboard', async (t, app) => {
  const { rt, db } = app;
  await rt.pluginState.enable('analytics', app.root);
  const now = Date.now();
  const from = now - 120 * DAY_MS;
  const ids = await bulkMembers(db, 'reader', 60, { start: from });
  const late = ids[59];
  await db('memberships')
    .where({ user_id: late, network_id: app.root })
    .update({ created_at: now - 10 * DAY_MS });
  const written = await writeBenchViews(db, app.root, from, now, 7);
  const rows = (await db('analytics_views').orderBy(['day', 'user_id']).select('user_id', 'day')) as { user_id: number; day: number }[];
  t.is(rows.length, written);
  t.true(written > 300, `${written} views`);
  t.true(
    rows.filter((r) => Number(r.user_id) === late).every((r) => Number(r.day) >= app.today - 10),
    'no view before joining',
  );
  const weekend = rows.filter((r) => [0, 6].includes((Number(r.day) + 4) % 7)).length / 2;
  const weekday = (rows.length - weekend * 2) / 5;
  t.true(weekend < weekday / 2, `weekend ${weekend} / weekday ${weekday} per day`);

  await db('analytics_views').delete();
  t.is(await writeBenchViews(db, app.root, from, now, 7), written, 'the same seed, the same rows');

  await app.rollup();
  const admin = await signedIn(app, 'admin');
  const days = await admin.http.get('/admin/analytics/export/days?period=90');
  t.is(days.status, 200);
  const dau = days.text
    .trim()
    .split('\r\n')
    .slice(1)
    .map((l) => Number(l.split(',')[1]));
  t.is(dau.length, 90);
  const perDay = new Map<number, number>();
  for (const r of rows) perDay.set(Number(r.day), (perDay.get(Number(r.day)) ?? 0) + 1);
  t.deepEqual(
    dau,
    Array.from({ length: 90 }, (_, i) => perDay.get(app.today - 89 + i) ?? 0),
    'DAU is the views of each day (no acts in this world)',
  );
});
