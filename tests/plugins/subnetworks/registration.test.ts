// Isolation at registration: a sub-network marked `isolated` (a partner company) takes its
// registrations for itself — the new member belongs to it only, and the root answers them
// the outsider page. Registering in a sub-network that is not isolated (a site of the
// company) makes a member of both, as before.
import { eachApp } from '../../helpers/each-app';
import { lastMailTo, pathOf } from '../../helpers/mail';
import { register, REGISTERED_PASSWORD as PASSWORD, subApp, type SubApp } from './support';

async function networksOf(app: SubApp, username: string): Promise<string[]> {
  const rows = await app.rt
    .db('memberships as m')
    .join('users as u', 'u.id', 'm.user_id')
    .join('networks as n', 'n.id', 'm.network_id')
    .where('u.username_lower', username)
    .select('n.slug');
  return rows.map((r: { slug: string }) => r.slug).sort();
}

eachApp(
  'registration: an isolated sub-network keeps its members (domain policy and invitation); others also join the root',
  subApp,
  async (t, app, db) => {
    const rt = app.rt;
    await app.network('partner', { name: 'Partner Co', joinPolicy: 'domain', joinDomains: ['partner.test'] });
    const partner = rt.networks.slug('partner')!;
    await rt.networks.update(partner.id, { isolated: true });
    t.true(rt.networks.slug('partner')!.isolated);
    const board = await app.network('board', { name: 'Partner board', joinPolicy: 'invitation' });
    await rt.networks.update(board.id, { isolated: true });
    await app.network('lyon', { name: 'Usine Lyon', joinPolicy: 'domain', joinDomains: ['lyon.test'] });

    // Email domain, isolated: partner only.
    let { agent, res } = await register(app, '/n/partner', { username: 'pat', email: 'pat@partner.test' });
    t.is(res.status, 200);
    res = await agent.http.get(pathOf((await lastMailTo(db.dataDir, 'pat@partner.test')).link));
    t.is(res.status, 303);
    t.deepEqual(await networksOf(app, 'pat'), ['partner']);
    const pat = app.agent();
    await pat.login('pat', PASSWORD);
    t.is((await pat.http.get('/n/partner/people')).status, 200);
    res = await pat.http.get('/people');
    t.is(res.status, 403);
    t.regex(res.text, /href="\/n\/partner\/">Go to Partner Co</);
    t.is((await pat.http.get('/n/lyon/people')).status, 403);

    // Invitation, isolated: board only (the invitation proves the address).
    await rt.registration.invite(board, 'ivy@elsewhere.test', 'Admin', 'en');
    const invite = new URL((await lastMailTo(db.dataDir, 'ivy@elsewhere.test')).link).searchParams.get('invite')!;
    ({ res } = await register(app, '/n/board', { username: 'ivy', email: 'ivy@elsewhere.test', invite }));
    t.is(res.status, 303, res.text.slice(0, 300));
    t.deepEqual(await networksOf(app, 'ivy'), ['board']);

    // Not isolated: the sub-network and the root.
    ({ agent, res } = await register(app, '/n/lyon', { username: 'leo', email: 'leo@lyon.test' }));
    t.is(res.status, 200);
    await agent.http.get(pathOf((await lastMailTo(db.dataDir, 'leo@lyon.test')).link));
    t.deepEqual(await networksOf(app, 'leo'), ['lyon', 'root']);
    // At the root: the root only, as always.
    ({ res } = await register(app, '', { username: 'rita', email: 'rita@example.test' }));
    t.is(res.status, 200);
    t.deepEqual(await networksOf(app, 'rita'), ['root']);
  },
);

eachApp('registration: the isolated setting from the admin page, kept on errors', subApp, async (t, app) => {
  const rt = app.rt;
  const a = await app.as('admin', 'correct horse battery');
  let res = await a.post('/admin/networks', { slug: 'acme', name: 'Acme', joinPolicy: 'open', domains: '', theme: 'default', isolated: 'on' });
  t.is(res.status, 303);
  t.true(rt.networks.slug('acme')!.isolated);
  res = await a.agent.http.get('/admin/networks/acme');
  t.regex(res.text, /name="isolated"[^>]* checked/);
  res = await a.agent.http.get('/admin/networks');
  t.regex(res.text, /Open: anyone may join · isolated/);
  // A refused form keeps the box as it was sent.
  res = await a.post('/admin/networks/acme', { name: '', joinPolicy: 'open', domains: '', theme: 'default', isolated: 'on' });
  t.is(res.status, 422);
  t.regex(res.text, /name="isolated"[^>]* checked/);
  res = await a.post('/admin/networks/acme', { name: 'Acme', joinPolicy: 'open', domains: '', theme: 'default' });
  t.is(res.status, 303);
  t.false(rt.networks.slug('acme')!.isolated, 'unchecked: not isolated any more');
});
