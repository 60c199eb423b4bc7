// The dashboard warmed before anyone asks (plugins/analytics/warm.ts): after a run of the
// rollup job, and when a process starts where analytics is on, what the admins' first view of
// the default period computes cold (the period's members, the values of the profile field the
// members are split by) is computed in the background, so their first view reads it kept — the
// same page as a cold one. A process where analytics is off everywhere warms nothing.
import { createApp } from '../../../core';
import { DashboardWarmer } from '../../../plugins/analytics/warm';
import { makeAgent } from '../../helpers/app';
import { signedIn } from '../../helpers/members';
import { statementsDuring } from '../../helpers/statements';
import { addSiteField, analyticsOf, buildWorld, eachAnalyticsApp, type AnalyticsApp } from './support';

type Agent = Awaited<ReturnType<typeof signedIn>>;

/** Another process on the same database, started now. */
async function started(app: AnalyticsApp): Promise<AnalyticsApp> {
  const second = await createApp(app.config, { cwd: app.config.dataDir });
  return analyticsOf({ app: second, config: app.config, agent: () => makeAgent(second), close: () => second.close() });
}

/** The dashboard's default period as `agent` sees it, and whether the view computed the kept figures (the values of the field, the members of the period). */
async function firstView(app: AnalyticsApp, agent: Agent): Promise<{ text: string; computed: boolean }> {
  const { value, sql } = await statementsDuring(app.rt, () => agent.http.get('/admin/analytics'));
  if (value.status !== 200) throw new Error(`/admin/analytics answered ${value.status}`);
  const computed = sql.some((s) => /\bprofile_values\b(?!_version)/.test(s) || /\banalytics_topics\b/.test(s));
  const tables = value.text.slice(value.text.indexOf('<main'), value.text.indexOf('</main>'));
  return { text: tables.replace(/name="_csrf" value="[^"]+"/g, ''), computed };
}

eachAnalyticsApp('the first view after a run of the job, or in a process just started, reads what the warm-up kept', async (t, app) => {
  const w = await buildWorld(app);
  await addSiteField(app, w);
  const admin = await signedIn(app, 'admin');
  await admin.http.get('/').expect(200);

  // A process started with analytics on: its first round (after WARM_START_DELAY_MS) warms the admin's view.
  const other = await started(app);
  t.teardown(() => other.close());
  const otherAdmin = await signedIn(other, 'admin');
  await other.rt.container.resolve(DashboardWarmer).settled();
  const warmStart = await firstView(other, otherAdmin);
  t.false(warmStart.computed, 'the first view in a process just started reads the kept figures');

  // A run of the job changes the kept figures' key: the warm-up after it (background work the helper waits for).
  await app.rollup();
  const warmed = await firstView(app, admin);
  t.false(warmed.computed, 'the first view after the run reads what the warm-up kept');

  // The same page as computed cold: a third process, its warm-up stopped before it starts.
  const cold = await started(app);
  cold.rt.container.resolve(DashboardWarmer).stop();
  t.teardown(() => cold.close());
  const coldView = await firstView(cold, await signedIn(cold, 'admin'));
  t.true(coldView.computed, 'without the warm-up the first view computes them');
  t.is(warmed.text, coldView.text);
});

eachAnalyticsApp('a process where analytics is off everywhere when it starts plans no warm-up', async (t, app) => {
  await buildWorld(app);
  await app.rollup();
  await app.rt.pluginState.disable('analytics');
  const off = await started(app);
  t.teardown(() => off.close());
  // Turned on right after the start: no round was planned, so none reads the dashboard's figures.
  await off.rt.pluginState.enable('analytics', off.root);
  const { sql } = await statementsDuring(off.rt, () => off.rt.container.resolve(DashboardWarmer).settled());
  t.deepEqual(sql, []);
});
