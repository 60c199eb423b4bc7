// The outsider gate (core/http/outsiders.ts): a signed-in member who belongs to none of the
// request's network gets a localised 403 page listing their networks (JSON under /api/),
// except on the routes open to outsiders (`outsiders: true`: account pages, sign-out,
// language, joining, the list of my networks, unsubscribe links). Members, root admins and
// guests are not concerned.
import { ADMIN } from '../../helpers/app';
import { eachApp } from '../../helpers/each-app';
import { subApp } from './support';

eachApp('outsiders: a partner member at the root and in another sub-network gets the page of their networks', subApp, async (t, app) => {
  const partner = await app.network('partner', { name: 'Partner Co', host: 'partner.example.test' });
  const lyon = await app.network('lyon', { name: 'Usine Lyon' });
  await app.network('board', { name: 'Board room', joinPolicy: 'invitation' });
  const pat = await app.member('pat');
  await app.join(pat, partner.id);
  await app.onlyIn(pat);
  const bob = await app.member('bob');
  await app.join(bob, lyon.id);
  const a = await app.as('pat');

  // Pages of the root and of another sub-network: 403, their networks offered.
  for (const path of ['/', '/people', '/activity', '/n/lyon/', '/n/lyon/people', '/n/board/feed']) {
    const res = await a.agent.http.get(path);
    t.is(res.status, 403, path);
    t.regex(res.text, /You are not a member of/, path);
    t.regex(res.text, /href="http:\/\/partner\.example\.test(:\d+)?\/">Go to Partner Co</, `${path} links their network at its host`);
    const list = /<ul class="outsider-page__networks">(.*?)<\/ul>/s.exec(res.text)?.[1] ?? '';
    t.is([...list.matchAll(/<li>/g)].length, 1, `${path} lists only their networks`);
  }
  // An open network offers to join it; an invitation-only one does not.
  let res = await a.agent.http.get('/n/lyon/');
  t.regex(res.text, /action="\/n\/lyon\/join"[^>]*>.*Join Usine Lyon/s);
  res = await a.agent.http.get('/n/board/');
  t.notRegex(res.text, /\/join"/);
  // In French.
  res = await a.agent.http.get('/people').set('Accept-Language', 'fr');
  t.is(res.status, 403);
  // pat has no chosen language: Accept-Language decides.
  t.regex(res.text, /Vous n’êtes pas membre de Test network/);
  t.regex(res.text, /Aller sur Partner Co/);
  // APIs and forms: JSON / error page 403, nothing done.
  for (const path of ['/api/v1/activity', '/api/v1/mentions?q=a', '/n/lyon/api/v1/activity']) {
    res = await a.agent.http.get(path).set('accept', 'application/json');
    t.is(res.status, 403, path);
    t.is(res.body.error.code, 'not_a_member', path);
  }
  const count = async () => Number((await app.rt.db('entities').count<{ n: number | string }[]>('id as n'))[0].n);
  const before = await count();
  res = await a.post('/status', { body: 'Hello root', access: 'members' });
  t.is(res.status, 403);
  t.is(await count(), before, 'nothing posted');

  // Open to outsiders: account pages, language, the list of my networks, joining, sign-out.
  t.is((await a.agent.http.get('/account')).status, 200, '/account');
  t.is((await a.agent.http.get('/n/lyon/account')).status, 200, '/n/lyon/account');
  t.is((await a.agent.http.get('/networks')).status, 200, '/networks');
  t.is((await a.agent.http.get('/api/v1/me').set('accept', 'application/json')).status, 200, '/api/v1/me');
  t.is((await a.post('/locale', { locale: 'fr', next: '/account' })).status, 303, 'language');
  res = await a.post('/n/lyon/join');
  t.is(res.status, 303, 'joins an open network');
  t.is((await a.agent.http.get('/n/lyon/people')).status, 200, 'a member of Lyon now');
  t.is((await a.agent.http.get('/people')).status, 403, 'still not of the root');
  t.is((await a.post('/logout')).status, 303);
  t.is((await a.agent.http.get('/people')).status, 302, 'a guest again: asked to sign in');
});

eachApp('outsiders: members, root admins and guests are not concerned', subApp, async (t, app) => {
  const lyon = await app.network('lyon', { name: 'Usine Lyon', joinPolicy: 'invitation' });
  const bob = await app.member('bob');
  const admin = await app.as('admin', ADMIN.password);
  // A root admin (and admin of the root network) sees every network.
  t.is((await admin.agent.http.get('/n/lyon/people')).status, 200);
  const b = await app.as('bob');
  t.is((await b.agent.http.get('/people')).status, 200, 'a root member at the root');
  t.is((await b.agent.http.get('/n/lyon/people')).status, 403, 'a root member in a sub-network they do not belong to');
  await app.join(bob, lyon.id);
  t.is((await b.agent.http.get('/n/lyon/people')).status, 200, 'once a member');
  const guest = app.agent();
  t.is((await guest.http.get('/login')).status, 200);
  t.is((await guest.http.get('/n/lyon/login')).status, 200);
  t.is((await guest.http.get('/n/lyon/people')).status, 302, 'guests are asked to sign in');
});
