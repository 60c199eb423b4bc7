/**
 * The first-run flow in a real browser: open the setup link, get a field error that keeps
 * what was typed, fix it, land signed in on the home page; then sign out, sign in, a 404,
 * and the page in French. Screenshots of each page at phone and desktop sizes go to
 * tests/e2e/artifacts/.
 */
import test from 'ava';
import { browserAvailable, launchBrowser, type Browser } from '../helpers/browser';
import { watchedPage } from '../helpers/screens';
import { DESKTOP, PHONE, horizontalOverflow, opens, shoot, startServer, type E2EServer } from './support';

const run = browserAvailable() ? test.serial : test.skip;

let server: E2EServer;
let browser: Browser;
let token: string;

test.before(async () => {
  if (!browserAvailable()) return;
  server = await startServer({ install: { siteName: 'Ruche', locale: 'en' } });
  token = await server.app.ruche.setup.issueToken();
  browser = await launchBrowser();
});

test.after.always(async () => {
  await browser?.close();
  await server?.stop();
});

run('the setup page follows Accept-Language and the language switch', async (t) => {
  const context = await browser.newContext({ locale: 'fr-FR', viewport: PHONE });
  const page = await context.newPage();
  // Until the first administrator exists, the home page says how to finish the setup.
  await page.goto(`${server.url}/`);
  t.is((await page.textContent('h1'))?.trim(), 'Presque prêt');
  await shoot(page, 'setup-pending-fr');

  await page.goto(`${server.url}/setup?token=${token}`);
  t.is(await page.getAttribute('html', 'lang'), 'fr');
  t.is((await page.textContent('label[for="field-siteName"]'))?.trim(), 'Nom du réseau');
  t.regex((await page.textContent('button[type="submit"].btn-primary')) ?? '', /Créer le réseau/);
  t.is(await page.inputValue('#field-locale'), 'fr', "the default language proposed is the visitor's");
  await shoot(page, 'setup-fr');

  // Switch to English with the footer form: back on the same setup page, in English.
  await page.selectOption('#locale-select', 'en');
  await Promise.all([page.waitForURL(/\/setup\?token=/), page.click('.locale-form button')]);
  t.is(await page.getAttribute('html', 'lang'), 'en');
  t.is((await page.textContent('label[for="field-siteName"]'))?.trim(), 'Network name');
  await context.close();
});

run('setup: an error is shown next to its field, then the network is created', async (t) => {
  const { context, page, csp } = await watchedPage(browser, { locale: 'en-GB', viewport: DESKTOP });
  await page.goto(`${server.url}/setup?token=${token}`);
  t.is(await page.title(), 'Set up your network · Ruche');
  t.is(await page.inputValue('#field-siteName'), 'Ruche');
  await shoot(page, 'setup');

  await page.fill('#field-displayName', 'Alice Martin');
  await page.fill('#field-username', 'alice');
  await page.fill('#field-email', 'alice@example.com');
  await page.fill('#field-password', 'short');
  await page.fill('#field-passwordConfirm', 'short');
  const rejected = await Promise.all([page.waitForResponse((r) => r.request().method() === 'POST'), page.click('form.form button[type="submit"]')]);
  t.is(rejected[0].status(), 422);

  // The error sits in the password field's own block, tied to the input.
  const error = page.locator('.field:has(#field-password) .field__error');
  t.regex((await error.textContent()) ?? '', /at least 10 characters/);
  t.true(await error.isVisible());
  t.is(await page.getAttribute('#field-password', 'aria-invalid'), 'true');
  t.regex((await page.getAttribute('#field-password', 'aria-describedby')) ?? '', /\bfield-password-error\b/);
  t.is(await page.locator('.field__error').count(), 1);
  t.is(await page.locator('[role="alert"]').count(), 1);
  // The summary at the top links to the field.
  t.is(await page.getAttribute('.alert-error a', 'href'), '#field-password');
  // What was typed is kept, except the passwords.
  t.is(await page.inputValue('#field-displayName'), 'Alice Martin');
  t.is(await page.inputValue('#field-username'), 'alice');
  t.is(await page.inputValue('#field-email'), 'alice@example.com');
  t.is(await page.inputValue('#field-siteName'), 'Ruche');
  t.is(await page.inputValue('#field-password'), '');
  await shoot(page, 'setup-errors');

  await page.fill('#field-password', 'a calm hive of 42 bees');
  await page.fill('#field-passwordConfirm', 'a calm hive of 42 bees');
  await Promise.all([page.waitForURL(`${server.url}/`), page.click('form.form button[type="submit"]')]);
  t.regex((await page.textContent('.alert-success')) ?? '', /Welcome to Ruche! Your network is ready\./);
  t.is((await page.textContent('h1'))?.trim(), 'Welcome, Alice Martin');
  t.true(await page.locator('.account-menu').isVisible());
  await shoot(page, 'home-member');

  // The account menu opens without JavaScript (a <details> element).
  await page.setViewportSize(PHONE);
  await page.click('.account-menu summary');
  t.true(await page.locator('.account-menu__panel').isVisible());
  t.is(await horizontalOverflow(page), 0);
  await shoot(page, 'home-member-menu');
  await Promise.all([page.waitForURL(`${server.url}/`), page.click('.account-menu__panel button[type="submit"]')]);
  t.regex((await page.textContent('.alert-info')) ?? '', /You are signed out/);
  await shoot(page, 'home-guest');

  await page.goto(`${server.url}/login`);
  await shoot(page, 'login');
  await page.fill('#field-login', 'alice');
  await page.fill('#field-password', 'not the password');
  await page.click('form.form button[type="submit"]');
  t.regex((await page.textContent('.alert-error')) ?? '', /username or password is not right/);
  t.is(await page.inputValue('#field-login'), 'alice');
  t.is(await page.locator('.field__error').count(), 0); // one message for the form, not one per field
  await shoot(page, 'login-error');
  await page.fill('#field-password', 'a calm hive of 42 bees');
  await Promise.all([page.waitForURL(`${server.url}/`), page.click('form.form button[type="submit"]')]);
  t.is((await page.textContent('h1'))?.trim(), 'Welcome, Alice Martin');

  await opens(t, page, `${server.url}/no/such/page`, 404, 'Page not found');
  await shoot(page, 'not-found');

  t.deepEqual(csp, []);
  await context.close();
});

run('pages fit a 360 px phone without sideways scrolling', async (t) => {
  const context = await browser.newContext({ locale: 'fr-FR', viewport: { width: 360, height: 740 } });
  const page = await context.newPage();
  for (const path of ['/', '/login', '/no/such/page']) {
    await page.goto(`${server.url}${path}`);
    t.is(await horizontalOverflow(page), 0, path);
  }
  await context.close();
});
