// Members join open sub-networks, and email-domain ones with a verified address at a
// listed domain, by themselves; invitation and approval networks refuse with a message.
import { eachApp } from '../../helpers/each-app';
import { subApp } from './support';

eachApp('members join open and matching email-domain sub-networks by themselves', subApp, async (t, app) => {
  const rt = app.rt;
  const lyon = await app.network('lyon', { name: 'Usine Lyon' });
  const paris = await app.network('paris', { name: 'Paris office', joinPolicy: 'domain', joinDomains: ['example.com'] });
  await app.network('board', { name: 'Board room', joinPolicy: 'invitation' });
  await app.network('acme', { name: 'Acme partners', joinPolicy: 'domain', joinDomains: ['acme.test'] });
  const bob = await app.member('bob');
  await app.member('carol');
  await rt.db('users').where({ id: bob }).update({ email_verified_at: Date.now() });
  const b = await app.as('bob');
  let res = await b.agent.http.get('/networks');
  t.is(res.status, 200);
  t.deepEqual(
    [...res.text.matchAll(/data-joinable="([^"]+)"/g)].map((m) => m[1]),
    ['Paris office', 'Usine Lyon'],
  );

  res = await b.post('/n/lyon/join');
  t.is(res.status, 303);
  t.is(res.headers.location, '/n/lyon/');
  t.is((await rt.db('memberships').where({ user_id: bob, network_id: lyon.id }).first('role'))?.role, 'member');
  res = await b.agent.http.get('/n/lyon/');
  t.regex(res.text, /You joined Usine Lyon/);
  t.is((await b.agent.http.get('/n/lyon/feed')).status, 200, 'still signed in, now a member');
  t.is((await b.post('/n/paris/join')).status, 303);
  t.truthy(await rt.db('memberships').where({ user_id: bob, network_id: paris.id }).first('role'));
  t.is((await b.post('/n/lyon/join')).status, 303, 'joining again changes nothing');

  res = await b.post('/n/board/join');
  t.is(res.status, 403);
  t.regex(res.text, /joined by invitation or on approval/);
  res = await b.post('/n/acme/join');
  t.is(res.status, 403);
  t.regex(res.text, /Only addresses at @acme\.test, verified, may join/);
  // An unverified address does not prove the domain.
  const c = await app.as('carol');
  res = await c.post('/n/paris/join');
  t.is(res.status, 403);
  res = await c.agent.http.get('/networks');
  t.deepEqual(
    [...res.text.matchAll(/data-joinable="([^"]+)"/g)].map((m) => m[1]),
    ['Usine Lyon'],
  );
  // French message
  res = await c.agent.http.post('/n/board/join').set('accept-language', 'fr').type('form').send({ _csrf: c.token });
  t.is(res.status, 403);
  // Guests are asked to sign in, never joined.
  const guest = app.agent();
  const token = await guest.csrf('/login');
  res = await guest.http.post('/n/lyon/join').type('form').send({ _csrf: token });
  t.true(res.status === 302 || res.status === 401, `guest gets ${res.status}`);
  t.is((await rt.db('memberships').where({ network_id: lyon.id }).count<{ n: number | string }[]>('user_id as n'))[0].n.toString(), '1');
});
