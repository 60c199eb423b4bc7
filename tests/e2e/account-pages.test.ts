/**
 * The account and membership pages in a real browser, in the default theme and in Ardoise:
 * account, sessions, API tokens (with a new token shown), invitations (after sending some),
 * membership requests (with people waiting), the charter and its editor, and the password
 * reset pages (the reset link read from the email). Each page must fit a 360 px phone
 * without sideways scrolling and raise no CSP report.
 * Screenshots (phone and desktop) go to tests/e2e/artifacts/account/<theme>-<page>-*.png.
 */
import test, { type ExecutionContext } from 'ava';
import type { BrowserContext, Page } from 'playwright-core';
import type { RucheApp } from '../../core';
import { ADMIN } from '../helpers/app';
import { browserAvailable, type Browser } from '../helpers/browser';
import { browserAppForFile } from '../helpers/browser-app';
import type { FreshDatabase } from '../helpers/databases';
import { lastMailTo } from '../helpers/mail';
import { watchCsp, watchedPage } from '../helpers/screens';
import { DESKTOP, PHONE, horizontalOverflow, shoot } from './support';

const run = browserAvailable() ? test.serial : test.skip;
const SITE = 'Northwind Community';
const ADMIN_NAME = 'Camille Dubois-Laurent';
const CHARTER = [
  'Welcome to the **Northwind** community. By taking part you agree to the following.',
  '',
  '## Respect',
  '',
  'Treat every member with respect. Disagree with ideas, never with people.',
  '',
  '## Confidentiality',
  '',
  '1. Keep customer data out of public spaces.',
  '2. Ask before sharing a colleague’s work outside the network.',
  '',
  '> Moderators may hide messages that break this charter. Questions: see the [help pages](https://example.com/help/community-guidelines/charter-and-moderation-policy-2024).',
  '',
  'Long links and code such as `https://intranet.northwind.example/projects/2024/quarterly-reports/final-version-approved` must not widen the page.',
].join('\n');

let db: FreshDatabase;
let app: RucheApp;
let url: string;
let browser: Browser;

browserAppForFile({ install: { siteName: SITE, locale: 'en', admin: { ...ADMIN, displayName: ADMIN_NAME } } }, async (env) => {
  ({ db, browser, url } = env);
  app = env.app.app;
  // People wait for approval before joining, so the requests page has someone to show.
  const rt = app.ruche;
  await rt.networks.update(rt.networks.root().id, { joinPolicy: 'approval' });
});

/** Checks the page fits a 360 px phone, then takes the phone and desktop screenshots. */
async function check(t: ExecutionContext, page: Page, theme: string, name: string): Promise<void> {
  await page.setViewportSize({ width: 360, height: 740 });
  t.is(await horizontalOverflow(page), 0, `${theme} ${name} overflows a 360 px phone`);
  await shoot(page, `account/${theme}-${name}`);
}

async function submit(page: Page, selector: string): Promise<number> {
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === 'POST' && r.request().isNavigationRequest()),
    page.click(selector),
  ]);
  await page.waitForLoadState();
  return response.status();
}

async function signIn(context: BrowserContext, login: string, password: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`${url}/login`);
  await page.fill('#field-login', login);
  await page.fill('#field-password', password);
  await Promise.all([page.waitForURL((u) => !u.pathname.startsWith('/login')), page.click('main form.form button[type="submit"]')]);
  return page;
}

/** Someone registers and follows their verification link: they now wait for approval. */
async function requestToJoin(t: ExecutionContext, who: { displayName: string; username: string; email: string }): Promise<void> {
  const context = await browser.newContext({ locale: 'en-GB', viewport: PHONE });
  const page = await context.newPage();
  await page.goto(`${url}/register`);
  t.regex((await page.textContent('main')) ?? '', /An administrator approves each request/);
  await page.fill('#field-displayName', who.displayName);
  await page.fill('#field-username', who.username);
  await page.fill('#field-email', who.email);
  await page.fill('#field-password', 'a calm hive of 42 bees');
  await page.fill('#field-passwordConfirm', 'a calm hive of 42 bees');
  t.is(await submit(page, 'main form.form button[type="submit"]'), 200);
  const mail = await lastMailTo(db.dataDir, who.email);
  await page.goto(mail.link);
  t.is((await page.textContent('h1'))?.trim(), 'Address confirmed');
  await context.close();
}

const THEMES = ['default', 'ardoise'] as const;

for (const [i, theme] of THEMES.entries()) {
  run(`${theme}: account pages`, async (t) => {
    const rt = app.ruche;
    await rt.networks.update(rt.networks.root().id, { theme });
    // A second device signed in, with a long user agent, for the sessions list.
    const other = await browser.newContext({
      locale: 'en-GB',
      userAgent:
        'Mozilla/5.0 (Linux; Android 14; Pixel 8 Pro Build/UQ1A.240205.004; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/122.0.6261.119 Mobile Safari/537.36',
    });
    await (await signIn(other, ADMIN.email, ADMIN.password)).close();

    const context = await browser.newContext({ locale: 'en-GB', viewport: DESKTOP });
    const page = await signIn(context, ADMIN.username, ADMIN.password);
    const csp = watchCsp(page);

    // The charter: the admin publishes it once (then accepts it), and sees it.
    if (i === 0) {
      await page.goto(`${url}/charter/edit`);
      await page.fill('#field-charter', CHARTER);
      await Promise.all([page.waitForURL(`${url}/charter`), page.click('main form.form button[type="submit"]')]);
      await page.click('main form button[type="submit"].btn-primary');
      await page.waitForURL(`${url}/`);
    }
    await page.goto(`${url}/charter/edit`);
    t.is(await page.inputValue('#field-charter'), CHARTER);
    await check(t, page, theme, 'charter-edit');
    await page.goto(`${url}/charter`);
    t.regex((await page.textContent('main')) ?? '', /You accepted this version on/);
    await check(t, page, theme, 'charter');

    await page.goto(`${url}/account`);
    t.is((await page.textContent('h1'))?.trim(), 'Your account');
    t.regex((await page.textContent('main')) ?? '', /admin@example\.com/);
    await check(t, page, theme, 'account');
    // A wrong current password: the error is shown next to its field.
    await page.setViewportSize(DESKTOP);
    await page.fill('#field-currentPassword', 'not my password');
    await page.fill('#field-newPassword', 'a brand new passphrase 9');
    await page.fill('#field-newPasswordConfirm', 'a brand new passphrase 9');
    t.is(await submit(page, 'form[action="/account/password"] button[type="submit"]'), 422);
    t.is((await page.textContent('.field:has(#field-currentPassword) .field__error'))?.trim(), 'This is not your current password.');
    await check(t, page, theme, 'account-error');

    await page.goto(`${url}/account/sessions`);
    t.true((await page.locator('main tbody tr').count()) >= 2);
    t.regex((await page.textContent('main tbody')) ?? '', /this device/);
    await check(t, page, theme, 'sessions');

    await page.goto(`${url}/account/tokens`);
    await page.setViewportSize(DESKTOP);
    await page.fill('#field-name', 'Weekly report script for the sales team');
    t.is(await submit(page, 'form[action="/account/tokens"] button[type="submit"]'), 201);
    const token = (await page.textContent('.token-value'))?.trim() ?? '';
    t.regex(token, /^ruche_/);
    t.true((await page.locator('main tbody tr').count()) >= 1);
    await check(t, page, theme, 'tokens');

    await page.goto(`${url}/members/invite`);
    await page.setViewportSize(DESKTOP);
    await page.fill('#field-emails', `dominique.fontaine-marchand${i}@northwind-community.example, lee${i}@example.com\nadmin@example.com`);
    t.is(await submit(page, 'main form.form button[type="submit"]'), 200);
    t.regex((await page.textContent('.alert-success')) ?? '', /2 invitations sent/);
    t.regex((await page.textContent('.alert-info')) ?? '', /admin@example\.com/);
    t.true((await lastMailTo(db.dataDir, `lee${i}@example.com`)).link.startsWith(`${url}/register?invite=`));
    await check(t, page, theme, 'invite');
    // An address that is not one: the error is under the field, the text is kept.
    await page.setViewportSize(DESKTOP);
    await page.fill('#field-emails', 'someone@example.com, not-an-address');
    t.is(await submit(page, 'main form.form button[type="submit"]'), 422);
    t.regex((await page.textContent('.field__error')) ?? '', /not-an-address/);
    t.is(await page.inputValue('#field-emails'), 'someone@example.com, not-an-address');
    await check(t, page, theme, 'invite-error');

    await requestToJoin(t, {
      displayName: `Maximilien Vandenberghe-Oosterhuis ${i + 1}`,
      username: `maximilien${i}`,
      email: `maximilien.vandenberghe-oosterhuis${i}@northwind-community.example`,
    });
    await page.goto(`${url}/members/requests`);
    t.is(await page.locator('main tbody tr').count(), i + 1);
    t.regex((await page.textContent('main tbody')) ?? '', new RegExp(`maximilien${i}`));
    await check(t, page, theme, 'requests');

    t.deepEqual(csp, []);
    await context.close();
    await other.close();

    // The password reset pages, as a guest.
    const { context: guest, page: gpage, csp: gcsp } = await watchedPage(browser, { locale: 'en-GB', viewport: DESKTOP });
    await gpage.goto(`${url}/password/forgot`);
    t.is((await gpage.textContent('h1'))?.trim(), 'Reset your password');
    await check(t, gpage, theme, 'password-forgot');
    await gpage.setViewportSize(DESKTOP);
    await gpage.fill('#field-email', ADMIN.email);
    t.is(await submit(gpage, 'main form.form button[type="submit"]'), 200);
    t.is((await gpage.textContent('h1'))?.trim(), 'Check your email');
    await check(t, gpage, theme, 'password-forgot-sent');
    const mail = await lastMailTo(db.dataDir, ADMIN.email, '/password/reset');
    t.true(mail.link.startsWith(`${url}/password/reset?token=`), mail.link);
    await gpage.goto(mail.link);
    t.is((await gpage.textContent('h1'))?.trim(), 'Choose a new password');
    await check(t, gpage, theme, 'password-reset');
    await gpage.setViewportSize(DESKTOP);
    await gpage.fill('#field-password', 'a brand new passphrase 9');
    await gpage.fill('#field-passwordConfirm', 'a brand new passphrase 8');
    t.is(await submit(gpage, 'main form.form button[type="submit"]'), 422);
    t.is((await gpage.textContent('.field:has(#field-passwordConfirm) .field__error'))?.trim(), 'The two passwords are not the same.');
    await check(t, gpage, theme, 'password-reset-error');
    t.deepEqual(gcsp, []);
    await guest.close();
  });
}
