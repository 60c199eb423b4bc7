// Reaching sub-networks: own host names, per-network plugins and themes, joining by
// email domain. Also what the core must still change (test.failing, see the plugin README).
import { eachApp } from '../../helpers/each-app';
import { lastMailTo, pathOf } from '../../helpers/mail';
import { subApp } from './support';

const HOST = 'lyon.example.test';
const PASSWORD = 'sunny meadow 2026';

eachApp('a sub-network answers on its own host name, with its own theme and plugins', subApp, async (t, app) => {
  const rt = app.rt;
  const lyon = await app.network('lyon', { name: 'Usine Lyon', host: HOST, theme: 'ardoise' });
  const paris = await app.network('paris', { name: 'Paris office' });
  const alice = await app.member('alice');
  await app.join(alice, lyon.id);
  await app.join(alice, paris.id);
  await app.quickPost(alice, 'LYON-ONLY post', 'network', { networkId: lyon.id });
  const a = await app.as('alice');

  // Host routing: the same pages, for the Lyon network.
  let res = await a.agent.http.get('/activity').set('Host', HOST);
  t.is(res.status, 200);
  t.regex(res.text, /<span class="brand__name">Usine Lyon<\/span>/);
  t.regex(res.text, /LYON-ONLY post/);
  t.regex(res.text, /ardoise\.css/, 'its own theme');
  res = await a.agent.http.get('/activity');
  t.regex(res.text, /<span class="brand__name">Test network<\/span>/);
  t.notRegex(res.text, /LYON-ONLY post|ardoise\.css/);
  t.regex((await a.agent.http.get('/n/lyon/activity')).text, /ardoise\.css/, 'the same theme at /n/lyon');
  // From its own host, the switcher links back to the root with an absolute URL.
  res = await a.agent.http.get('/').set('Host', HOST);
  t.regex(res.text, new RegExp(`href="${rt.config.siteUrl.replace(/\/$/, '')}/">Go to Test network<`));
  res = await a.agent.http.get('/');
  t.regex(res.text, /href="http:\/\/lyon\.example\.test[^"]*\/">Go to Usine Lyon</);

  // Per-network plugins: blogs disabled in Lyon only.
  t.is((await a.agent.http.get('/n/lyon/blogs')).status, 200);
  await rt.pluginState.enable('blogs');
  await rt.pluginState.disable('blogs', lyon.id);
  t.is((await a.agent.http.get('/n/lyon/blogs')).status, 404);
  t.is((await a.agent.http.get('/blogs').set('Host', HOST)).status, 404, 'on its host too');
  t.is((await a.agent.http.get('/blogs')).status, 200);
  t.is((await a.agent.http.get('/n/paris/blogs')).status, 200);
  res = await a.agent.http.get('/n/lyon/');
  t.notRegex(res.text, /href="\/n\/lyon\/blogs"/, 'no menu entry for a disabled plugin');
  // A plugin disabled at the root cannot be enabled in a sub-network.
  await rt.pluginState.disable('blogs');
  await t.throwsAsync(() => rt.pluginState.enable('blogs', lyon.id), { message: /disabledAtRoot/ });
  // An unknown sub-network path is a 404 page.
  res = await a.agent.http.get('/n/nowhere/');
  t.is(res.status, 404);
});

eachApp('joining a sub-network by email domain on its own host, then posting there', subApp, async (t, app, db) => {
  const rt = app.rt;
  const lyon = await app.network('lyon', { name: 'Usine Lyon', host: HOST, joinPolicy: 'domain', joinDomains: [HOST] });
  const agent = app.agent();
  await agent.csrf('/register');
  const wrong = await agent.http.get('/register').set('Host', HOST);
  t.regex(wrong.text, /@lyon\.example\.test/);
  let token = /name="_csrf" value="([^"]+)"/.exec(wrong.text)![1];
  let res = await agent.http
    .post('/register')
    .set('Host', HOST)
    .type('form')
    .send({ _csrf: token, username: 'eve', email: 'eve@gmail.com', password: PASSWORD, passwordConfirm: PASSWORD });
  t.is(res.status, 422);
  t.regex(res.text, /@lyon\.example\.test/);
  t.is(await rt.db('users').where({ username_lower: 'eve' }).first('id'), undefined);
  res = await agent.http
    .post('/register')
    .set('Host', HOST)
    .type('form')
    .send({ _csrf: token, username: 'leo', email: 'Leo@Lyon.Example.Test', password: PASSWORD, passwordConfirm: PASSWORD });
  t.is(res.status, 200, res.text.slice(0, 500));
  const mail = await lastMailTo(db.dataDir, 'leo@lyon.example.test');
  t.regex(mail.subject, /Usine Lyon/);
  res = await agent.http.get(pathOf(mail.link));
  t.is(res.status, 303);
  const leo = await rt.db('users').where({ username_lower: 'leo' }).first('id', 'status');
  t.is(leo.status, 'active');
  const roles = await rt.db('memberships').where({ user_id: leo.id }).select('network_id', 'role');
  t.true(
    roles.some((r) => Number(r.network_id) === lyon.id && r.role === 'member'),
    'a member of Lyon',
  );
  token = await agent.csrf('/n/lyon/activity');
  res = await agent.http.post('/status').set('Host', HOST).type('form').send({ _csrf: token, body: 'Bonjour Lyon', access: 'network' });
  t.is(res.status, 303);
  const post = await rt.db('entities').where({ owner_id: leo.id, type: 'status' }).first('network_id', 'access');
  t.deepEqual({ network: Number(post.network_id), access: post.access }, { network: lyon.id, access: 'network' });
});
