/**
 * Joining a network in a real browser, emails included: the admin publishes a usage charter;
 * a visitor registers (first with a password confirmation that does not match), follows the
 * link from the .eml the mail transport wrote, lands signed in on the charter, accepts it,
 * signs out from the account menu and signs in again. Then /register in French.
 * Screenshots (phone and desktop) go to tests/e2e/artifacts/registration/.
 */
import test from 'ava';
import type { Page } from 'playwright-core';
import { ADMIN } from '../helpers/app';
import { browserAvailable, type Browser } from '../helpers/browser';
import { browserAppForFile } from '../helpers/browser-app';
import type { FreshDatabase } from '../helpers/databases';
import { lastMailTo } from '../helpers/mail';
import { watchedPage } from '../helpers/screens';
import { DESKTOP, PHONE, horizontalOverflow, opens, shoot as shootAt } from './support';

const run = browserAvailable() ? test.serial : test.skip;
const SITE = 'Northwind Community';
const CHARTER = [
  '## Be kind',
  '',
  'Treat every member with respect. Disagree with ideas, **never with people**.',
  '',
  '## Keep it professional',
  '',
  '- Share what helps the team; keep customer data out of public spaces.',
  '- No advertising, no chain letters.',
  '- Report problems to an [administrator](mailto:admin@example.com).',
  '',
  '> Moderators may hide messages that break this charter.',
].join('\n');
const MEMBER = {
  displayName: 'Béatrice Lemaire-Oudinot',
  username: 'beatrice',
  email: 'beatrice.lemaire-oudinot@northwind-community.example',
  password: 'honey on warm toast 7',
};

let db: FreshDatabase;
let url: string;
let browser: Browser;

browserAppForFile({ install: { siteName: SITE, locale: 'en', admin: { ...ADMIN, displayName: 'Camille Admin' } } }, (env) => {
  ({ db, browser, url } = env);
});

const shoot = (page: Page, name: string) => shootAt(page, `registration/${name}`);

/** Submits the page's main form and waits for the answer to the POST. */
async function submit(page: Page, selector = 'main form.form button[type="submit"]') {
  const [response] = await Promise.all([page.waitForResponse((r) => r.request().method() === 'POST'), page.click(selector)]);
  await page.waitForLoadState();
  return response;
}

run('the admin publishes a usage charter in Markdown', async (t) => {
  const { context, page, csp } = await watchedPage(browser, { locale: 'en-GB', viewport: DESKTOP });
  await page.goto(`${url}/login?next=${encodeURIComponent('/charter/edit')}`);
  await page.fill('#field-login', ADMIN.username);
  await page.fill('#field-password', ADMIN.password);
  await Promise.all([page.waitForURL(`${url}/charter/edit`), page.click('main form.form button[type="submit"]')]);
  t.is((await page.textContent('h1'))?.trim(), 'Edit the usage charter');
  await page.fill('#field-charter', CHARTER);
  await shoot(page, '01-charter-edit');

  await Promise.all([page.waitForURL(`${url}/charter`), page.click('main form.form button[type="submit"]')]);
  t.regex((await page.textContent('.alert-success')) ?? '', /Version 1 of the charter is published/);
  // The Markdown is rendered: headings, a list, a link, a quote.
  t.is(await page.locator('.prose h2').count(), 2);
  t.is(await page.locator('.prose li').count(), 3);
  t.is(await page.getAttribute('.prose a', 'href'), 'mailto:admin@example.com');
  t.is(await page.locator('.prose blockquote').count(), 1);
  await shoot(page, '02-charter-published');

  // The admin accepts it too, so that the rest of the network stays open to them.
  await Promise.all([page.waitForURL(`${url}/`), page.click('main form button[type="submit"].btn-primary')]);
  t.deepEqual(csp, []);
  await context.close();
});

run('a visitor registers, confirms the address from the email, accepts the charter, signs out and in', async (t) => {
  const { context, page, csp } = await watchedPage(browser, { locale: 'en-GB', viewport: PHONE });

  // The sign-in page leads to registration.
  await page.goto(`${url}/login`);
  await Promise.all([page.waitForURL(`${url}/register`), page.click('.auth__links a[href="/register"]')]);
  t.is(await page.title(), `Create your account · ${SITE}`);
  t.is((await page.textContent('h1'))?.trim(), 'Create your account');
  t.regex((await page.textContent('main')) ?? '', /Anyone can join/);
  await shoot(page, '03-register');

  await page.fill('#field-displayName', MEMBER.displayName);
  await page.fill('#field-username', MEMBER.username);
  await page.fill('#field-email', MEMBER.email);
  await page.fill('#field-password', MEMBER.password);
  await page.fill('#field-passwordConfirm', 'honey on cold toast 7');
  t.is((await submit(page)).status(), 422);
  // The error sits next to the confirmation field, tied to it; the summary links to it.
  const error = page.locator('.field:has(#field-passwordConfirm) .field__error');
  t.is((await error.textContent())?.trim(), 'The two passwords are not the same.');
  t.true(await error.isVisible());
  t.is(await page.getAttribute('#field-passwordConfirm', 'aria-invalid'), 'true');
  t.regex((await page.getAttribute('#field-passwordConfirm', 'aria-describedby')) ?? '', /\bfield-passwordConfirm-error\b/);
  t.is(await page.locator('.field__error').count(), 1);
  t.is(await page.getAttribute('.alert-error a', 'href'), '#field-passwordConfirm');
  // What was typed is kept, except the passwords.
  t.is(await page.inputValue('#field-displayName'), MEMBER.displayName);
  t.is(await page.inputValue('#field-username'), MEMBER.username);
  t.is(await page.inputValue('#field-email'), MEMBER.email);
  t.is(await page.inputValue('#field-password'), '');
  t.is(await page.inputValue('#field-passwordConfirm'), '');
  t.is(await horizontalOverflow(page), 0);
  await shoot(page, '04-register-error');

  await page.fill('#field-password', MEMBER.password);
  await page.fill('#field-passwordConfirm', MEMBER.password);
  t.is((await submit(page)).status(), 200);
  t.is((await page.textContent('h1'))?.trim(), 'Check your email');
  t.regex((await page.textContent('main')) ?? '', new RegExp(`We sent a message to ${MEMBER.email.replace(/\./g, '\\.')}\\.`));
  t.is(await horizontalOverflow(page), 0, 'the long address wraps');
  await shoot(page, '05-register-sent');

  // The email: in the member's language, with a link to this server.
  const mail = await lastMailTo(db.dataDir, MEMBER.email);
  t.true(mail.link.startsWith(`${url}/verify?token=`), mail.link);
  t.true(mail.html.includes(new URL(mail.link).searchParams.get('token')!), 'the HTML part carries the same link');

  // Following it signs the member in and sends them to the charter first.
  await page.goto(mail.link);
  t.is(page.url(), `${url}/charter?next=${encodeURIComponent('/')}`);
  t.regex((await page.textContent('.alert-success')) ?? '', new RegExp(`Your address is confirmed\\. Welcome to ${SITE}!`));
  t.true(await page.locator('.account-menu').isVisible());
  t.is((await page.textContent('h1'))?.trim(), 'Usage charter');
  t.regex((await page.textContent('.lead')) ?? '', /version 1/);
  t.is(await page.locator('.prose h2').count(), 2);
  await shoot(page, '06-charter-to-accept');

  // The rest of the network waits until the charter is accepted.
  await page.goto(`${url}/account`);
  t.is(page.url(), `${url}/charter?next=${encodeURIComponent('/account')}`);
  await page.goto(`${url}/charter?next=${encodeURIComponent('/')}`);
  await Promise.all([page.waitForURL(`${url}/`), page.click('main form button[type="submit"].btn-primary')]);
  t.is((await page.textContent('h1'))?.trim(), `Welcome, ${MEMBER.displayName}`);
  await shoot(page, '07-home-member');

  // The charter now says when it was accepted.
  await page.goto(`${url}/charter`);
  t.regex((await page.textContent('main')) ?? '', /You accepted this version on/);
  t.is(await page.locator('main form button[type="submit"]').count(), 0);
  await shoot(page, '08-charter-accepted');

  // Sign out from the account menu (a <details>, no JavaScript needed).
  await page.goto(`${url}/`);
  await page.click('.account-menu summary');
  t.true(await page.locator('.account-menu__panel').isVisible());
  t.regex((await page.textContent('.account-menu__panel')) ?? '', /Your account/);
  await shoot(page, '09-account-menu');
  await Promise.all([page.waitForURL(`${url}/`), page.click('.account-menu__panel button[type="submit"]')]);
  t.regex((await page.textContent('.alert-info')) ?? '', /You are signed out/);
  t.is(await page.locator('.account-menu').count(), 0);
  await shoot(page, '10-signed-out');

  // And back in, by email address this time: straight home, the charter is accepted.
  await page.goto(`${url}/login`);
  await page.fill('#field-login', MEMBER.email);
  await page.fill('#field-password', MEMBER.password);
  await shoot(page, '11-login');
  await Promise.all([page.waitForURL(`${url}/`), page.click('main form.form button[type="submit"]')]);
  t.is((await page.textContent('h1'))?.trim(), `Welcome, ${MEMBER.displayName}`);
  await shoot(page, '12-home-again');

  // The verification link is single-use.
  await opens(t, page, mail.link, 410, 'Address already confirmed');
  await shoot(page, '13-link-used');

  t.deepEqual(csp, []);
  await context.close();
});

run('the registration page in French', async (t) => {
  const { context, page, csp } = await watchedPage(browser, { locale: 'fr-FR', viewport: PHONE });
  await page.goto(`${url}/register`);
  t.is(await page.getAttribute('html', 'lang'), 'fr');
  t.is(await page.title(), `Créez votre compte · ${SITE}`);
  t.is((await page.textContent('h1'))?.trim(), 'Créez votre compte');
  t.is((await page.textContent('label[for="field-username"]'))?.trim(), 'Nom d’utilisateur');
  t.regex((await page.textContent('main')) ?? '', /Tout le monde peut s’inscrire/);
  t.regex((await page.textContent('main form.form button[type="submit"]')) ?? '', /Créer mon compte/);
  await shoot(page, 'fr-register');

  await page.fill('#field-username', 'jules');
  await page.fill('#field-email', 'jules@example.com');
  await page.fill('#field-password', 'des abeilles dans le jardin 3');
  await page.fill('#field-passwordConfirm', 'des abeilles dans le jardin 4');
  t.is((await submit(page)).status(), 422);
  t.is((await page.textContent('.field:has(#field-passwordConfirm) .field__error'))?.trim(), 'Les deux mots de passe ne sont pas identiques.');
  t.is(await page.inputValue('#field-email'), 'jules@example.com');
  await page.setViewportSize({ width: 360, height: 740 });
  t.is(await horizontalOverflow(page), 0);
  await shoot(page, 'fr-register-error');

  await page.fill('#field-password', 'des abeilles dans le jardin 3');
  await page.fill('#field-passwordConfirm', 'des abeilles dans le jardin 3');
  await submit(page);
  t.is((await page.textContent('h1'))?.trim(), 'Consultez vos e-mails');
  // The email is in French too.
  const mail = await lastMailTo(db.dataDir, 'jules@example.com');
  t.true(mail.link.startsWith(`${url}/verify?token=`));
  t.regex(mail.text, /[àâçéèêëîïôûùüÿœ]/i);
  await shoot(page, 'fr-register-sent');
  t.deepEqual(csp, []);
  await context.close();
});
