// Who sees which dashboard, on both databases: network admins their network's only (admins of
// network A nothing of B), group admins their group's only, members none; the counting hook
// counts only members of the network, on pages, once a day whatever the number of processes.
import { ViewCounter } from '../../../plugins/analytics/counting';
import { addMemberships, addSubNetwork, createMember, signedIn } from '../../helpers/members';
import { buildWorld, eachAnalyticsApp } from './support';

eachAnalyticsApp('admins of network A see its dashboard and nothing of B; group admins only their group; members get 403', async (t, app) => {
  const w = await buildWorld(app);
  const { rt } = app;
  const a = await addSubNetwork(rt, 'a', 'Network A');
  const b = await addSubNetwork(rt, 'b', 'Network B');
  await rt.pluginState.enable('analytics', a);
  await rt.pluginState.enable('analytics', b);
  const adminA = await createMember(rt, 'anna');
  const adminB = await createMember(rt, 'boris');
  await addMemberships(rt, a, [adminA, w.ids.dave], 'admin');
  await addMemberships(rt, b, [adminB], 'admin');
  await app.rollup();

  const anna = await signedIn(app, 'anna');
  const page = await anna.http.get('/n/a/admin/analytics?period=7');
  t.is(page.status, 200);
  t.regex(page.text, /How Network A is adopted/);
  t.notRegex(page.text, /Choir/, 'no group of the root network');
  t.regex((await anna.http.get('/n/a/admin/analytics/export/funnel')).text, /^Measure,This period/);
  t.is((await anna.http.get('/n/b/admin/analytics')).status, 403, 'an outsider of B');
  t.is((await anna.http.get('/n/b/admin/analytics/export/funnel')).status, 403);
  t.is((await anna.http.get('/admin/analytics')).status, 403, 'a member of the root network only');
  t.is((await anna.http.get(`/n/a/groups/${w.group}/analytics`)).status, 404, "the root's group is not A's");

  const bob = await signedIn(app, 'bob');
  t.is((await bob.http.get('/admin/analytics')).status, 403, 'a member');
  t.is((await bob.http.get('/admin/analytics/export/days')).status, 403);
  t.is((await bob.http.get(`/groups/${w.group}/analytics`)).status, 403, 'a member of the group, not its admin');
  t.is((await bob.http.get(`/groups/${w.group}/analytics/export/funnel`)).status, 403);
  t.notRegex((await bob.http.get(`/groups/${w.group}`)).text, /\/analytics"/, 'no tab for a member');
  const carol = await signedIn(app, 'carol');
  t.is((await carol.http.get(`/groups/${w.group}/analytics`)).status, 403, 'not in the group');
  const alice = await signedIn(app, 'alice');
  t.is((await alice.http.get(`/groups/${w.group}/analytics`)).status, 200, 'the group admin');
  t.is((await alice.http.get('/admin/analytics')).status, 403, 'a group admin is not a network admin');
  t.is((await alice.http.get('/groups/999999/analytics')).status, 404);
  t.is((await alice.http.get(`/groups/${w.s1}/analytics`)).status, 404, 'not a group');
  const admin = await signedIn(app, 'admin');
  t.is((await admin.http.get(`/groups/${w.group}/analytics`)).status, 200, 'the network admin sees every group');
  t.is((await admin.http.get('/admin/analytics/export/bogus')).status, 404);
  const guest = await app.agent().http.get('/admin/analytics');
  t.is(guest.status, 302, 'a guest is sent to sign in');
  t.regex(String(guest.headers.location), /^\/login\?next=/);

  // Disabled in a network: no dashboard, nothing counted there.
  await rt.pluginState.disable('analytics', b);
  const boris = await signedIn(app, 'boris');
  t.is((await boris.http.get('/n/b/admin/analytics')).status, 404);
  await boris.http.get('/n/b/').expect(200);
  t.is(Number((await rt.db('analytics_views').where({ network_id: b }).count<{ n: number }[]>('* as n'))[0].n), 0);

  // Dave reads A's home: counted in A; an outsider page of B counts nowhere.
  const dave = await signedIn(app, 'dave');
  await dave.http.get('/n/a/').expect(200);
  t.is((await dave.http.get('/n/b/')).status, 403);
  const daveRows = (await rt.db('analytics_views').where({ user_id: w.ids.dave, day: app.today }).select('network_id')) as { network_id: number }[];
  t.deepEqual(
    daveRows.map((r) => Number(r.network_id)),
    [a],
  );
  // The privacy page tells members what is counted.
  const privacy = await bob.http.get('/analytics/privacy');
  t.is(privacy.status, 200);
  t.regex(privacy.text, /once a day/);
  t.regex(privacy.text, /see only numbers/);
  t.regex((await bob.http.get('/account')).text, /href="\/analytics\/privacy"/);
});

eachAnalyticsApp('two processes count a member once a day; a new day counts again', async (t, app) => {
  const { rt } = app;
  await rt.pluginState.enable('analytics', app.root);
  const id = await createMember(rt, 'pia');
  // Each process has its own counter: both write, the database keeps one row.
  const one = new ViewCounter({ db: rt.db });
  const two = new ViewCounter({ db: rt.db });
  const view = { networkId: app.root, userId: id, at: app.at(0, 9) };
  t.true(await one.count(view));
  t.true(await two.count({ ...view, at: app.at(0, 10) }));
  t.false(await one.count({ ...view, at: app.at(0, 11) }), 'already counted here today: no write');
  t.true(await one.count({ ...view, at: app.at(-1, 1) }), 'the next day');
  const rows = (await rt.db('analytics_views').where({ user_id: id }).orderBy('day').select('day')) as { day: number }[];
  t.deepEqual(
    rows.map((r) => Number(r.day)),
    [app.today, app.today + 1],
  );
});
