// The admin page: root admins create, configure and archive sub-networks and see adoption;
// members and sub-network admins cannot run other networks.
import { eachApp } from '../../helpers/each-app';
import { ADMIN } from '../../helpers/app';
import { subApp } from './support';

eachApp('root admins create a sub-network from the admin page; bad input re-renders with messages', subApp, async (t, app) => {
  const rt = app.rt;
  const admin = app.agent();
  await admin.login(ADMIN.username, ADMIN.password);
  let res = await admin.http.get('/admin/networks');
  t.is(res.status, 200, res.text.slice(0, 3000));
  t.regex(res.text, /No sub-networks yet/);
  t.regex(res.text, /<a class="admin-nav__link" href="\/admin\/networks" aria-current="page">Sub-networks<\/a>/);

  let token = await admin.csrf('/admin/networks');
  res = await admin.http
    .post('/admin/networks')
    .type('form')
    .send({ _csrf: token, slug: 'Bad slug', name: '', host: 'nope', joinPolicy: 'domain', domains: '', theme: 'default' });
  t.is(res.status, 422);
  t.regex(res.text, /Use 1 to 40 lowercase letters/);
  t.regex(res.text, /Give the sub-network a name/);
  t.regex(res.text, /Enter a host name such as/);
  t.regex(res.text, /Enter at least one email domain/);
  t.regex(res.text, /value="Bad slug"/, 'what was typed is kept');
  t.is(rt.networks.subNetworks().length, 0);

  token = await admin.csrf('/admin/networks');
  res = await admin.http.post('/admin/networks').type('form').send({
    _csrf: token,
    slug: 'lyon',
    name: 'Usine Lyon',
    host: 'Lyon.Example.test',
    joinPolicy: 'domain',
    domains: '@lyon.example.com',
    theme: 'default',
  });
  t.is(res.status, 303, res.text.slice(0, 2000));
  const lyon = rt.networks.slug('lyon')!;
  t.like(lyon, { name: 'Usine Lyon', host: 'lyon.example.test', joinPolicy: 'domain', joinDomains: ['lyon.example.com'] });
  res = await admin.http.get('/admin/networks');
  t.regex(res.text, /Usine Lyon is created/);
  t.regex(res.text, /<tr data-network="lyon">/);

  token = await admin.csrf('/admin/networks');
  res = await admin.http
    .post('/admin/networks')
    .type('form')
    .send({ _csrf: token, slug: 'lyon', name: 'Again', host: 'lyon.example.test', joinPolicy: 'open', domains: '', theme: 'default' });
  t.is(res.status, 422);
  t.regex(res.text, /Another network already uses this short name/);
  t.regex(res.text, /Another network already answers on this host name/);

  // Settings of a sub-network.
  res = await admin.http.get('/admin/networks/lyon');
  t.is(res.status, 200);
  token = await admin.csrf('/admin/networks/lyon');
  res = await admin.http
    .post('/admin/networks/lyon')
    .type('form')
    .send({ _csrf: token, name: 'Lyon plant', host: '', joinPolicy: 'approval', domains: '', theme: 'nope' });
  t.is(res.status, 422);
  t.regex(res.text, /Choose one of the installed themes/);
  res = await admin.http
    .post('/admin/networks/lyon')
    .type('form')
    .send({ _csrf: token, name: 'Lyon plant', host: '', joinPolicy: 'approval', domains: '', theme: 'default' });
  t.is(res.status, 303);
  t.like(rt.networks.slug('lyon'), { name: 'Lyon plant', host: null, joinPolicy: 'approval' });
  t.is((await admin.http.get('/admin/networks/nowhere')).status, 404);

  // Archive: the network no longer answers.
  res = await admin.http.post('/admin/networks/lyon/archive').type('form').send({ _csrf: token });
  t.is(res.status, 303);
  t.is(rt.networks.slug('lyon'), undefined);
  t.is((await admin.http.get('/n/lyon/')).status, 404);
});

eachApp('adoption per sub-network: members, active and contributing this month', subApp, async (t, app) => {
  const rt = app.rt;
  const lyon = await app.network('lyon', { name: 'Usine Lyon' });
  const paris = await app.network('paris', { name: 'Paris office' });
  const alice = await app.member('alice');
  const bob = await app.member('bob');
  const carol = await app.member('carol');
  await app.join(alice, lyon.id);
  await app.join(bob, lyon.id);
  await app.join(carol, paris.id);
  await app.as('alice'); // a session seen now: active
  await app.quickPost(bob, 'hello Lyon', 'network', { networkId: lyon.id }); // contributing
  const admin = app.agent();
  await admin.login(ADMIN.username, ADMIN.password);
  const res = await admin.http.get('/admin/networks');
  t.is(res.status, 200, res.text.slice(0, 4000));
  const stats = (slug: string): string[] => {
    const row = new RegExp(`<tr data-network="${slug}">([\\s\\S]*?)</tr>`).exec(res.text)?.[1] ?? '';
    return [...row.matchAll(/data-stat="(\w+)">(\d+)</g)].map((m) => `${m[1]}=${m[2]}`);
  };
  t.deepEqual(stats('lyon'), ['members=2', 'active=1', 'contributing=1']);
  t.deepEqual(stats('paris'), ['members=1', 'active=0', 'contributing=0']);

  // A member is refused; a sub-network's admin sees only their network, and cannot create.
  const member = await app.as('alice');
  t.is((await member.agent.http.get('/admin/networks')).status, 403);
  await app.join(carol, paris.id, 'admin');
  const padmin = await app.as('carol');
  const own = await padmin.agent.http.get('/n/paris/admin/networks');
  t.is(own.status, 200);
  t.regex(own.text, /data-network="paris"/);
  t.notRegex(own.text, /data-network="lyon"|Usine Lyon/);
  t.notRegex(own.text, /Create a sub-network/);
  const token = await padmin.agent.csrf('/n/paris/admin/networks');
  t.is(
    (await padmin.agent.http.post('/n/paris/admin/networks').type('form').send({ _csrf: token, slug: 'x', name: 'X', joinPolicy: 'open' })).status,
    404,
  );
  t.is((await padmin.agent.http.post('/n/paris/admin/networks/lyon/archive').type('form').send({ _csrf: token })).status, 404);
  t.is((await padmin.agent.http.get('/admin/networks')).status, 403, 'not an admin of the root');
  t.truthy(rt.networks.slug('lyon'));
});
