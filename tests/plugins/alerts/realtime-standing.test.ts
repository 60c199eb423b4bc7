// The alerts socket follows its member's roles and status as the database has them now (issue
// 22), not those it connected with: changed from another process or the CLI (here: written to
// the database, with no message to this process), a member suspended or removed from the network
// cannot watch a dashboard (the socket closes, ACCESS_ENDED) and an admin demoted stops hearing
// of the dashboard they followed. Real sockets, both databases.
import { ACCESS_ENDED, listen } from '../../../core';
import { eachApp } from '../../helpers/each-app';
import { connect } from '../chat/support';
import { alertsApp } from './support';

eachApp('the alerts socket watches with its member’s standing now: suspended, removed or demoted after connecting', alertsApp, async (t, app) => {
  const { rt } = app;
  const server = await listen(app.app, 0, '127.0.0.1');
  try {
    const [sara, sam, dana] = await app.members('sara', 'sam', 'dana');
    // All three may send alerts when they connect.
    await rt.db('memberships').whereIn('user_id', [sara, sam, dana]).where({ network_id: app.root }).update({ role: 'admin' });
    const open = async (userId: number) => {
      const c = await connect(server.url, `${rt.config.session.cookieName}=${await rt.sessions.create(userId)}`, server.url, '/alerts/socket');
      await c.waitFor((e) => e.type === 'ready');
      return c;
    };
    const [saraSocket, samSocket, danaSocket] = [await open(sara), await open(sam), await open(dana)];
    const id = await app.send(await app.as('admin'), {});
    danaSocket.send({ type: 'watch', alert: id });
    await danaSocket.waitFor((e) => e.type === 'watching' && e.alert === id);

    // Suspended elsewhere: the watch is refused and the socket closed.
    await rt.db('users').where({ id: sara }).update({ status: 'suspended' });
    saraSocket.send({ type: 'watch', alert: id });
    t.is(await saraSocket.eventOrClose((e) => e.type === 'watching'), null, 'a suspended member does not watch');
    t.is(saraSocket.closeCode, ACCESS_ENDED);

    // Removed from the network elsewhere: the same.
    await rt.db('memberships').where({ user_id: sam, network_id: app.root }).delete();
    samSocket.send({ type: 'watch', alert: id });
    t.is(await samSocket.eventOrClose((e) => e.type === 'watching'), null, 'a member removed from the network does not watch');
    t.is(samSocket.closeCode, ACCESS_ENDED);

    // Demoted elsewhere: the next change of the dashboard is not told to her (the banner, sent
    // after the watchers in the same push, is: she is still a recipient), her socket stays open.
    await rt.db('memberships').where({ user_id: dana, network_id: app.root }).update({ role: 'member' });
    const banners = danaSocket.events.filter((e) => e.type === 'alert').length;
    await (await app.as('admin')).post(`/alerts/${id}/updates`, { message: 'Stay in.' });
    await danaSocket.waitFor((e) => e.type === 'alert', banners + 1);
    t.is(danaSocket.events.filter((e) => e.type === 'changed').length, 0, 'a demoted admin no longer hears of the dashboard');
    t.false(danaSocket.closed);
    danaSocket.close();
  } finally {
    await server.stop();
  }
});
