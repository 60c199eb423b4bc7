// The admin area's navigation (issue 27 item 4): every page of the admin menu — the admin plugin's, the core's
// (membership requests, usage charter) and other plugins' (profile fields, sub-networks, notification defaults) —
// shows the whole list with its own entry current, once as the side list and once as the phone menu.
import { decode, eachAdminApp } from './support';

const links = (html: string, cls: string): { href: string; current: boolean; label: string }[] =>
  [...html.matchAll(new RegExp(`<a class="${cls}" href="([^"]+)"( aria-current="page")?>([^<]+)</a>`, 'g'))].map((m) => ({
    href: m[1],
    current: !!m[2],
    label: decode(m[3]),
  }));

eachAdminApp('every admin page shows the admin navigation with its own entry current', async (t, app) => {
  const admin = await app.admin();
  const overview = (await admin.http.get('/admin')).text;
  const entries = links(overview, 'admin-nav__link');
  const hrefs = entries.map((e) => e.href);
  for (const want of [
    '/admin',
    '/admin/plugins',
    '/members/requests',
    '/charter/edit',
    '/admin/audit',
    '/admin/profile-fields',
    '/admin/networks',
    '/notifications/defaults',
  ])
    t.true(hrefs.includes(want), `${want} in ${hrefs.join(' ')}`);
  for (const { href, label } of entries) {
    const res = await admin.http.get(href);
    t.is(res.status, 200, href);
    for (const cls of ['admin-nav__link', 'admin-menu__link']) {
      const shown = links(res.text, cls);
      t.deepEqual(
        shown.map((e) => e.href),
        hrefs,
        `${href}: the whole list (${cls})`,
      );
      t.deepEqual(
        shown.filter((e) => e.current).map((e) => e.href),
        [href],
        `${href}: its own entry current (${cls})`,
      );
    }
    t.true(
      res.text.includes(`<span class="admin-menu__current one-line">${label.replace(/&/g, '&amp;')}</span>`),
      `${href}: the phone menu names it`,
    );
  }
  // A sub-page keeps its section current: a plugin's settings under Plugins.
  const settings = (await admin.http.get('/admin/plugins/alpha/settings')).text;
  t.deepEqual(
    links(settings, 'admin-nav__link')
      .filter((e) => e.current)
      .map((e) => e.href),
    ['/admin/plugins'],
  );
  // French.
  await admin.http
    .post('/locale')
    .type('form')
    .send({ _csrf: await admin.csrf('/admin'), locale: 'fr', next: '/admin' });
  t.regex((await admin.http.get('/members/requests')).text, /aria-label="Pages d’administration"/);
  // Members get no admin navigation, not even on the refusal page.
  const member = await app.member();
  t.notRegex((await member.http.get('/charter/edit')).text, /admin-nav|admin-menu/);
});
