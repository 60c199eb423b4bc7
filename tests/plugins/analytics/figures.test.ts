// Every figure of the dashboard checked against the hand-computed world of support.ts, on
// both databases, through the CSV exports (the raw numbers of each table) and the page.
import { formAgent, signedIn } from '../../helpers/members';
import { dateOfDay } from '../../../plugins/analytics/period';
import { statementsDuring } from '../../helpers/statements';
import { addSiteField, buildWorld, eachAnalyticsApp, parseCsv, worldDays, type AnalyticsApp } from './support';

async function csv(app: AnalyticsApp, agent: Awaited<ReturnType<typeof signedIn>>, path: string): Promise<string[][]> {
  const res = await agent.http.get(path);
  if (res.status !== 200) throw new Error(`${path} answered ${res.status}`);
  return parseCsv(res.text);
}

/** Rows without their header, first cell dropped (labels are checked once, on the page). */
const body = (rows: string[][]) => rows.slice(1).map((r) => r.slice(1));

eachAnalyticsApp('the network dashboard shows the hand-computed figures of each table', async (t, app) => {
  const w = await buildWorld(app);
  const admin = await signedIn(app, 'admin');
  const dave = await signedIn(app, 'dave');
  await admin.http.get('/').expect(200);
  await dave.http.get('/').expect(200);
  await dave.http.get('/').expect(200); // a second page the same day adds nothing
  t.is(
    await app
      .db('analytics_views')
      .where({ user_id: w.ids.dave, day: app.today })
      .count<{ n: number }[]>('* as n')
      .then((r) => Number(r[0].n)),
    1,
  );
  await app.rollup();

  const q = '?period=7';
  t.deepEqual(body(await csv(app, admin, `/admin/analytics/export/funnel${q}`)), [
    ['5', '100', '5', '100'],
    ['5', '100', '3', '60'],
    ['3', '60', '3', '60'],
    ['2', '40', '2', '40'],
  ]);
  t.deepEqual(body(await csv(app, admin, `/admin/analytics/export/members${q}`)), [
    ['5', '5', '0'],
    ['5', '0', ''],
    ['1', '0', ''],
  ]);
  t.deepEqual(body(await csv(app, admin, `/admin/analytics/export/engagement${q}`)), [
    ['1', '0.4', '150'],
    ['5', '3', '66.7'],
    ['5', '3', '66.7'],
    ['20', '13.3', '50.4'],
  ]);
  const days = await csv(app, admin, `/admin/analytics/export/days${q}`);
  t.deepEqual(days[0], ['Date', 'Active', 'Active over 7 days', 'Active over 28 days', 'Contributions', 'Comments and replies', 'Reactions']);
  t.deepEqual(days.slice(1), worldDays(app.today));
  t.deepEqual(body(await csv(app, admin, `/admin/analytics/export/responses${q}`)), [
    ['2', '0', ''],
    ['50', '', ''],
    ['2', '', ''],
  ]);
  t.deepEqual(body(await csv(app, admin, `/admin/analytics/export/responses?period=90`)), [
    ['3', '0', ''],
    ['66.7', '', ''],
    ['1.3', '', ''],
  ]);
  t.deepEqual(await csv(app, admin, `/admin/analytics/export/groups${q}`), [
    ['Group', 'Contributions, comments and reactions'],
    ['Choir', '3'],
  ]);
  t.deepEqual(await csv(app, admin, `/admin/analytics/export/contents${q}`), [
    ['Content', 'Contributions, comments and reactions'],
    [`Post by Alice, ${dateOfDay(app.today - 8)}`, '2'],
    [`Discussion by Bob, ${dateOfDay(app.today - 3)}`, '1'],
    [`Discussion by Carol, ${dateOfDay(app.today - 1)}`, '1'],
  ]);

  // Members by name only where the network allows it.
  t.is((await admin.http.get(`/admin/analytics/export/contributors${q}`)).status, 404);
  const page = await admin.http.get(`/admin/analytics${q}`);
  t.is(page.status, 200);
  t.notRegex(page.text, /Top contributors/);
  t.regex(page.text, /does not allow a member-level view/);
  await app.rt.pluginState.configure('analytics', { memberLevel: 'true' }, app.root);
  t.deepEqual(await csv(app, admin, `/admin/analytics/export/contributors${q}`), [
    ['Member', 'Contributions', 'Comments, reactions, votes'],
    ['Carol', '1', '2'],
    ['Bob', '1', '1'],
    ['Alice', '0', '1'],
  ]);

  // The page: the period's funnel, the charts and every table, readable without JavaScript.
  const full = await admin.http.get(`/admin/analytics${q}`);
  t.regex(full.text, /<h2 class="card__title" id="table-funnel">Funnel<\/h2>/);
  t.regex(
    full.text,
    /<th scope="row">Active \(read at least one page\)<\/th><td class="analytics-grid__num">5<\/td><td class="analytics-grid__num">100 %<\/td>/,
  );
  t.regex(full.text, /<th scope="row">Median time to the first reply<\/th><td class="analytics-grid__num">2 h 0 min<\/td>/);
  t.regex(full.text, /Top contributors/);
  t.regex(full.text, /<svg viewBox="0 0 100 4"[^>]*>.*<rect x="0" y="0" width="100" height="4" class="analytics-bar analytics-bar--members">/);
  t.regex(full.text, /href="\/admin\/analytics\/export\/days\?period&#x3D;7"/);
  t.regex(full.text, /aria-current="true">Last 7 days</);
});

eachAnalyticsApp('a group admin sees the figures of their group members', async (t, app) => {
  const w = await buildWorld(app);
  await app.rollup();
  const alice = await signedIn(app, 'alice');
  const q = '?period=7';
  t.deepEqual(body(await csv(app, alice, `/groups/${w.group}/analytics/export/funnel${q}`)), [
    ['2', '100', '2', '100'],
    ['2', '100', '1', '50'],
    ['2', '100', '1', '50'],
    ['1', '50', '1', '50'],
  ]);
  t.deepEqual(body(await csv(app, alice, `/groups/${w.group}/analytics/export/members${q}`)), [
    ['2', '2', '0'],
    ['2', '0', ''],
  ]);
  t.deepEqual(body(await csv(app, alice, `/groups/${w.group}/analytics/export/contents${q}`)), [['2'], ['1']]);
  t.is((await alice.http.get(`/groups/${w.group}/analytics/export/groups${q}`)).status, 404, 'a group has no top groups');
  const page = await alice.http.get(`/groups/${w.group}/analytics${q}`);
  t.is(page.status, 200);
  t.regex(page.text, /Statistiques de Choir/, "in the group admin's language");
  t.regex(page.text, /Entonnoir/);
  // The group's page offers its admin the tab.
  const group = await alice.http.get(`/groups/${w.group}`);
  t.regex(group.text, new RegExp(`href="/groups/${w.group}/analytics"`));
});

eachAnalyticsApp('custom periods: bad dates answer 400 with the dates kept; a custom period is compared with the one before', async (t, app) => {
  await buildWorld(app);
  await app.rollup();
  const admin = await formAgent(await signedIn(app, 'admin'));
  const bad = await admin.agent.http.get('/admin/analytics?period=custom&from=2026-13-01&to=yesterday');
  t.is(bad.status, 400);
  t.regex(bad.text, /Enter both dates as YYYY-MM-DD/);
  t.regex(bad.text, /value="2026-13-01"/);
  t.regex(bad.text, /value="yesterday"/);
  const order = await admin.agent.http.get(`/admin/analytics?period=custom&from=${dateOfDay(app.today)}&to=${dateOfDay(app.today - 3)}`);
  t.is(order.status, 400);
  t.regex(order.text, /must come before/);
  t.is((await admin.agent.http.get(`/admin/analytics/export/funnel?period=custom&from=x&to=y`)).status, 400);
  const future = await admin.agent.http.get(`/admin/analytics?period=custom&from=${dateOfDay(app.today + 1)}&to=${dateOfDay(app.today + 2)}`);
  t.is(future.status, 400);
  t.regex(future.text, /cannot end after today/);
  const long = await admin.agent.http.get(`/admin/analytics?period=custom&from=2020-01-01&to=${dateOfDay(app.today)}`);
  t.is(long.status, 400);
  t.regex(long.text, /three years at most/);
  // One day, three days ago: compared with the day before it.
  const one = parseCsv(
    (await admin.agent.http.get(`/admin/analytics/export/funnel?period=custom&from=${dateOfDay(app.today - 3)}&to=${dateOfDay(app.today - 3)}`)).text,
  );
  t.deepEqual(body(one), [
    ['5', '100', '5', '100'],
    ['2', '40', '0', '0'],
    ['2', '40', '0', '0'],
    ['1', '20', '0', '0'],
  ]);
});

eachAnalyticsApp('each CSV export builds only the table it writes', async (t, app) => {
  await buildWorld(app);
  await app.rollup();
  const admin = await signedIn(app, 'admin');
  const tablesRead = async (table: string, period = 28): Promise<string[]> => {
    const { value, sql } = await statementsDuring(app.rt, () => admin.http.get(`/admin/analytics/export/${table}?period=${period}`));
    t.is(value.status, 200, table);
    return [...new Set(sql.flatMap((s) => s.match(/analytics_[a-z_]+/g) ?? []))].sort();
  };
  t.deepEqual(await tablesRead('days'), ['analytics_days']);
  t.deepEqual(await tablesRead('contents'), ['analytics_rollup', 'analytics_top_contents']);
  // The discussions' figures are the job's alone: kept until its next run (those of the default
  // period, 28 days, computed by the warm-up after the run: warm.ts).
  t.deepEqual(await tablesRead('responses'), ['analytics_rollup']);
  t.deepEqual(await tablesRead('responses', 90), ['analytics_rollup', 'analytics_topics']);
  t.deepEqual(await tablesRead('responses', 90), ['analytics_rollup']);
  t.deepEqual(await tablesRead('funnel'), ['analytics_days', 'analytics_rollup']);
  // Without a profile field with choices there is no adoption table to export.
  t.is((await admin.http.get('/admin/analytics/export/adoption?period=28')).status, 404);
});

eachAnalyticsApp('adoption by a choice field of the profile: each value’s funnel, hand-computed, for the network and a group', async (t, app) => {
  const w = await buildWorld(app);
  // A "Site" choice field: Alice and Bob in Lyon, Carol and the admin in Paris, Dave none;
  // Erin (suspended) in Lyon counts nowhere. A "Team" field with no value set is offered too.
  await addSiteField(app, w);
  await app
    .db('profile_fields')
    .insert({ key: 'team', label_en: 'Team', label_fr: 'Équipe', type: 'choice', choices: '["Red"]', visibility: 'members', position: 1 });
  const admin = await signedIn(app, 'admin');
  const dave = await signedIn(app, 'dave');
  await admin.http.get('/').expect(200);
  await dave.http.get('/').expect(200);
  await app.rollup();

  // Over 7 days: active Alice, Bob, Carol, the admin, Dave; participating Alice, Bob, Carol; contributing Bob, Carol.
  const q = '?period=7';
  const network = await csv(app, admin, `/admin/analytics/export/adoption${q}`);
  t.deepEqual(network[0], ['Site', 'Members', 'Active', '% of members', 'Participating', '% of members', 'Contributing', '% of members']);
  t.deepEqual(network.slice(1), [
    ['Lyon', '2', '2', '100', '2', '100', '1', '50'],
    ['Paris', '2', '2', '100', '1', '50', '1', '50'],
    ['Not filled in', '1', '1', '100', '0', '0', '0', '0'],
  ]);
  // Over 90 days Dave also contributed (t3, 40 days ago) and participated.
  t.deepEqual(body(await csv(app, admin, '/admin/analytics/export/adoption?period=90')).at(-1), ['1', '1', '100', '1', '100', '1', '100']);
  const team = await csv(app, admin, `/admin/analytics/export/adoption${q}&field=x_team`);
  t.deepEqual(team.slice(1), [
    ['Red', '0', '0', '', '0', '', '0', ''],
    ['Not filled in', '5', '5', '100', '3', '60', '2', '40'],
  ]);

  // The group Choir (Alice and Bob): their views of the network and their acts inside the group.
  const alice = await signedIn(app, 'alice');
  t.deepEqual((await csv(app, alice, `/groups/${w.group}/analytics/export/adoption${q}`)).slice(1), [
    ['Lyon', '2', '2', '100', '2', '100', '1', '50'],
    ['Paris', '0', '0', '', '0', '', '0', ''],
  ]);

  // The page: the table's caption names the field, and the field can be chosen, the period kept.
  const page = await admin.http.get(`/admin/analytics${q}`);
  t.regex(page.text, /Members by Site/);
  t.regex(page.text, /<option value="x_team">Team<\/option>/);
  t.regex(page.text, /<input type="hidden" name="period" value="7">/);
  const french = await alice.http.get(`/groups/${w.group}/analytics${q}`);
  t.regex(french.text, /Membres par Site/);
});
