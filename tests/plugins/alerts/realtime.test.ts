// The live side of alerts on both databases, over real WebSockets: a recipient's open page is
// told to look when an alert is sent, updated or closed, and only then; a member of another
// network, a non-recipient and a guest hear nothing (the guest cannot even connect); only those
// who may send alerts follow a dashboard.
import { listen } from '../../../core';
import { eachApp } from '../../helpers/each-app';
import { addMemberships, addSubNetwork, testContainer } from '../../helpers/members';
import { connect } from '../chat/support';
import { alertsApp } from './support';

eachApp('pushes reach the alert’s recipients in its network only; dashboards are followed by senders only', alertsApp, async (t, app) => {
  const { rt } = app;
  const server = await listen(app.app, 0, '127.0.0.1');
  try {
    const [bob, carol, eve] = await app.members('bob', 'carol', 'eve');
    const b = await addSubNetwork(rt, 'b');
    await addMemberships(rt, b, [bob, eve]);
    const cookie = async (userId: number) => `${rt.config.session.cookieName}=${await rt.sessions.create(userId)}`;
    const open = async (userId: number, base = '') => {
      const c = await connect(server.url, await cookie(userId), server.url, `${base}/alerts/socket`);
      await c.waitFor((e) => e.type === 'ready');
      return c;
    };
    const bobRoot = await open(bob);
    const bobInB = await open(bob, '/n/b');
    const carolRoot = await open(carol);
    const eveInB = await open(eve, '/n/b');
    await t.throwsAsync(connect(server.url, null, server.url, '/alerts/socket'), { message: /refused 401/ });

    // An alert to a group of the root network with Bob only.
    const group = await testContainer(rt, bob, []);
    const sender = await app.as('admin');
    const id = await app.send(sender, { audience: 'group', group: String(group) });
    await bobRoot.waitFor((e) => e.type === 'alert');
    // Bob's own answer in another tab tells his pages; an update tells every recipient.
    await (await app.as('bob')).post(`/alerts/${id}/answer`, { answer: 'help' });
    await bobRoot.waitFor((e) => e.type === 'alert', 2);
    await sender.post(`/alerts/${id}/updates`, { message: 'Help is on the way.' });
    await bobRoot.waitFor((e) => e.type === 'alert', 3);
    t.is(carolRoot.events.filter((e) => e.type === 'alert').length, 0, 'Carol is not a recipient');
    t.is(bobInB.events.filter((e) => e.type === 'alert').length, 0, 'not in network B, where Bob is too');
    t.is(eveInB.events.filter((e) => e.type === 'alert').length, 0, 'Eve is in network B only');

    // Following the dashboard: refused to Bob (silently), granted to the admin, told of answers.
    bobRoot.send({ type: 'watch', alert: id });
    const adminSocket = await open((await rt.users.byUsername('admin'))!.id);
    adminSocket.send({ type: 'watch', alert: id });
    await adminSocket.waitFor((e) => e.type === 'watching' && e.alert === id);
    await (await app.as('bob')).post(`/alerts/${id}/answer`, { answer: 'safe' });
    await adminSocket.waitFor((e) => e.type === 'changed' && e.alert === id);
    t.is(bobRoot.events.filter((e) => e.type === 'watching' || e.type === 'changed').length, 0);
    for (const c of [bobRoot, bobInB, carolRoot, eveInB, adminSocket]) c.close();
  } finally {
    await server.stop();
  }
});
