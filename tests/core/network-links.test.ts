// Issue 27 item 1: a sub-network on its own host mails links to that host, never to the
// site's (`http://localhost/n/globex/...` for `globex.localhost`): password reset and
// notification emails (the line's link, the unsubscribe and settings links, the footer).
import test from 'ava';
import request from 'supertest';
import { networkUrl } from '../../core';
import { eachApp } from '../helpers/each-app';
import { lastMailTo } from '../helpers/mail';
import { addMemberships } from '../helpers/members';
import { notifApp } from '../plugins/notifications/support';

const SITE = 'http://localhost:3000';
const HOST = 'globex.localhost';

test('networkUrl: own host (scheme and port of the site), else the site and /n/<slug>', (t) => {
  t.is(networkUrl(SITE, { host: HOST, parentId: 1, slug: 'globex' }), 'http://globex.localhost:3000');
  t.is(networkUrl('https://example.com/', { host: 'g.example.com', parentId: 1, slug: 'g' }), 'https://g.example.com');
  t.is(networkUrl(`${SITE}/`, { host: null, parentId: 1, slug: 'lyon' }), `${SITE}/n/lyon`);
  t.is(networkUrl(SITE, { host: null, parentId: null, slug: 'root' }), SITE);
});

eachApp(
  'a network on its own host mails links to its host: password reset and notifications',
  (db) => notifApp(db, { siteUrl: SITE }),
  async (t, app) => {
    const rt = app.rt;
    const globex = await rt.networks.create({ slug: 'globex', name: 'Globex', host: HOST });
    const [anna, bob] = await app.members('anna', 'bob');
    await addMemberships(rt, globex.id, [anna, bob]);

    // Password reset asked on the network's host.
    const http = request.agent(app.app.callback());
    const page = await http.get('/password/forgot').set('Host', HOST);
    const token = /name="_csrf" value="([^"]+)"/.exec(page.text)![1];
    const res = await http.post('/password/forgot').set('Host', HOST).type('form').send({ _csrf: token, email: 'anna@example.com' });
    t.true(res.status < 400);
    const reset = await lastMailTo(app.config.dataDir, 'anna@example.com');
    t.regex(reset.link, /^http:\/\/globex\.localhost:3000\/password\/reset\?token=/);
    t.notRegex(reset.text, /\/n\/globex/);

    // A notification about a post in that network.
    const post = await rt.entities.create({ type: 'status', ownerId: bob, networkId: globex.id, access: 'network', containerId: null });
    await rt.db('status_posts').insert({ entity_id: post, body: 'Fire drill at 3 pm' });
    await rt.hooks.emit('content:mentioned', { source: 'status', objectId: 0, networkId: globex.id, entityId: post, actorId: bob, userId: anna });
    t.is(await app.run(), 1);
    const mails = await app.mails('anna@example.com');
    const mail = mails[mails.length - 1];
    t.regex(mail.text, new RegExp(`http://globex\\.localhost:3000/status/${post}`));
    t.regex(mail.text, /http:\/\/globex\.localhost:3000\/notifications\/unsubscribe\?token=/);
    t.notRegex(mail.text, /localhost:3000\/n\/globex/);
    t.notRegex(mail.html, /localhost:3000\/n\/globex/);
  },
);
