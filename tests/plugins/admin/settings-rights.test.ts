// A sign-in plugin's settings (sso-ldap here; sso-oidc and sso-saml say the same in their manifests)
// hold secrets and decide who becomes whom across the installation: reading or changing them takes
// installation rights in every network. A sub-network's admin must neither read the root's
// directory password from their network's settings page nor point their network at a directory of
// their own (its role map could name the root). Other plugins' settings stay theirs to change.
import { ADMIN, makeApp } from '../../helpers/app';
import { eachApp } from '../../helpers/each-app';
import { addMemberships, addSubNetwork, createMember, formAgent, signedIn } from '../../helpers/members';

const SECRET = 'root-directory-secret-42';

eachApp(
  "a sub-network admin can neither read nor change a sign-in plugin's settings; a root admin can, in every network",
  (db) => makeApp(db),
  async (t, app) => {
    const rt = app.app.ruche;
    await rt.pluginState.enable('sso-ldap');
    await rt.pluginState.configure('sso-ldap', { url: 'ldap://127.0.0.1:1', baseDn: 'dc=example,dc=org', bindDn: 'cn=reader', bindPassword: SECRET });
    const lyon = await addSubNetwork(rt, 'lyon', 'Lyon');
    const carla = await createMember(rt, 'carla');
    await addMemberships(rt, lyon, [carla], 'admin');
    const sub = await signedIn(app, 'carla');

    const page = await sub.http.get('/n/lyon/admin/plugins/sso-ldap/settings');
    t.is(page.status, 403, 'the settings page is refused');
    t.false(page.text.includes(SECRET), 'the root directory password is not shown');
    const list = await sub.http.get('/n/lyon/admin/plugins');
    t.is(list.status, 200);
    t.false(list.text.includes('/n/lyon/admin/plugins/sso-ldap/settings'), 'no settings link for a sign-in plugin');
    const form = await formAgent(sub, '/n/lyon/admin/plugins');
    const save = await form.post('/n/lyon/admin/plugins/sso-ldap/settings', {
      'setting-url': 'ldap://evil.example.org',
      'setting-bindPassword': 'x',
    });
    t.is(save.status, 403, 'saving is refused');
    t.is(rt.pluginState.settings('sso-ldap', lyon).url, 'ldap://127.0.0.1:1', 'nothing stored for the sub-network');

    // Another plugin's settings stay the sub-network admin's to change.
    t.true(list.text.includes('/n/lyon/admin/plugins/blogs/settings'), "a network plugin's settings link is there");
    t.is((await sub.http.get('/n/lyon/admin/plugins/blogs/settings')).status, 200);
    const blogs = await form.post('/n/lyon/admin/plugins/blogs/settings', { 'setting-defaultAccess': 'public' });
    t.is(blogs.status, 303);
    t.is(rt.pluginState.settings('blogs', lyon).defaultAccess, 'public');

    const root = await signedIn(app, ADMIN.username, ADMIN.password);
    const rootPage = await root.http.get('/n/lyon/admin/plugins/sso-ldap/settings');
    t.is(rootPage.status, 200, "a root admin opens a sign-in plugin's settings in a sub-network");
    t.false(rootPage.text.includes(SECRET), 'a secret is never shown back, even to a root admin');
    t.regex(rootPage.text, /name="setting-bindPassword" type="password" value=""/);
    t.regex(rootPage.text, /Set: leave blank to keep it/);
    const rootForm = await formAgent(root, '/n/lyon/admin/plugins/sso-ldap/settings');
    const saved = await rootForm.post('/n/lyon/admin/plugins/sso-ldap/settings', { 'setting-url': 'ldap://127.0.0.1:2' });
    t.is(saved.status, 303);
    t.is(rt.pluginState.settings('sso-ldap', lyon).url, 'ldap://127.0.0.1:2', "the root admin set the sub-network's directory");
    // The password left blank is kept; a new one typed replaces it.
    t.is(rt.pluginState.settings('sso-ldap', lyon).bindPassword, SECRET);
    const rootHere = await formAgent(root, '/admin/plugins/sso-ldap/settings');
    t.is((await rootHere.post('/admin/plugins/sso-ldap/settings', { 'setting-bindPassword': '' })).status, 303);
    t.is(rt.pluginState.settings('sso-ldap').bindPassword, SECRET, 'blank keeps the stored secret');
    t.is((await rootHere.post('/admin/plugins/sso-ldap/settings', { 'setting-bindPassword': 'a new secret 7' })).status, 303);
    t.is(rt.pluginState.settings('sso-ldap').bindPassword, 'a new secret 7');
  },
);
