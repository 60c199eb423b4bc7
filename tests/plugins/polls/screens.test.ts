// Polls in headless Chromium at phone and desktop widths, in the default and Ardoise themes:
// screenshots for review (tests/e2e/artifacts/polls/*.png), nothing sticking out sideways, no
// CSP violation. A member creates a poll through the form; another votes at 390 px, changes
// the vote at 1280 px and sees the results as bars; a poll under a status post in the feed.
import test from 'ava';
import { artifactPath, DESKTOP, PHONE, signInPage } from '../../helpers/browser';
import { withBrowserApp } from '../../helpers/browser-app';
import { MEMBER_PASSWORD, createMember } from '../../helpers/members';
import { screensPage } from '../../helpers/screens';

test('polls: creating, voting at 390 px and changing the vote at 1280 px in a browser; pages look right in both themes', (t) =>
  withBrowserApp(t, async ({ app, server, browser }) => {
    const rt = app.app.ruche;
    await createMember(rt, 'alice', { displayName: 'Alice Liddell' });
    await createMember(rt, 'bob', { displayName: 'Bob Marley' });
    const { page, csp, check } = await screensPage(t, browser, 'polls');
    await signInPage(page, server.url, 'alice', MEMBER_PASSWORD, '/polls');
    await page.goto(`${server.url}/polls/new`);
    await page.fill('#field-question', 'Where should the summer party take place this year?');
    await page.click('form.form button[type=submit]');
    await page.waitForSelector('.field--invalid');
    await check('new-errors');
    await page.fill('#field-options', 'On the roof terrace\nIn the park by the river\nAt the brewery downtown');
    await page.check('input[name=other]');
    await page.selectOption('#field-results', 'voted');
    await Promise.all([page.waitForURL(/\/polls\/\d+$/), page.click('form.form button[type=submit]')]);
    const pollUrl = page.url();
    await check('poll-owner');
    // A status with an anonymous poll under it, for the feed.
    await page.goto(`${server.url}/activity`);
    await page.fill('textarea[name=body]', 'Board election next week: tell us what you think.');
    await Promise.all([page.waitForURL(/\/activity/), page.click('form[action$="/status"] button[type=submit]')]);
    const status = (await rt.db('status_posts').max({ id: 'entity_id' }).first()) as { id: number };
    await page.goto(`${server.url}/status/${status.id}`);
    await page.click('a:has-text("Add a poll")');
    await page.fill('#field-question', 'Do you trust the current board?');
    await page.fill('#field-options', 'Yes\nNo\nNo opinion');
    await page.check('input[name=anonymous]');
    await Promise.all([page.waitForURL(/\/status\/\d+#poll-\d+$/), page.click('form.form button[type=submit]')]);

    const context = await browser.newContext({ viewport: PHONE });
    const phone = await context.newPage();
    await signInPage(phone, server.url, 'bob', MEMBER_PASSWORD, new URL(pollUrl).pathname);
    await phone.locator('text=Results show once you have voted.').waitFor({ timeout: 15_000 });
    await phone.check('input[name=option] >> nth=2');
    await Promise.all([phone.waitForURL(/#poll-\d+$/), phone.click('.poll__form button[type=submit]')]);
    await phone.locator('text=Your vote is counted.').waitFor({ timeout: 15_000 });
    t.is(await phone.locator('.poll__bar').count(), 4);
    await phone.screenshot({ path: artifactPath('polls/voted-bob-phone.png'), fullPage: true });
    await phone.setViewportSize(DESKTOP);
    await phone.check('input[name=option] >> nth=3');
    await phone.fill('input[name=other]', 'A boat on the lake');
    await Promise.all([phone.waitForURL(/#poll-\d+$/), phone.click('.poll__form button[type=submit]')]);
    t.true(await phone.isVisible('text=Your vote is changed.'));
    t.true((await phone.textContent('.poll')) !== null);
    await phone.screenshot({ path: artifactPath('polls/voted-bob-desktop.png'), fullPage: true });
    // The anonymous poll in the feed: Bob votes there.
    await phone.goto(`${server.url}/activity`);
    await phone.check('.poll input[name=option] >> nth=0');
    await Promise.all([phone.waitForURL(/#poll-\d+$/), phone.click('.poll__form button[type=submit]')]);
    t.true(await phone.isVisible('text=Your ballot is anonymous'));
    await context.close();

    await page.goto(pollUrl);
    await check('poll-results');
    await page.goto(`${server.url}/activity`);
    await check('feed');
    await page.goto(`${server.url}/polls`);
    await check('list');
    await rt.networks.update(rt.networks.root().id, { theme: 'ardoise' });
    await page.goto(pollUrl);
    await check('ardoise-poll-results');
    await page.goto(`${server.url}/activity`);
    await check('ardoise-feed');
    await page.goto(`${server.url}/polls/new`);
    await check('ardoise-new');
    t.deepEqual(csp, [], 'no Content Security Policy violation');
  }));
