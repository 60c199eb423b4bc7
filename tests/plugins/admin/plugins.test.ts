// The plugins page: list, enable/disable round trips, refusals shown as messages, never 500s.
import { addSubnetwork, decode, eachAdminApp, pluginRow, postForm } from './support';

eachAdminApp('lists every installed plugin with version, description, dependencies and state', async (t, app) => {
  const admin = await app.admin();
  const res = await admin.http.get('/admin/plugins');
  t.is(res.status, 200);
  const total = app.app.ruche.plugins.list().length;
  const enabled = app.app.ruche.pluginState.enabledIds().length;
  t.regex(decode(res.text), new RegExp(`${total} plugins are installed; ${enabled} enabled in this network\\.`));
  const alpha = pluginRow(res.text, 'alpha');
  t.regex(alpha, /Alpha/);
  t.regex(alpha, /1\.2\.0/);
  t.regex(alpha, /A plugin with settings\./);
  t.regex(alpha, /Disabled/);
  t.regex(alpha, /action="\/admin\/plugins\/alpha\/enable"/);
  t.regex(alpha, /href="\/admin\/plugins\/alpha\/settings"/);
  t.regex(alpha, /name="_csrf"/);
  const beta = pluginRow(res.text, 'beta');
  t.regex(beta, /Alpha <span class="muted">\(disabled\)/, 'beta shows its disabled dependency');
  t.notRegex(beta, /\/settings"/, 'no settings link without settings');
  const self = pluginRow(res.text, 'admin');
  t.regex(self, /Required/);
  t.notRegex(self, /<form/, 'the admin plugin has no enable/disable button');
});

eachAdminApp('enable then disable changes the state, with a confirmation each time', async (t, app) => {
  const rt = app.app.ruche;
  const admin = await app.admin();
  const on = await postForm(admin, '/admin/plugins/alpha/enable');
  t.is(on.status, 303);
  t.is(on.headers.location, '/admin/plugins');
  t.true(rt.pluginState.isEnabled('alpha'));
  const row = await rt.db('plugin_state').where({ network_id: app.rootId, plugin_id: 'alpha' }).first();
  t.truthy(row?.enabled);
  const after = await admin.http.get('/admin/plugins');
  t.regex(after.text, /alert-success[^>]*>Alpha is enabled\./);
  t.regex(pluginRow(after.text, 'alpha'), /action="\/admin\/plugins\/alpha\/disable"/);
  t.notRegex(pluginRow(after.text, 'beta'), /\(disabled\)/, 'the dependency is no longer marked disabled');

  const off = await postForm(admin, '/admin/plugins/alpha/disable', {}, '/admin/plugins');
  t.is(off.status, 303);
  t.false(rt.pluginState.isEnabled('alpha'));
  const again = await admin.http.get('/admin/plugins');
  t.regex(again.text, /Alpha is disabled\. Its data is kept\./);
  t.regex(pluginRow(again.text, 'alpha'), /action="\/admin\/plugins\/alpha\/enable"/);
});

eachAdminApp('refusals are shown as localised messages with a 409', async (t, app) => {
  const rt = app.app.ruche;
  const admin = await app.admin();

  const missingDep = await postForm(admin, '/admin/plugins/beta/enable');
  t.is(missingDep.status, 409);
  t.regex(decode(missingDep.text), /role="alert">"Beta" needs "Alpha": enable "Alpha" first\./);
  t.regex(missingDep.text, /<tr id="plugin-beta">/, 'the list is shown again');
  t.false(rt.pluginState.isEnabled('beta'));

  t.is((await postForm(admin, '/admin/plugins/alpha/enable')).status, 303);
  t.is((await postForm(admin, '/admin/plugins/beta/enable')).status, 303);
  t.regex(pluginRow((await admin.http.get('/admin/plugins')).text, 'alpha'), /Needed by Beta/);
  const needed = await postForm(admin, '/admin/plugins/alpha/disable');
  t.is(needed.status, 409);
  t.regex(decode(needed.text), /"Alpha" is needed by Beta: disable those first\./);
  t.true(rt.pluginState.isEnabled('alpha'));

  const self = await postForm(admin, '/admin/plugins/admin/disable');
  t.is(self.status, 409);
  t.regex(decode(self.text), /cannot be disabled from its own page/);
  t.true(rt.pluginState.isEnabled('admin'));

  const fr = await postForm(admin, '/locale', { locale: 'fr', next: '/admin/plugins' });
  t.is(fr.status, 303);
  const frMissing = await postForm(admin, '/admin/plugins/alpha/disable');
  t.is(frMissing.status, 409);
  t.regex(decode(frMissing.text), /« Alpha » est nécessaire à Beta : désactivez-les d’abord\./);
  t.regex(frMissing.text, /<html lang="fr"/);
  t.regex(frMissing.text, />Extensions</);
});

eachAdminApp('unknown plugins answer 404', async (t, app) => {
  const admin = await app.admin();
  t.is((await postForm(admin, '/admin/plugins/nope/enable')).status, 404);
  t.is((await postForm(admin, '/admin/plugins/nope/disable')).status, 404);
  t.is((await admin.http.get('/admin/plugins/nope/settings')).status, 404);
  t.is((await postForm(admin, '/admin/plugins/nope/settings', { 'setting-x': '1' })).status, 404);
});

eachAdminApp('a sub-network has its own plugin state, managed under its own prefix', async (t, app) => {
  const rt = app.app.ruche;
  const paris = await addSubnetwork(app, 'paris', 'Paris office');
  const admin = await app.admin();
  const page = await admin.http.get('/n/paris/admin/plugins');
  t.is(page.status, 200);
  t.regex(page.text, /action="\/n\/paris\/admin\/plugins\/alpha\/enable"/);
  t.regex(page.text, /href="\/n\/paris\/admin\/appearance"/);

  const refused = await postForm(admin, '/n/paris/admin/plugins/alpha/enable', {}, '/n/paris/admin');
  t.is(refused.status, 409);
  t.regex(decode(refused.text), /"Alpha" is disabled for the whole installation/);

  t.is((await postForm(admin, '/admin/plugins/alpha/enable')).status, 303);
  const off = await postForm(admin, '/n/paris/admin/plugins/alpha/disable', {}, '/n/paris/admin');
  t.is(off.status, 303);
  t.is(off.headers.location, '/n/paris/admin/plugins');
  t.false(rt.pluginState.isEnabled('alpha', paris));
  t.true(rt.pluginState.isEnabled('alpha', app.rootId));
  const overview = await admin.http.get('/n/paris/admin');
  t.regex(overview.text, /Paris office/);
});
