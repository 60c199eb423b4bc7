// Issue 16, the audit of the admin pages (core, admin, subnetworks): a sub-network's admin
// changes that network's settings only — never the installation's (the root network's
// settings, which every sub-network follows; sub-networks themselves; profile fields) nor
// another network's — and the root's settings take root rights, even for someone granted
// the admin capabilities at the root. Nothing else changes a row.
import type { Knex } from 'knex';
import { eachApp } from '../helpers/each-app';
import { ADMIN } from '../helpers/app';
import { person, REGISTERED_PASSWORD as PASSWORD, signedInForms as signedIn, subApp } from '../plugins/subnetworks/support';

/** The rows of the settings tables that belong to `networkIds`, in a stable order. */
async function settingsOf(db: Knex, networkIds: number[]): Promise<string> {
  const rows = {
    networks: await db('networks').whereIn('id', networkIds).orderBy('id').select(),
    plugin_state: await db('plugin_state').whereIn('network_id', networkIds).orderBy(['network_id', 'plugin_id']).select(),
    role_grants: await db('role_grants').whereIn('network_id', networkIds).orderBy(['network_id', 'capability', 'role']).select(),
    subnetworks: await db('networks').whereNotNull('parent_id').orderBy('id').select('id', 'slug', 'archived_at'),
    profile_fields: await db('profile_fields').orderBy('id').select(),
  };
  return JSON.stringify(rows, (_k, v) => (typeof v === 'bigint' ? String(v) : v));
}

/** Every admin form that changes a network's settings, under `base`. */
function settingForms(base: string): [string, Record<string, string> | string][] {
  return [
    [`${base}/admin/appearance`, { siteName: 'Renamed', locale: 'fr', theme: 'default' }],
    [`${base}/admin/registration`, { policy: 'approval', domains: '' }],
    [`${base}/admin/permissions`, 'roles%5Bcore.invite%5D='],
    [`${base}/admin/plugins/chat/disable`, {}],
    [`${base}/admin/plugins/comments/settings`, { maxLength: '500' }],
    [`${base}/charter/edit`, { charter: 'Be kind.' }],
  ];
}

eachApp("issue 16 audit: a sub-network admin changes their own network's settings only", subApp, async (t, app) => {
  const rt = app.rt;
  const root = rt.networks.root();
  const lyon = await app.network('lyon', { name: 'Usine Lyon' });
  const paris = await app.network('paris', { name: 'Paris' });
  const sam = await person(app, 'sam');
  await app.join(sam, lyon.id, 'admin');
  const others = await settingsOf(rt.db, [root.id, paris.id]);
  const ownBefore = await settingsOf(rt.db, [lyon.id]);

  const a = await signedIn(app, 'sam');
  // Through the root's and Paris's addresses: refused, nothing changes.
  for (const [url, fields] of [...settingForms(''), ...settingForms('/n/paris')]) {
    t.is((await a.post(url, fields)).status, 403, url);
  }
  for (const url of ['/admin/networks', '/admin/networks/paris/archive', '/admin/profile-fields'])
    t.is((await a.post(url, { slug: 'x', name: 'X', joinPolicy: 'open' })).status, 403, url);
  // Sub-networks are the installation's, even asked for through Lyon.
  for (const url of ['/n/lyon/admin/networks', '/n/lyon/admin/networks/paris/archive', '/n/lyon/admin/networks/lyon']) {
    t.is((await a.post(url, { slug: 'lyon2', name: 'X', joinPolicy: 'open' })).status, 404, url);
  }
  t.is(await settingsOf(rt.db, [root.id, paris.id]), others, 'nothing of the root or of Paris changed');
  t.is(await settingsOf(rt.db, [lyon.id]), ownBefore, 'nor of Lyon');

  // Who may join Lyon is who may join the root too (its newcomers join both): the
  // installation's choice. Lyon's admin is told so and nothing changes; guests are Lyon's.
  let res = await a.get('/n/lyon/admin/registration');
  t.regex(res.text, /also join the main network, so only the site&#x27;s administrators choose/);
  res = await a.post('/n/lyon/admin/registration', { policy: 'open', domains: 'anyone.test' });
  t.is(res.status, 403);
  t.regex(res.text, /value="anyone.test"/, 'the input is kept');
  t.is(await settingsOf(rt.db, [lyon.id]), ownBefore, 'the policy is unchanged');
  t.is((await a.post('/n/lyon/admin/registration', { policy: 'open', domains: '', allowGuests: 'on' })).status, 303);
  // Through Lyon's: Lyon's settings change, and only they.
  for (const [url, fields] of settingForms('/n/lyon').filter(([url]) => !url.endsWith('/registration'))) {
    t.is((await a.post(url, fields)).status, 303, url);
  }
  await rt.networks.load();
  const after = rt.networks.get(lyon.id)!;
  t.is(after.name, 'Renamed');
  t.is(after.joinPolicy, 'open');
  t.true(after.allowGuests);
  t.is(after.charterVersion, 1);
  t.false(rt.pluginState.isEnabled('chat', lyon.id));
  t.true(rt.pluginState.isEnabled('chat', root.id));
  t.is(await settingsOf(rt.db, [root.id, paris.id]), others, 'still nothing of the root or of Paris');
  t.is(rt.networks.root().name, root.name);

  // An isolated sub-network (a partner company) keeps its newcomers: its admin chooses its policy.
  const partner = await app.network('partner', { name: 'Partner Co' });
  await rt.networks.update(partner.id, { isolated: true });
  const pam = await person(app, 'pam');
  await app.join(pam, partner.id, 'admin');
  const othersNow = await settingsOf(rt.db, [root.id, paris.id]);
  const p = await signedIn(app, 'pam');
  t.notRegex((await p.get('/n/partner/admin/registration')).text, /also join the main network/);
  t.is((await p.post('/n/partner/admin/registration', { policy: 'domain', domains: 'partner.test' })).status, 303);
  await rt.networks.load();
  t.is(rt.networks.get(partner.id)!.joinPolicy, 'domain');
  t.is(await settingsOf(rt.db, [root.id, paris.id]), othersNow);
});

eachApp("issue 16 audit: the root network's settings are the installation's — root rights change them", subApp, async (t, app) => {
  const rt = app.rt;
  const root = rt.networks.root();
  const lyon = await app.network('lyon', { name: 'Usine Lyon' });
  const mod = await person(app, 'mod');
  await rt.users.setRole(mod, root.id, 'moderator');
  // The root admin lets the root's moderators into the administration area.
  for (const cap of ['admin.access', 'core.admin', 'subnetworks.manage']) await rt.permissions.setGrant(root.id, cap, 'moderator', true);
  const before = await settingsOf(rt.db, [root.id, lyon.id]);

  const m = await signedIn(app, 'mod');
  t.is((await m.get('/admin/plugins')).status, 200, 'they see the pages');
  t.is((await m.get('/admin/appearance')).status, 200);
  for (const [url, fields] of settingForms('')) {
    const res = await m.post(url, fields);
    t.is(res.status, 403, url);
    t.regex(res.text, /only its administrators change it/, url);
  }
  t.is((await m.post('/admin/networks', { slug: 'madrid', name: 'Madrid', joinPolicy: 'open' })).status, 403);
  t.is((await m.post('/admin/networks/lyon/archive')).status, 403);
  t.is((await m.post('/admin/networks/lyon', { slug: 'lyon', name: 'Hacked', joinPolicy: 'open', theme: 'default' })).status, 403);
  t.is(await settingsOf(rt.db, [root.id, lyon.id]), before, 'nothing changed');
  // In French too.
  const fr = await app.agent();
  await fr.login('mod', PASSWORD);
  const token = await fr.csrf('/account');
  const res = await fr.http
    .post('/admin/appearance')
    .set('Accept-Language', 'fr')
    .type('form')
    .send({ _csrf: token, siteName: 'X', locale: 'en', theme: 'default' });
  t.is(res.status, 403);
  t.regex(res.text, /seuls ses administrateurs le modifient/);

  // Root rights do.
  const admin = await signedIn(app, ADMIN.username, ADMIN.password);
  t.is((await admin.post('/admin/networks', { slug: 'madrid', name: 'Madrid', joinPolicy: 'open', theme: 'default' })).status, 303);
  for (const [url, fields] of settingForms('')) t.is((await admin.post(url, fields)).status, 303, url); // the charter last: then it must be accepted
  await rt.networks.load();
  t.is(rt.networks.root().name, 'Renamed');
  t.truthy(rt.networks.slug('madrid'));
});
