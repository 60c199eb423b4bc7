/**
 * The data-rights pages in a real browser, both themes, English and French: the account page's
 * "Your data" card, "Download your data" (asked, then ready after the job), "Delete your
 * account" (refused with a wrong password, the choice kept) and the admin's "Delete a member"
 * (refused without the confirmation, the username kept). Nothing sticks out at 390 px, no CSP
 * report. Screenshots: tests/e2e/artifacts/data-rights/<theme>-<locale>-<page>-{phone,desktop}.png.
 */
import test from 'ava';
import type { RucheApp } from '../../core';
import { ADMIN } from '../helpers/app';
import { browserAvailable, signInPage, type Browser } from '../helpers/browser';
import { browserAppForFile } from '../helpers/browser-app';
import { createMember } from '../helpers/members';
import { MEMBER_PASSWORD } from '../helpers/members';
import { screensPage, submitAndLoad } from '../helpers/screens';

const run = browserAvailable() ? test.serial : test.skip;

let app: RucheApp;
let url: string;
let browser: Browser;

browserAppForFile({ install: { siteName: 'Northwind Community', locale: 'en', admin: ADMIN } }, async (env) => {
  ({ browser, url } = env);
  app = env.app.app;
  await createMember(app.ruche, 'camille', { displayName: 'Camille Dubois-Laurent', locale: 'en' });
  await createMember(app.ruche, 'gaspard', { displayName: 'Gaspard Lefèvre', locale: 'fr' });
});

for (const theme of ['default', 'ardoise'] as const)
  for (const [username, locale] of [
    ['camille', 'en'],
    ['gaspard', 'fr'],
  ] as const)
    run(`${theme}, ${locale}: the data-rights pages`, async (t) => {
      const rt = app.ruche;
      await rt.networks.update(rt.networks.root().id, { theme });
      await rt.db('member_exports').delete(); // each run asks for an archive afresh
      const s = await screensPage(t, browser, 'data-rights');
      const { page } = s;
      const name = (what: string) => `${theme}-${locale}-${what}`;
      await signInPage(page, url, username, MEMBER_PASSWORD);

      await page.goto(`${url}/account`);
      await page.locator('#account-data').scrollIntoViewIfNeeded();
      t.is(await page.locator('a[href="/account/data"]').count(), 1);
      await s.check(name('account'));

      await page.goto(`${url}/account/data`);
      await s.check(name('data'));
      await submitAndLoad(page, () => page.click('main form button[type="submit"]'));
      await s.check(name('data-pending'));
      await rt.jobs.runDue();
      await page.goto(`${url}/account/data`);
      t.is(await page.locator('main a[download]').count(), 1, 'the download button');
      await s.check(name('data-ready'));

      await page.goto(`${url}/account/delete`);
      await page.check('#mode-erase');
      await page.fill('#field-password', 'not my password');
      await Promise.all([page.waitForLoadState(), page.click('main form button[type="submit"]')]);
      t.true(await page.isChecked('#mode-erase'), 'the choice is kept');
      t.is(await page.locator('.field__error').count(), 1);
      await s.check(name('delete-refused'));

      await page.context().clearCookies();
      if (locale === 'en') {
        await signInPage(page, url, ADMIN.username, ADMIN.password);
        await page.goto(`${url}/admin/delete-member`);
        await page.fill('#field-username', '@camille');
        await Promise.all([page.waitForLoadState(), page.click('main form button[type="submit"]')]);
        t.is(await page.inputValue('#field-username'), '@camille', 'the username typed is kept');
        await s.check(name('admin-delete-refused'));
      }
      t.deepEqual(s.csp, []);
      await page.close();
    });
