// The admin pages in headless Chromium at phone and desktop widths: screenshots for review
// (tests/e2e/artifacts/admin/*.png), nothing sticking out sideways, no CSP violation.
import test from 'ava';
import { listen } from '../../../core';
import { ADMIN } from '../../helpers/app';
import { browserOrSkip, launchBrowser, signInPage } from '../../helpers/browser';
import { screensPage, submitAndLoad } from '../../helpers/screens';
import { freshDatabase } from '../../helpers/databases';
import { adminApp } from './support';

test('admin pages render cleanly at 390 px and 1280 px', async (t) => {
  if (!browserOrSkip(t)) return;
  const db = await freshDatabase('sqlite');
  const app = await adminApp(db);
  const server = await listen(app.app, 0, '127.0.0.1');
  const browser = await launchBrowser();
  try {
    const { page, csp, check, checkRefused } = await screensPage(t, browser, 'admin');
    await signInPage(page, server.url, ADMIN.username, ADMIN.password, '/admin');
    await check('overview');

    await page.goto(`${server.url}/admin/plugins`);
    await submitAndLoad(page, () => page.click('button[aria-label="Enable Alpha"]'));
    t.regex((await page.textContent('main')) ?? '', /Alpha is enabled\./);
    await submitAndLoad(page, () => page.click('button[aria-label="Enable Beta"]'));
    await check('plugins');
    await page.click('button[aria-label="Disable Alpha"]');
    await page.waitForSelector('.alert-error');
    t.regex((await page.textContent('.alert-error')) ?? '', /is needed by/);
    await check('plugins-refused');

    await page.goto(`${server.url}/admin/plugins/alpha/settings`);
    await page.fill('#field-setting-title', 'A title that is far too long');
    await checkRefused('settings-errors', 'form.admin-form button[type=submit]', { '#field-setting-limit': 'many' });

    await page.goto(`${server.url}/admin/appearance`);
    await check('appearance');
    await page.fill('#field-siteName', 'La Ruche du Port');
    await page.selectOption('#field-locale', 'fr');
    await page.check('#theme-nuit');
    await submitAndLoad(page, () => page.click('form.admin-form button[type=submit]'));
    t.is(await page.textContent('.brand__name'), 'La Ruche du Port');
    await check('appearance-saved');

    await page.selectOption('#locale-select', 'fr');
    await submitAndLoad(page, () => page.click('.locale-form button[type=submit]'));
    await page.goto(`${server.url}/admin`);
    await check('overview-fr');
    await page.goto(`${server.url}/admin/plugins`);
    await check('plugins-fr');
    t.deepEqual(csp, [], 'no Content-Security-Policy violation');
  } finally {
    await browser.close();
    await server.stop();
    await db.drop();
  }
});
