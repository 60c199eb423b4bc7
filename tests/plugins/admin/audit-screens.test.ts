// The audit log page in headless Chromium at 390 and 1280 px, in both bundled themes:
// screenshots for review (tests/e2e/artifacts/admin/audit-*.png), nothing sticking out
// sideways, no CSP violation; the filters work without JavaScript.
import test from 'ava';
import { listen } from '../../../core';
import { ADMIN } from '../../helpers/app';
import { browserOrSkip, launchBrowser, signInPage } from '../../helpers/browser';
import { screensPage } from '../../helpers/screens';
import { freshDatabase } from '../../helpers/databases';
import { adminApp, postForm } from './support';

test('the audit log renders cleanly at 390 px and 1280 px in both themes', async (t) => {
  if (!browserOrSkip(t)) return;
  const db = await freshDatabase('sqlite');
  const app = await adminApp(db);
  const rt = app.app.ruche;
  const admin = await app.admin();
  await postForm(admin, '/admin/plugins/alpha/enable');
  await postForm(admin, '/admin/plugins/alpha/settings', { 'setting-title': 'Welcome to the port', 'setting-limit': '7', 'setting-layout': 'grid' });
  await postForm(admin, '/admin/registration', { policy: 'domain', domains: 'port-marseille.fr, example.com', allowGuests: 'on' });
  await postForm(admin, '/admin/appearance', { siteName: 'La Ruche du Port', locale: 'en', theme: 'default' });
  const server = await listen(app.app, 0, '127.0.0.1');
  const browser = await launchBrowser();
  try {
    const { page, csp, check } = await screensPage(t, browser, 'admin');
    await signInPage(page, server.url, ADMIN.username, ADMIN.password, '/admin/audit');
    t.is(await page.locator('.audit-table tbody tr').count(), 4);
    await check('audit');
    await page.selectOption('#audit-action', 'admin.settings.save');
    await Promise.all([page.waitForURL('**/admin/audit?**'), page.click('.audit-filters button[type=submit]')]);
    t.is(await page.locator('.audit-table tbody tr').count(), 1);
    t.regex((await page.textContent('.audit-change')) ?? '', /title Hello → Welcome to the port/);
    await check('audit-filtered');
    await rt.networks.update(app.rootId, { theme: 'ardoise' });
    await page.goto(`${server.url}/admin/audit`);
    await check('audit-ardoise');
    await page.goto(`${server.url}/admin/audit?from=2024-13-01`);
    await check('audit-ardoise-error');
    t.deepEqual(csp, []);
  } finally {
    await browser.close();
    await server.stop();
    await db.drop();
  }
});
