// Urgent alerts in headless Chromium, in the default and Ardoise themes: the admin sends an
// emergency through the form; it appears as a banner on the page Bob already has open (pushed
// live, no reload), at 390 and 1280 px; Bob answers "I'm safe" from the banner and it goes; the
// admin's dashboard, open meanwhile, shows the answer without a reload. Screenshots for review
// (tests/e2e/artifacts/alerts/*.png), nothing sticking out sideways, no CSP violation.
import test from 'ava';
import { PHONE, shootWidths, signInPage } from '../../helpers/browser';
import { withBrowserApp } from '../../helpers/browser-app';
import { ADMIN } from '../../helpers/app';
import { MEMBER_PASSWORD, createMembers } from '../../helpers/members';
import { screensPage, waitInPage } from '../../helpers/screens';

test('alerts: an emergency appears live as a banner on another member’s open page, is answered there, and the dashboard follows; both themes', (t) =>
  withBrowserApp(t, async ({ app, server, browser }) => {
    const rt = app.app.ruche;
    await rt.pluginState.enable('alerts');
    await createMembers(rt, { bob: 'Bob Marley', carol: 'Carol Danvers' });
    const { page: admin, csp, watch, check } = await screensPage(t, browser, 'alerts');
    await signInPage(admin, server.url, ADMIN.username, ADMIN.password, '/alerts/new');
    await admin.fill('#field-title', 'Fire alarm in building B');
    await admin.click('form.form button[type=submit]');
    await admin.waitForSelector('.field--invalid');
    await check('new-errors');

    // Bob has his home page open, live.
    const bobContext = await browser.newContext({ viewport: PHONE });
    const bob = watch(await bobContext.newPage());
    await signInPage(bob, server.url, 'bob', MEMBER_PASSWORD);
    await waitInPage(bob, 'document.documentElement.dataset.alertsLive === "on"');
    t.is(await bob.locator('.alerts-banner').count(), 0);

    await admin.fill('#field-message', 'Leave building B now by the **nearest stairs**. Meet at the car park and tell us you are safe.');
    await admin.check('input[name=severity][value=emergency]');
    await admin.check('input[name=answers][value=safety]');
    await Promise.all([admin.waitForURL(/\/alerts\/\d+$/), admin.click('form.form button[type=submit]')]);
    await waitInPage(admin, 'document.documentElement.dataset.alertsLive === "on"');
    await check('dashboard-sent');

    // The banner arrives on Bob's open page without a reload.
    await bob.locator('.alerts-banner--emergency').waitFor({ timeout: 30_000 });
    t.regex((await bob.textContent('.alerts-banner')) ?? '', /Fire alarm in building B/);
    t.deepEqual(await shootWidths(bob, 'alerts/banner-live'), { phone: 0, desktop: 0 }, 'banner-live: nothing sticks out sideways');

    // Bob answers from the banner (a plain form): back on the same page, the banner gone.
    await Promise.all([bob.waitForURL(`${server.url}/`), bob.click('.alerts-banner button[value=safe]')]);
    await bob.locator('text=Thank you, your answer is recorded.').waitFor({ timeout: 15_000 });
    t.is(await bob.locator('.alerts-banner').count(), 0);

    // The dashboard, open all along, shows it live.
    await admin.locator('.alerts-bar:has-text("I\'m safe") .alerts-bar__n:text-is("1")').waitFor({ timeout: 30_000 });
    await admin.locator('text=2 have not answered yet').waitFor({ timeout: 15_000 });
    await check('dashboard-answered');
    await admin.goto(`${server.url}/alerts`);
    await check('list');

    // Carol's pages in Ardoise: the banner, the alert's own page, and the admin's pages.
    await rt.networks.update(rt.networks.root().id, { theme: 'ardoise' });
    const carolShots = await screensPage(t, browser, 'alerts');
    watch(carolShots.page);
    await signInPage(carolShots.page, server.url, 'carol', MEMBER_PASSWORD);
    await carolShots.page.locator('.alerts-banner--emergency').waitFor({ timeout: 15_000 });
    await carolShots.check('ardoise-banner');
    await carolShots.page.click('.alerts-banner__title a');
    await carolShots.page.waitForURL(/\/alerts\/\d+$/);
    await carolShots.check('ardoise-alert-page');
    await admin.goBack();
    await admin.reload();
    await check('ardoise-dashboard');
    await admin.goto(`${server.url}/alerts/new`);
    await check('ardoise-new');
    await bobContext.close();
    t.deepEqual(csp, [], 'no Content Security Policy violation');
  }));
