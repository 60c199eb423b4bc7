// The overview and the appearance page: theme, site name and default language of a network.
import { addSubnetwork, decode, eachAdminApp, postForm } from './support';

eachAdminApp('the overview sums up the network, with links', async (t, app) => {
  const admin = await app.admin();
  const res = await admin.http.get('/admin');
  t.is(res.status, 200);
  const html = decode(res.text);
  // Counted from the app, so bundled plugins can come and go.
  const total = app.app.ruche.plugins.list().length;
  const enabled = app.app.ruche.pluginState.enabledIds().length;
  t.regex(html, /<dt>Name<\/dt><dd>Test network<\/dd>/);
  t.regex(html, /<dt>Default language<\/dt><dd>English<\/dd>/);
  t.regex(html, /<dt>Theme<\/dt><dd>[^<]+<\/dd>/);
  t.regex(html, /class="admin-stat">2 members</);
  t.regex(html, new RegExp(`class="admin-stat">${enabled} of ${total} enabled<`));
  t.regex(html, /href="\/admin\/appearance"/);
  t.regex(html, /href="\/admin\/plugins"/);
  t.regex(html, /<a class="admin-nav__link" href="\/admin" aria-current="page">Overview<\/a>/);

  await postForm(admin, '/locale', { locale: 'fr', next: '/admin' });
  const fr = decode((await admin.http.get('/admin')).text);
  t.regex(fr, /<html lang="fr"/);
  t.regex(fr, />Vue d’ensemble</);
  t.regex(fr, /class="admin-stat">2 membres</);
  t.regex(fr, new RegExp(`class="admin-stat">${enabled} activées? sur ${total}<`));
  t.regex(fr, /<dt>Langue par défaut<\/dt><dd>English<\/dd>/);
});

eachAdminApp('theme, name and default language changes show on the next page', async (t, app) => {
  const admin = await app.admin();
  const form = await admin.http.get('/admin/appearance');
  t.is(form.status, 200);
  t.regex(form.text, /id="field-siteName" name="siteName" type="text" value="Test network"/);
  t.regex(form.text, /<option value="en" lang="en" selected>English<\/option>/);
  t.regex(form.text, /id="theme-default" name="theme" value="default" checked/);
  t.regex(form.text, /id="theme-nuit" name="theme" value="nuit">/);
  t.regex(form.text, /Night<\/span><span class="admin-choice__description muted">A teal accent\./);

  const res = await postForm(admin, '/admin/appearance', { siteName: '  La Ruche du Port ', locale: 'fr', theme: 'nuit' }, '/admin/appearance');
  t.is(res.status, 303);
  t.is(res.headers.location, '/admin/appearance');
  const root = app.app.ruche.networks.root();
  t.like(root, { name: 'La Ruche du Port', locale: 'fr', theme: 'nuit' });

  const next = await admin.http.get('/admin/appearance');
  t.regex(next.text, /alert-success[^>]*>The appearance is saved\./, 'the admin chose English: flash in English');
  t.regex(next.text, /<span class="brand__name">La Ruche du Port<\/span>/);
  t.regex(next.text, /<link rel="stylesheet" href="\/assets\/theme\/nuit\/css\/nuit\.css/);
  t.regex(next.text, /id="theme-nuit" name="theme" value="nuit" checked/);
  t.regex((await admin.http.get('/admin')).text, /<dt>Theme<\/dt><dd>Night<\/dd>/);

  const guest = app.agent();
  const home = await guest.http.get('/');
  t.regex(home.text, /<html lang="fr"/, 'visitors get the new default language');
  t.regex(home.text, /La Ruche du Port/);
  t.regex(home.text, /\/assets\/theme\/nuit\/css\/nuit\.css/);
});

eachAdminApp('invalid appearance re-renders with 422, messages and the input kept', async (t, app) => {
  const admin = await app.admin();
  const empty = await postForm(admin, '/admin/appearance', { siteName: '   ', locale: 'fr', theme: 'nuit' }, '/admin/appearance');
  t.is(empty.status, 422);
  t.regex(empty.text, /alert-error" role="alert">Some fields need your attention/);
  t.regex(empty.text, /Give the network a name\./);
  t.regex(empty.text, /<option value="fr" lang="fr" selected>/, 'the chosen language is kept');
  t.regex(empty.text, /value="nuit" checked/, 'the chosen theme is kept');

  const bad = await postForm(admin, '/admin/appearance', { siteName: 'n'.repeat(101), locale: 'de', theme: 'nope' }, '/admin/appearance');
  t.is(bad.status, 422);
  t.regex(bad.text, new RegExp(`value="${'n'.repeat(101)}"`));
  t.regex(bad.text, /The name can have at most 100 characters\./);
  t.regex(bad.text, /id="field-locale-error">Choose one of the offered languages\./);
  t.regex(bad.text, /id="field-theme-error">Choose one of the installed themes\./);

  const broken = await postForm(admin, '/admin/appearance', { siteName: 'Fine', locale: 'en', theme: 'broken' }, '/admin/appearance');
  t.is(broken.status, 422, 'a theme that does not compile is refused, not a 500 later');
  t.regex(broken.text, /This theme has an error and cannot be used/);

  const root = app.app.ruche.networks.root();
  t.like(root, { name: 'Test network', locale: 'en', theme: 'default' }, 'nothing saved');
  t.is((await admin.http.get('/')).status, 200);
});

eachAdminApp('a sub-network changes its own appearance only', async (t, app) => {
  const paris = await addSubnetwork(app, 'paris', 'Paris office');
  const admin = await app.admin();
  const form = await admin.http.get('/n/paris/admin/appearance');
  t.regex(form.text, /value="Paris office"/);
  t.regex(form.text, /action="\/n\/paris\/admin\/appearance"/);
  const res = await postForm(
    admin,
    '/n/paris/admin/appearance',
    { siteName: 'Bureau de Paris', locale: 'fr', theme: 'nuit' },
    '/n/paris/admin/appearance',
  );
  t.is(res.status, 303);
  t.is(res.headers.location, '/n/paris/admin/appearance');
  const rt = app.app.ruche;
  t.like(rt.networks.get(paris), { name: 'Bureau de Paris', locale: 'fr', theme: 'nuit' });
  t.like(rt.networks.root(), { name: 'Test network', locale: 'en', theme: 'default' });
  t.regex((await admin.http.get('/n/paris/admin')).text, /<dd>Bureau de Paris<\/dd>/);
});
