// The members by a profile field (plugins/analytics/adoption.ts): the values each member holds
// are read once and kept, and counted again when they change — a member's edit (the profiles
// plugin's values version), a member who joins or comes back from a suspension — in this
// process and in another one serving the same database.
import { createApp } from '../../../core';
import { makeAgent } from '../../helpers/app';
import { createMember, signedIn } from '../../helpers/members';
import { statementsDuring } from '../../helpers/statements';
import { csrfOf } from '../profiles/support';
import { addSiteField, analyticsOf, buildWorld, eachAnalyticsApp, parseCsv, type AnalyticsApp } from './support';

type Agent = Awaited<ReturnType<typeof signedIn>>;

const PATH = '/admin/analytics/export/adoption?period=7';

async function split(agent: Agent): Promise<string[][]> {
  const res = await agent.http.get(PATH);
  if (res.status !== 200) throw new Error(`${PATH} answered ${res.status}`);
  return parseCsv(res.text).slice(1);
}

/** Another process on the same database: its own app, its own kept figures. */
async function secondApp(app: AnalyticsApp): Promise<AnalyticsApp> {
  const second = await createApp(app.config, { cwd: app.config.dataDir });
  return analyticsOf({ app: second, config: app.config, agent: () => makeAgent(second), close: () => second.close() });
}

/** Whether the view read the profile values (not only their version). */
async function readsValues(app: AnalyticsApp, agent: Agent): Promise<boolean> {
  const { value, sql } = await statementsDuring(app.rt, () => agent.http.get(PATH));
  if (value.status !== 200) throw new Error(`${PATH} answered ${value.status}`);
  return sql.some((s) => /\bprofile_values\b(?!_version)/.test(s));
}

eachAnalyticsApp('members by a field: kept until a value, the members or the run change, in every process', async (t, app) => {
  const w = await buildWorld(app);
  // Alice and Bob in Lyon, Carol and the admin in Paris, Dave none; Erin (suspended) in Lyon.
  const siteId = await addSiteField(app, w);
  const admin = await signedIn(app, 'admin');
  await admin.http.get('/').expect(200);
  await (await signedIn(app, 'dave')).http.get('/').expect(200);
  await app.rollup();
  const other = await secondApp(app);
  t.teardown(() => other.close());
  const otherAdmin = await signedIn(other, 'admin');
  /** Both processes' admins read these rows. */
  const bothSee = async (rows: string[][]): Promise<void> => {
    t.deepEqual(await split(admin), rows, 'this process');
    t.deepEqual(await split(otherAdmin), rows, 'the other process');
  };

  // Over 7 days: active Alice, Bob, Carol, the admin, Dave; participating Alice, Bob, Carol; contributing Bob, Carol.
  const first = [
    ['Lyon', '2', '2', '100', '2', '100', '1', '50'],
    ['Paris', '2', '2', '100', '1', '50', '1', '50'],
    ['Not filled in', '1', '1', '100', '0', '0', '0', '0'],
  ];
  await bothSee(first);
  t.false(await readsValues(app, admin), 'the values are kept: the next view reads their version only');

  // Alice moves to Paris through her profile's form (served by this process).
  const alice = await signedIn(app, 'alice');
  const form = await alice.http.get('/profile/edit');
  const saved = await alice.http
    .post('/profile/edit')
    .type('form')
    .send({ _csrf: csrfOf(form.text), headline: '', department: '', location: '', languages: '', skills: '', about: '', [`f_${siteId}`]: 'Paris' });
  t.is(saved.status, 303);
  const moved = [
    ['Lyon', '1', '1', '100', '1', '100', '1', '100'],
    ['Paris', '3', '3', '100', '2', '66.7', '1', '33.3'],
    ['Not filled in', '1', '1', '100', '0', '0', '0', '0'],
  ];
  t.deepEqual(await split(otherAdmin), moved, 'the other process counts again');
  t.true(await readsValues(app, admin), 'this one reads the values again once');
  t.deepEqual(await split(admin), moved);

  // Erin comes back from her suspension and Frank joins, with no value: members of the scope who
  // were not when the values were read, no value written (the version stays).
  await app.db('users').where({ id: w.ids.erin }).update({ status: 'active' });
  await createMember(app.rt, 'frank');
  const joined = [
    ['Lyon', '2', '1', '50', '1', '50', '1', '50'],
    ['Paris', '3', '3', '100', '2', '66.7', '1', '33.3'],
    ['Not filled in', '2', '1', '50', '0', '0', '0', '0'],
  ];
  await bothSee(joined);
  // Bob is suspended: one member fewer, the scope's members being read at each view.
  await app.db('users').where({ id: w.ids.bob }).update({ status: 'suspended' });
  const left = [
    ['Lyon', '1', '0', '0', '0', '0', '0', '0'],
    ['Paris', '3', '3', '100', '2', '66.7', '1', '33.3'],
    ['Not filled in', '2', '1', '50', '0', '0', '0', '0'],
  ];
  await bothSee(left);
  // A friends-level field: what a viewer sees of it moves with their connections, so it is read at each view.
  await app.db('profile_fields').where({ id: siteId }).update({ visibility: 'friends' });
  t.deepEqual(await split(admin), left, 'the admin (root rights) sees every value');
  t.true(await readsValues(app, admin));
});
