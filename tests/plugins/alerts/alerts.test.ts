// Urgent alerts on both databases: the audience (network, group, profile field; never another
// network's members), who may send and see what, the banner until acknowledged, answers, the
// dashboard's figures, updates, closing, the CSV, double submits, and audit records.
import { eachApp } from '../../helpers/each-app';
import { addMemberships, addSubNetwork, testContainer } from '../../helpers/members';
import { countRows } from '../../helpers/rows';
import { ALERT, alertsApp, type AlertsApp } from './support';

const recipientsOf = async (app: { rt: { db: import('knex').Knex } }, alertId: number): Promise<number[]> =>
  (await app.rt.db('alerts_recipients').where({ alert_id: alertId }).orderBy('user_id').pluck('user_id')).map(Number);

/** The recipient row of `username` for an alert: when they saw it (`seen_at`) and what they answered (`answer`). */
const recipientRow = async (app: AlertsApp, alertId: number, username: string): Promise<{ seen_at: unknown; answer: string | null }> =>
  app.rt
    .db('alerts_recipients')
    .where({ alert_id: alertId, user_id: (await app.rt.users.byUsername(username))!.id })
    .first('seen_at', 'answer');

eachApp('the audience: the network, a group, members by a profile field; never another network’s members', alertsApp, async (t, app) => {
  const { rt } = app;
  const admin = (await rt.users.byUsername('admin'))!.id;
  const [bob, carol, dan, eve] = await app.members('bob', 'carol', 'dan', 'eve');
  // Eve belongs to sub-network B only; Frank is suspended.
  const b = await addSubNetwork(rt, 'b');
  await rt.db('memberships').where({ user_id: eve, network_id: app.root }).delete();
  await addMemberships(rt, b, [eve]);
  const [frank] = await app.members('frank');
  await rt.users.setStatus(frank, 'suspended');
  const sender = await app.as('admin');

  const everyone = await app.send(sender, { audience: 'network' });
  t.deepEqual(
    await recipientsOf(app, everyone),
    [admin, bob, carol, dan].sort((x, y) => x - y),
  );

  const group = await testContainer(rt, bob, [carol]);
  const grouped = await app.send(sender, { audience: 'group', group: String(group) });
  t.deepEqual(await recipientsOf(app, grouped), [bob, carol]);
  // A container of another network is refused, the form kept.
  const elsewhere = await testContainer(rt, eve, [], { networkId: b });
  const refused = await sender.post('/alerts', { ...ALERT, audience: 'group', group: String(elsewhere), form_key: 'f'.repeat(32) });
  t.is(refused.status, 422);
  t.regex(refused.text, /Choose one of this network(&#x27;|')s groups/);
  t.regex(refused.text, /Storm warning/);

  const now = Date.now();
  await rt.db('profiles').insert([
    { user_id: bob, location: 'Lyon', updated_at: now },
    { user_id: carol, location: ' lyon', updated_at: now },
    { user_id: dan, location: 'Paris', updated_at: now },
    { user_id: eve, location: 'Lyon', updated_at: now },
  ]);
  const lyon = await app.send(sender, { audience: 'field', field: 'location', value: 'Lyon' });
  t.deepEqual(await recipientsOf(app, lyon), [bob, carol]);
  const nobody = await sender.post('/alerts', { ...ALERT, audience: 'field', field: 'location', value: 'Tokyo', form_key: 'e'.repeat(32) });
  t.is(nobody.status, 422);
  t.regex(nobody.text, /Nobody matches/);
  const badField = await sender.post('/alerts', { ...ALERT, audience: 'field', field: 'x_nothing', value: 'Lyon', form_key: 'd'.repeat(32) });
  t.is(badField.status, 422);

  // Eve, in network B, never sees network A's alerts: no banner there, 404 through B's address.
  const eveAgent = await app.as('eve', '/n/b');
  const home = await eveAgent.get('/n/b/');
  t.is(home.status, 200);
  t.notRegex(home.text, /Storm warning/);
  t.is((await eveAgent.get(`/n/b/alerts/${everyone}`)).status, 404);
  t.is((await eveAgent.post(`/n/b/alerts/${everyone}/answer`, { answer: 'safe' })).status, 404);
  t.is(await countRows(rt.db, 'alerts_recipients', { user_id: eve }), 0);
  // The same form in network B reaches B's members only.
  await rt.users.setRole(admin, b, 'admin');
  const inB = await app.send(await app.as('admin', '/n/b'), { audience: 'network' }, '/n/b');
  t.deepEqual(
    await recipientsOf(app, inB),
    [admin, eve].sort((x, y) => x - y),
  );
  t.regex((await eveAgent.get('/n/b/')).text, /Storm warning/);
});

eachApp(
  'only senders send and follow alerts: members get 403 on the form and 404 on a dashboard; a granted role may send',
  alertsApp,
  async (t, app) => {
    const { rt } = app;
    const [, carol] = await app.members('bob', 'carol');
    const group = await testContainer(rt, (await rt.users.byUsername('admin'))!.id, [carol]);
    const id = await app.send(await app.as('admin'), { audience: 'group', group: String(group), answers: 'none', severity: 'warning' });
    const bob = await app.as('bob');
    t.is((await bob.get('/alerts')).status, 403);
    t.is((await bob.get('/alerts/new')).status, 403);
    t.is((await bob.post('/alerts', { ...ALERT })).status, 403);
    for (const action of ['remind', 'updates', 'close']) t.is((await bob.post(`/alerts/${id}/${action}`, { message: 'x' })).status, 403, action);
    t.is((await bob.get(`/alerts/${id}/export.csv`)).status, 403);
    // Bob is not a recipient: the alert does not exist for him.
    t.is((await bob.get(`/alerts/${id}`)).status, 404);
    t.is((await bob.post(`/alerts/${id}/answer`, { answer: 'ack' })).status, 404);
    // Carol is: she sees the alert, not its dashboard.
    const carolAgent = await app.as('carol');
    const page = await carolAgent.get(`/alerts/${id}`);
    t.is(page.status, 200);
    t.regex(page.text, /Storm warning/);
    t.notRegex(page.text, /Export CSV/);
    // A guest is sent to sign in.
    const guest = await app.agent().http.get(`/alerts/${id}`);
    t.is(guest.status, 302);
    // Granting `alerts.send` to members lets Bob send and follow.
    await rt.permissions.setGrant(app.root, 'alerts.send', 'member', true);
    t.is((await bob.get('/alerts/new')).status, 200);
    const dashboard = await bob.get(`/alerts/${id}`);
    t.is(dashboard.status, 200);
    t.regex(dashboard.text, /Export CSV/);
    // A granted member may not reach a group they cannot see (a secret one they are not in): its members would show.
    const secret = await testContainer(rt, carol, []);
    await rt.db('entities').where({ id: secret }).update({ access: 'group' });
    const hidden = await bob.post('/alerts', { ...ALERT, audience: 'group', group: String(secret), form_key: 'c'.repeat(32) });
    t.is(hidden.status, 422);
    t.is(await countRows(rt.db, 'alerts_alerts'), 1);
    // Contact details: addresses are for the network's admins only.
    t.notRegex(dashboard.text, /carol@example\.com/);
    t.regex((await (await app.as('admin')).get(`/alerts/${id}`)).text, /carol@example\.com/);
  },
);

eachApp(
  'a banner on every page until acknowledged; answers, the dashboard’s figures, updates, closing, the CSV and double submits',
  alertsApp,
  async (t, app) => {
    const { rt } = app;
    await app.members('bob', 'carol', 'dan');
    const sender = await app.as('admin');
    const fields = { ...ALERT, form_key: 'a'.repeat(32) };
    const first = await sender.post('/alerts', fields);
    const again = await sender.post('/alerts', fields);
    t.is(first.status, 303);
    t.is(again.headers.location, first.headers.location, 'a double submit answers as the first');
    t.is(await countRows(rt.db, 'alerts_alerts'), 1);
    const id = Number(/(\d+)$/.exec(first.headers.location)![1]);
    t.is(await countRows(rt.db, 'audit_log', { action: 'alerts.send', object_id: String(id) }), 1);

    const bob = await app.as('bob');
    for (const path of ['/', '/account']) {
      const res = await bob.get(path);
      t.regex(res.text, /class="alerts-banner alerts-banner--emergency"/, path);
      t.regex(res.text, /I&#x27;m safe|I'm safe/, path);
    }
    t.truthy((await recipientRow(app, id, 'bob')).seen_at);
    const answered = await bob.post(`/alerts/${id}/answer`, { answer: 'safe', next: '/account' });
    t.is(answered.status, 303);
    t.is(answered.headers.location, '/account');
    t.is((await bob.post(`/alerts/${id}/answer`, { answer: 'safe', next: '/' })).status, 303, 'the same answer again changes nothing');
    t.notRegex((await bob.get('/')).text, /alerts-banner--emergency/);
    const carol = await app.as('carol');
    t.is((await carol.post(`/alerts/${id}/answer`, { answer: 'maybe' })).status, 422);
    t.is((await carol.post(`/alerts/${id}/answer`, { answer: 'help' })).status, 303);

    const dashboard = await sender.get(`/alerts/${id}`);
    t.is(dashboard.status, 200);
    t.regex(dashboard.text, /<p class="alerts-figure__n">4<\/p>/);
    t.regex(dashboard.text, /I&#x27;m safe<\/span> <span class="alerts-bar__n">1<|I'm safe<\/span> <span class="alerts-bar__n">1</);
    t.regex(dashboard.text, /I need help<\/span> <span class="alerts-bar__n">1</);
    t.regex(dashboard.text, /Acknowledged<\/span> <span class="alerts-bar__n">2</);
    t.regex(dashboard.text, /2 have not answered yet/);
    t.regex(dashboard.text, /Dan/);
    t.notRegex(dashboard.text.split('have not answered yet')[1], /@bob/);
    const live = await sender.get(`/alerts/${id}/live`);
    t.is(live.status, 200);
    t.notRegex(live.text, /<html/);

    // An update shows in the banners; the alert itself is never edited.
    t.is((await sender.post(`/alerts/${id}/updates`, { message: '' })).status, 422);
    t.is((await sender.post(`/alerts/${id}/updates`, { message: 'Winds easing, stay in until 7 pm.' })).status, 303);
    const dan = await app.as('dan');
    t.regex((await dan.get('/')).text, /Winds easing, stay in until 7 pm\./);
    t.is((await rt.db('alerts_alerts').where({ id }).first('title')).title, 'Storm warning');

    // The CSV: every recipient with each channel's state.
    const csv = await sender.get(`/alerts/${id}/export.csv`);
    t.is(csv.status, 200);
    t.regex(String(csv.headers['content-type']), /text\/csv/);
    t.regex(csv.text, /"Bob","bob","bob@example\.com","pending","","[^"]+","[^"]+","safe"/);
    t.regex(csv.text, /"Carol","carol","carol@example\.com","pending","","[^"]+","[^"]+","help"/);

    // Closing removes the banners and stops answers; audit records for each act.
    t.is((await sender.post(`/alerts/${id}/close`)).status, 303);
    t.notRegex((await dan.get('/')).text, /alerts-banner/);
    const late = await dan.post(`/alerts/${id}/answer`, { answer: 'safe' });
    t.is(late.status, 303);
    t.is((await recipientRow(app, id, 'dan')).answer, null);
    t.is((await sender.post(`/alerts/${id}/updates`, { message: 'After closing' })).status, 409);
    for (const action of ['alerts.update', 'alerts.close']) t.is(await countRows(rt.db, 'audit_log', { action }), 1, action);
  },
);

eachApp('a French member reads the banner and the alert in French', alertsApp, async (t, app) => {
  const { rt } = app;
  const [lea] = await app.members('lea');
  await rt.users.setLocale(lea, 'fr');
  await app.send(await app.as('admin'), { answers: 'seen', severity: 'information' });
  const page = await (await app.as('lea')).get('/');
  t.regex(page.text, /Information/);
  t.regex(page.text, />Vu</);
});
