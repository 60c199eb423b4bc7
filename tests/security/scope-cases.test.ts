// Issue 16: every power has a scope. One test per case of the issue, on SQLite and
// PostgreSQL: who may act on installation-wide objects and on another network's objects,
// through which address, and that nobody else changes a row.
import type { Knex } from 'knex';
import { eachApp } from '../helpers/each-app';
import { ADMIN, unmasked } from '../helpers/app';
import { lastMailTo, pathOf } from '../helpers/mail';
import { person, register, REGISTERED_PASSWORD as PASSWORD, signedInForms as signedIn, subApp, type SubApp } from '../plugins/subnetworks/support';

/** Every row of the tables, in a stable order: compared before and after a refused action. */
async function snapshot(db: Knex, tables: string[]): Promise<string> {
  const out: Record<string, unknown[]> = {};
  for (const table of tables) {
    const rows = (await db(table).select()) as Record<string, unknown>[];
    out[table] = rows
      .map((r) =>
        JSON.stringify(
          Object.keys(r)
            .sort()
            .map((k) => [k, r[k] === null ? null : String(r[k])]),
        ),
      )
      .sort();
  }
  return JSON.stringify(out);
}

const FIELD = { key: 'badge', label_en: 'Badge number', label_fr: 'Numéro de badge', type: 'text', choices: '', visibility: 'private' };

eachApp('issue 16 case 1: only root rights list, create, edit, move and delete profile field definitions', subApp, async (t, app) => {
  const rt = app.rt;
  const lyon = await app.network('lyon', { name: 'Usine Lyon' });
  const sam = await person(app, 'sam'); // admin of the sub-network
  await app.join(sam, lyon.id, 'admin');
  const mia = await person(app, 'mia'); // a member granted admin.access in the sub-network
  await app.join(mia, lyon.id, 'member');
  await rt.permissions.setGrant(lyon.id, 'admin.access', 'member', true);
  await person(app, 'ron');

  // The root admin defines a private field, and a member fills it in.
  const root = await signedIn(app, ADMIN.username, ADMIN.password);
  t.is((await root.get('/admin/profile-fields')).status, 200);
  t.is((await root.post('/admin/profile-fields', FIELD)).status, 303);
  const field = await rt.db('profile_fields').where({ key: 'badge' }).first('id');
  const fieldId = Number(field.id);
  await rt.db('profile_values').insert({ user_id: sam, field_id: fieldId, value: 'B-1234' });
  // The root admin may also reach them through a sub-network's address: they are the installation's.
  t.is((await root.get('/n/lyon/admin/profile-fields')).status, 200);
  t.regex((await root.get('/admin')).text, /href="\/admin\/profile-fields"/, 'the root admin has the tab');

  const tables = ['profile_fields', 'profile_values'];
  const before = await snapshot(rt.db, tables);
  for (const who of ['sam', 'mia']) {
    const a = await signedIn(app, who);
    t.is((await a.get('/n/lyon/admin')).status, 200, `${who} administers the sub-network`);
    t.notRegex((await a.get('/n/lyon/admin')).text, /profile-fields/, `${who} is not offered the installation's fields`);
    for (const base of ['/n/lyon', '']) {
      t.is((await a.get(`${base}/admin/profile-fields`)).status, 403, `${who} lists ${base}`);
      t.is((await a.get(`${base}/admin/profile-fields/${fieldId}`)).status, 403, `${who} opens ${base}`);
      t.is((await a.post(`${base}/admin/profile-fields`, { ...FIELD, key: 'other' })).status, 403, `${who} creates ${base}`);
      t.is(
        (await a.post(`${base}/admin/profile-fields/${fieldId}`, { ...FIELD, visibility: 'public' })).status,
        403,
        `${who} makes it public ${base}`,
      );
      t.is((await a.post(`${base}/admin/profile-fields/${fieldId}/move`, { direction: 'up' })).status, 403, `${who} moves ${base}`);
      t.is((await a.post(`${base}/admin/profile-fields/${fieldId}/delete`)).status, 403, `${who} deletes ${base}`);
    }
  }
  const ron = await signedIn(app, 'ron');
  t.is((await ron.post('/admin/profile-fields/' + fieldId + '/delete')).status, 403, 'a plain member');
  t.is((await app.agent().http.post(`/admin/profile-fields/${fieldId}/delete`)).status, 403, 'a guest (no CSRF token)');
  t.is(await snapshot(rt.db, tables), before, 'no row changed');

  // Root rights still act, through either address.
  t.is((await root.post(`/n/lyon/admin/profile-fields/${fieldId}`, { ...FIELD, visibility: 'members' })).status, 303);
  t.is((await rt.db('profile_fields').where({ id: fieldId }).first('visibility')).visibility, 'members');
});

eachApp('issue 16 case 2: an admin sees and decides only the membership requests made to their network', subApp, async (t, app, db) => {
  const rt = app.rt;
  await rt.networks.update(rt.networks.root().id, { joinPolicy: 'approval' });
  const a = await app.network('alpha', { name: 'Alpha', joinPolicy: 'approval' });
  await app.network('beta', { name: 'Beta', joinPolicy: 'approval' });
  const sam = await person(app, 'sam');
  await app.join(sam, a.id, 'admin');

  // Three people ask to join: the root, Alpha and Beta; each verifies their address.
  for (const [base, username] of [
    ['', 'rita'],
    ['/n/alpha', 'alan'],
    ['/n/beta', 'bea'],
  ] as const) {
    const { agent, res } = await register(app, base, { username, email: `${username}@example.org` });
    t.is(res.status, 200);
    t.is((await agent.http.get(pathOf((await lastMailTo(db.dataDir, `${username}@example.org`)).link))).status, 200, `${username} awaits approval`);
  }
  const idOf = async (u: string) => Number((await rt.db('users').where({ username_lower: u }).first('id')).id);
  const [rita, alan, bea] = [await idOf('rita'), await idOf('alan'), await idOf('bea')];

  // Alpha's admin sees Alpha's request only, and cannot reach the others' from anywhere.
  const admin = await signedIn(app, 'sam');
  let res = await admin.get('/n/alpha/members/requests');
  t.is(res.status, 200);
  t.regex(res.text, /alan@example\.org/);
  t.notRegex(res.text, /rita@|bea@/);
  t.is((await admin.get('/members/requests')).status, 403, 'not an admin of the root');
  t.is((await admin.get('/n/beta/members/requests')).status, 403, 'not a member of Beta');
  const tables = ['users', 'memberships', 'auth_tokens'];
  const before = await snapshot(rt.db, tables);
  for (const id of [rita, bea]) {
    for (const decision of ['approve', 'decline']) {
      t.is((await admin.post(`/n/alpha/members/requests/${id}`, { decision })).status, 404, `${decision} ${id} through Alpha`);
    }
  }
  t.is((await admin.post('/n/alpha/members/requests/999999', { decision: 'approve' })).status, 404, 'the same answer as a missing request');
  t.is((await admin.post('/n/alpha/members/requests/abc', { decision: 'approve' })).status, 404);
  t.is(await snapshot(rt.db, tables), before, 'nothing changed');

  // Its own request: approved.
  t.is((await admin.post(`/n/alpha/members/requests/${alan}`, { decision: 'approve' })).status, 303);
  t.is((await rt.db('users').where({ id: alan }).first('status')).status, 'active');

  // The root admin sees the root's requests at the root, and Beta's through Beta.
  const root = await signedIn(app, ADMIN.username, ADMIN.password);
  res = await root.get('/members/requests');
  t.regex(res.text, /rita@example\.org/);
  t.notRegex(res.text, /bea@|alan@/);
  t.is((await root.post(`/members/requests/${bea}`, { decision: 'approve' })).status, 404, "Beta's request is decided in Beta");
  t.is((await rt.db('users').where({ id: bea }).first('status')).status, 'pending');
  res = await root.get('/n/beta/members/requests');
  t.regex(res.text, /bea@example\.org/);
  t.is((await root.post(`/n/beta/members/requests/${bea}`, { decision: 'decline' })).status, 303);
  t.falsy(await rt.db('users').where({ id: bea }).first('id'));
  t.is((await root.post(`/members/requests/${rita}`, { decision: 'approve' })).status, 303);
  t.is((await rt.db('users').where({ id: rita }).first('status')).status, 'active');
  // The approval mail points to the network the person applied to.
  t.regex((await lastMailTo(db.dataDir, 'alan@example.org')).link, /\/n\/alpha\/login$/);
});

const NEW_PASSWORD = 'amber kettle meadow 4';

/** Asks for a reset link through `base` and sets a new password with it. */
async function resetPassword(app: SubApp, dataDir: string, base: string, email: string) {
  const agent = app.agent();
  const token = await agent.csrf(`${base}/password/forgot`);
  t_ok((await agent.http.post(`${base}/password/forgot`).type('form').send({ _csrf: token, email })).status === 200, 'reset asked');
  const link = (await lastMailTo(dataDir, email)).link;
  const resetToken = new URL(link).searchParams.get('token')!;
  const csrf = await agent.csrf(pathOf(link));
  return agent.http
    .post(`${base}/password/reset`)
    .type('form')
    .send({ _csrf: csrf, token: resetToken, password: NEW_PASSWORD, passwordConfirm: NEW_PASSWORD });
}

function t_ok(ok: boolean, what: string): void {
  if (!ok) throw new Error(`arrangement failed: ${what}`);
}

eachApp('issue 16 case 3: an applicant awaiting approval in A cannot become active through another network', subApp, async (t, app, db) => {
  const rt = app.rt;
  const alpha = await app.network('alpha', { name: 'Alpha', joinPolicy: 'approval' });
  await app.network('beta', { name: 'Beta', joinPolicy: 'open' }); // the root is open too
  const status = async (u: string) =>
    await rt.db('users').where({ username_lower: u }).first('status', 'approval_requested_at', 'applied_network_id');
  const signIn = async (base: string, login: string, password: string) => {
    const a = app.agent();
    const token = await a.csrf(`${base}/login`);
    return a.http.post(`${base}/login`).type('form').send({ _csrf: token, login, password });
  };

  // (a) Ann applies to Alpha and, without confirming, resets her password through the
  // root's address, then through Beta's: her address is proven, she still awaits Alpha.
  let res = (await register(app, '/n/alpha', { username: 'ann', email: 'ann@example.org' })).res;
  t.is(res.status, 200);
  t.is(Number((await status('ann')).applied_network_id), alpha.id, 'the network applied to is remembered');
  for (const base of ['', '/n/beta']) {
    res = await resetPassword(app, db.dataDir, base, 'ann@example.org');
    t.is(res.status, 303, `reset through ${base || 'the root'}`);
    const row = await status('ann');
    t.is(row.status, 'pending', `still pending after a reset through ${base || 'the root'}`);
    t.truthy(row.approval_requested_at, 'her request now waits for approval in Alpha');
  }
  res = await signIn('', 'ann', NEW_PASSWORD);
  t.is(res.status, 403);
  t.regex(res.text, /waiting for an administrator/);

  // (b) Bea applies to Alpha, signs in unverified at Beta: the link mailed names Alpha, and
  // following it — even through Beta's address — leaves her awaiting Alpha's approval.
  res = (await register(app, '/n/alpha', { username: 'bea', email: 'bea@example.org' })).res;
  t.is(res.status, 200);
  res = await signIn('/n/beta', 'bea', PASSWORD);
  t.is(res.status, 403);
  t.regex(res.text, /Confirm your email address first/);
  const link = (await lastMailTo(db.dataDir, 'bea@example.org')).link;
  t.regex(link, /\/n\/alpha\/verify\?token=/, 'the link points to the network she applied to');
  const token = new URL(link).searchParams.get('token')!;
  res = await app.agent().http.get(`/n/beta/verify?token=${encodeURIComponent(token)}`);
  t.is(res.status, 200);
  t.regex(res.text, /An administrator will now review your request/);
  t.is((await status('bea')).status, 'pending');
  t.is((await signIn('/n/beta', 'bea', PASSWORD)).status, 403);

  // Both wait in Alpha's list, and nowhere else.
  const root = await signedIn(app, ADMIN.username, ADMIN.password);
  t.regex((await root.get('/n/alpha/members/requests')).text, /ann@example\.org[\s\S]*bea@example\.org/);
  t.notRegex((await root.get('/members/requests')).text, /ann@|bea@/);
  t.notRegex((await root.get('/n/beta/members/requests')).text, /ann@|bea@/);

  // Where the policy lets people in, verifying still activates: Cyril applies to Beta.
  res = (await register(app, '/n/beta', { username: 'cyril', email: 'cyril@example.org' })).res;
  t.is(res.status, 200);
  res = await app.agent().http.get(pathOf((await lastMailTo(db.dataDir, 'cyril@example.org')).link));
  t.is(res.status, 303);
  t.is((await status('cyril')).status, 'active');
});

eachApp('issue 16 case 4: a partner member gets the 404 of a missing username for people outside their network', subApp, async (t, app) => {
  const rt = app.rt;
  const partner = await app.network('partner', { name: 'Partner Co' });
  await rt.networks.update(partner.id, { isolated: true });
  const lyon = await app.network('lyon', { name: 'Usine Lyon' });
  await person(app, 'alice'); // the root's members
  const leo = await person(app, 'leo');
  await app.join(leo, lyon.id);
  for (const u of ['pat', 'paula']) {
    const id = await person(app, u);
    await app.join(id, partner.id);
    await app.onlyIn(id);
  }
  const pat = await signedIn(app, 'pat');
  // Their own network's people: as before.
  let res = await pat.get('/n/partner/people/paula');
  t.is(res.status, 200);
  t.is((await pat.get('/n/partner/people/pat')).status, 200);
  // Anyone else: the answer of a username that does not exist.
  // The page of a missing username, without what differs per request (its id, its path).
  const same = (r: { text: string; headers: Record<string, string> }, name: string) =>
    unmasked(r.text)
      .split(r.headers['x-request-id'] ?? '\u0000')
      .join('ID')
      .split(name)
      .join('NAME');
  const missing = await pat.get('/n/partner/people/nobody-here');
  t.is(missing.status, 404);
  for (const u of ['alice', 'leo', 'admin']) {
    res = await pat.get(`/n/partner/people/${u}`);
    t.is(res.status, 404, u);
    t.notRegex(res.text, new RegExp(`@${u}\\b`), `nothing of ${u} shown`);
    t.is(same(res, u), same(missing, 'nobody-here'), `${u}: the very page of a missing username`);
  }
  // Root admins still see everyone through the partner network; other networks are unchanged.
  const root = await signedIn(app, ADMIN.username, ADMIN.password);
  t.is((await root.get('/n/partner/people/alice')).status, 200);
  const leoAgent = await signedIn(app, 'leo');
  t.is((await leoAgent.get('/n/lyon/people/alice')).status, 200, 'a non-isolated sub-network keeps its rules');
});

eachApp(
  'issue 16 case 13: invitations only where people join by invitation (admins anywhere), within a stored daily cap',
  subApp,
  async (t, app, db) => {
    const rt = app.rt;
    await person(app, 'max');
    const tokens = () =>
      rt
        .db('auth_tokens')
        .where({ kind: 'invitation' })
        .count<{ n: number | string }[]>('id as n')
        .first()
        .then((r) => Number(r?.n ?? 0));
    const addresses = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${i}@elsewhere.test`).join('\n');

    // An open network: members do not invite (no mail to strangers); admins may.
    const max = await signedIn(app, 'max');
    let res = await max.get('/members/invite');
    t.is(res.status, 403);
    t.regex(res.text, /Invitations are sent by administrators/);
    t.notRegex((await max.get('/account')).text, /href="\/members\/invite"/, 'no menu entry');
    res = await max.post('/members/invite', { emails: 'someone@elsewhere.test' });
    t.is(res.status, 403);
    t.is(await tokens(), 0, 'nothing issued');
    const admin = await signedIn(app, ADMIN.username, ADMIN.password);
    res = await admin.post('/members/invite', { emails: 'first@elsewhere.test' });
    t.is(res.status, 200);
    t.regex(res.text, /1 invitation sent/);

    // By invitation: members invite, up to 20 a day.
    await rt.networks.update(rt.networks.root().id, { joinPolicy: 'invitation' });
    res = await max.get('/members/invite');
    t.is(res.status, 200);
    t.regex(res.text, /up to 20 invitations a day/);
    t.regex((await max.get('/account')).text, /href="\/members\/invite"/);
    res = await max.post('/members/invite', { emails: addresses('a', 20) });
    t.is(res.status, 200);
    t.regex(res.text, /20 invitations sent/);
    res = await max.post('/members/invite', { emails: 'one-more@elsewhere.test' });
    t.is(res.status, 429);
    t.regex(res.text, /You have sent your 20 invitations for today/);
    t.regex(res.text, /one-more@elsewhere\.test/, 'the input is kept');
    res = await max.agent.http
      .post('/members/invite')
      .set('Accept-Language', 'fr')
      .type('form')
      .send({ _csrf: await max.agent.csrf('/account'), emails: 'encore@elsewhere.test' });
    t.is(res.status, 429);
    t.regex(res.text, /Vous avez envoyé vos 20 invitations du jour/);
    const issued = await tokens();

    // The count is stored: another process on the same database refuses too.
    const { createApp } = await import('../../core');
    const other = await createApp(app.config, { cwd: db.dataDir });
    try {
      const { makeAgent } = await import('../helpers/app');
      const a = makeAgent(other);
      await a.login('max', PASSWORD);
      const csrf = await a.csrf('/account');
      res = await a.http.post('/members/invite').type('form').send({ _csrf: csrf, emails: 'elsewhere@elsewhere.test' });
      t.is(res.status, 429, 'the other process counts the stored invitations');
    } finally {
      await other.close();
    }
    t.is(await tokens(), issued, 'nothing issued past the cap');

    // A day later the oldest no longer count; asking for more than remain says how many.
    const maxId = Number((await rt.db('users').where({ username_lower: 'max' }).first('id')).id);
    const ids = (await rt.db('auth_tokens').where({ kind: 'invitation', created_by: maxId }).orderBy('id').select('id')).map(
      (r: { id: number }) => r.id,
    );
    await rt
      .db('auth_tokens')
      .whereIn('id', ids.slice(0, 5))
      .update({ created_at: Date.now() - 25 * 3_600_000 });
    res = await max.post('/members/invite', { emails: addresses('b', 6) });
    t.is(res.status, 429);
    t.regex(res.text, /You can send 5 more invitations today \(at most 20 a day\)/);
    res = await max.post('/members/invite', { emails: addresses('b', 5) });
    t.is(res.status, 200);
    t.regex(res.text, /5 invitations sent/);

    // Admins have a higher cap.
    res = await admin.post('/members/invite', { emails: addresses('c', 30) });
    t.is(res.status, 200);
    t.regex(res.text, /30 invitations sent/);
  },
);
