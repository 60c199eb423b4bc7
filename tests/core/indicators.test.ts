// Header indicators (the notifications bell, unread messages): plugins add them through
// `layout:indicators`; members see them with a count badge on every page, guests never.
import { eachApp } from '../helpers/each-app';
import { ADMIN, makeApp } from '../helpers/app';

eachApp('indicators render for members with a capped badge, and not for guests', makeApp, async (t, app) => {
  let count = 3;
  app.app.ruche.hooks.addFilter('layout:indicators', (list, view) => [
    ...list,
    {
      id: 'bell',
      icon: 'M12 3a6 6 0 0 0-6 6v6h12V9a6 6 0 0 0-6-6Z',
      label: `Notifications for ${view.viewer?.username}`,
      href: '/notifications',
      count,
      order: 2,
    },
    { id: 'inbox', icon: 'M4 5h16v14H4Z', label: 'Messages', href: '/messages', count: 0, order: 1 },
  ]);
  const member = app.agent();
  await member.login(ADMIN.username, ADMIN.password);
  let res = await member.http.get('/');
  t.regex(res.text, /<a class="indicator" href="\/notifications" data-indicator="bell" aria-label="Notifications for admin"/);
  t.regex(res.text, /<span class="indicator__badge" data-count="3">3<\/span>/);
  t.regex(res.text, /<path d="M12 3a6 6 0 0 0-6 6v6h12V9a6 6 0 0 0-6-6Z"\/>/, "the plugin's own icon is drawn");
  t.true(res.text.indexOf('data-indicator="inbox"') < res.text.indexOf('data-indicator="bell"'), 'in order');
  t.notRegex(res.text, /data-count="0"/, 'no badge at zero');
  count = 250;
  res = await member.http.get('/account');
  t.regex(res.text, />99\+<\/span>/);
  const guest = await app.agent().http.get('/login');
  t.false(guest.text.includes('data-indicator'));
});
