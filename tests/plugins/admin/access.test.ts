// Who may use the admin area: guests are sent to sign in, members are refused, admins get in.
import { eachAdminApp, postForm } from './support';

const PAGES = ['/admin', '/admin/plugins', '/admin/plugins/alpha/settings', '/admin/appearance'];
const POSTS: [string, Record<string, string>][] = [
  ['/admin/plugins/alpha/enable', {}],
  ['/admin/plugins/alpha/disable', {}],
  ['/admin/plugins/alpha/settings', { 'setting-title': 'Changed' }],
  ['/admin/appearance', { siteName: 'Taken over', locale: 'fr', theme: 'nuit' }],
];

eachAdminApp('guests are sent to sign in, and may not post', async (t, app) => {
  const { agent, token } = await app.guest();
  for (const page of PAGES) {
    const res = await agent.http.get(page);
    t.is(res.status, 302, page);
    t.is(res.headers.location, `/login?next=${encodeURIComponent(page)}`, page);
  }
  for (const [url, fields] of POSTS) {
    const res = await agent.http
      .post(url)
      .type('form')
      .send({ _csrf: token, ...fields });
    t.is(res.status, 401, url);
  }
  t.false(app.app.ruche.pluginState.isEnabled('alpha'));
  t.is(app.app.ruche.networks.root().name, 'Test network');
});

eachAdminApp('members get 403 on every admin page and form, and change nothing', async (t, app) => {
  const member = await app.member();
  for (const page of PAGES) {
    const res = await member.http.get(page);
    t.is(res.status, 403, page);
    t.notRegex(res.text, /admin-nav/, page);
  }
  for (const [url, fields] of POSTS) {
    const res = await postForm(member, url, fields, '/');
    t.is(res.status, 403, url);
  }
  const rt = app.app.ruche;
  t.false(rt.pluginState.isEnabled('alpha'));
  t.is(rt.pluginState.settings('alpha').title, 'Hello');
  t.is(rt.networks.root().name, 'Test network');
  t.is(rt.networks.root().theme, 'default');
  const home = await member.http.get('/');
  t.notRegex(home.text, /href="\/admin"/, 'no admin link in the member menu');
});

eachAdminApp('admins reach every page, linked from the user menu', async (t, app) => {
  const admin = await app.admin();
  for (const page of PAGES) {
    const res = await admin.http.get(page);
    t.is(res.status, 200, page);
    t.regex(res.text, /<nav class="admin-nav"/, page);
    t.regex(res.text, /href="\/assets\/plugin\/admin\/admin\.css/, page);
  }
  const home = await admin.http.get('/');
  t.regex(home.text, /href="\/admin"[^>]*>Administration</);
  const css = await admin.http.get('/assets/plugin/admin/admin.css');
  t.is(css.status, 200);
  t.regex(css.headers['content-type'], /text\/css/);
});

eachAdminApp('the admin.access capability can be granted to another role per network', async (t, app) => {
  const rt = app.app.ruche;
  t.true(rt.permissions.list().some((c) => c.id === 'admin.access' && c.owner === 'admin'));
  const member = await app.member();
  t.is((await member.http.get('/admin')).status, 403);
  await rt.permissions.setGrant(app.rootId, 'admin.access', 'member', true);
  t.is((await member.http.get('/admin')).status, 200);
  t.is((await member.http.get('/admin/plugins')).status, 200);
});
