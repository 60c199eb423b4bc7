/**
 * Issue 27 item 11 in Chromium: a member in Singapore who never chose a time zone finds their
 * browser's offered on the account page and on the blog form (theme's js/time-zone.js), saves
 * it, and schedules a post for 9:00 their time. Screenshots (both themes, 390 and 1280 px) go
 * to tests/e2e/artifacts/zones/.
 */
import test from 'ava';
import { browserAvailable, DESKTOP, shootWidths, signInPage } from '../helpers/browser';
import { browserAppForFile, type StartedBrowserApp } from '../helpers/browser-app';
import { createMember, MEMBER_PASSWORD } from '../helpers/members';
import { watchedPage } from '../helpers/screens';

let env: StartedBrowserApp | undefined;
let mei = 0;
browserAppForFile({}, async (started) => {
  env = started;
  mei = await createMember(started.app.app.ruche, 'mei', { displayName: 'Mei Tan' });
});
const run = browserAvailable() ? test.serial : test.skip;

run('the browser’s zone is offered until the member saves one; a post scheduled for 9:00 is 9:00 their time', async (t) => {
  const e = env!;
  const rt = e.app.app.ruche;
  const { context, page, csp } = await watchedPage(e.browser, { viewport: DESKTOP, locale: 'en-GB', timezoneId: 'Asia/Singapore' });
  await signInPage(page, e.url, 'mei', MEMBER_PASSWORD);

  // The blog form before any choice: the browser fills in the zone and names it.
  await page.goto(`${e.url}/blogs/new`);
  t.is(await page.locator('input[name="time_zone"]').inputValue(), 'Asia/Singapore');
  t.is(await page.locator('.blogs-zone strong').textContent(), 'Asia/Singapore');
  for (const theme of ['default', 'ardoise']) {
    await rt.networks.update(rt.networks.root().id, { theme });
    await page.goto(`${e.url}/account`);
    t.is(await page.locator('#field-timeZone').inputValue(), 'Asia/Singapore', 'preselected, not saved yet');
    await page.locator('#account-zone').scrollIntoViewIfNeeded();
    t.deepEqual(await shootWidths(page, `zones/account-${theme}`), { phone: 0, desktop: 0 });
  }
  t.is(await rt.users.timeZone(mei), null);
  await Promise.all([page.waitForURL(/\/account$/), page.click('section[aria-labelledby="account-zone"] button[type="submit"]')]);
  t.is(await rt.users.timeZone(mei), 'Asia/Singapore');
  t.regex((await page.locator('.flash, [role="status"], .alert').first().textContent()) ?? '', /Your time zone is saved: Asia\/Singapore/);

  await page.goto(`${e.url}/blogs/new`);
  await page.fill('#field-title', 'Town hall on Monday');
  await page.fill('#field-body', 'Agenda to follow.');
  await page.check('#status-scheduled');
  await page.fill('#field-publish_at', '2030-06-03T09:00');
  t.deepEqual(await shootWidths(page, 'zones/blog-form-ardoise'), { phone: 0, desktop: 0 });
  await Promise.all([page.waitForURL(/\/blogs\/\d+$/), page.click('form button.btn-primary[type="submit"]')]);
  const row = await rt.db('blog_posts').where({ title: 'Town hall on Monday' }).first('publish_at');
  t.is(Number(row.publish_at), Date.UTC(2030, 5, 3, 1, 0), '09:00 in Singapore is 01:00 UTC');
  t.regex((await page.locator('.alert-info').textContent()) ?? '', /June 3, 2030 at 9:00\s?AM/, 'the notice in the member’s zone');
  await rt.networks.update(rt.networks.root().id, { theme: 'default' });
  t.deepEqual(csp, []);
  await context.close();
});
