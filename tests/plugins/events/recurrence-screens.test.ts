// A weekly event in headless Chromium at 390 and 1280 px, in both themes: the organiser makes
// it through the real form, another member finds the series once in the list with its next
// dates, opens the second date and answers going to it alone; then a poll attached from the status
// composer, which the other member votes in from the feed. Screenshots go to
// tests/e2e/artifacts/events-series/*.png; nothing may stick out sideways; no CSP violation.
import test from 'ava';
import { signInPage } from '../../helpers/browser';
import { screensPage } from '../../helpers/screens';
import { withBrowserApp } from '../../helpers/browser-app';
import { MEMBER_PASSWORD } from '../../helpers/members';
import { countRows } from '../../helpers/rows';
import { olgaAndMarc } from './support';

const THEMES = ['default', 'ardoise'] as const;

for (const theme of THEMES) {
  test(`${theme}: an organiser makes a weekly event, another member answers one date; pages at 390 and 1280 px`, (t) =>
    withBrowserApp(t, async ({ app, server, browser }) => {
      const rt = app.app.ruche;
      await rt.networks.update(rt.networks.root().id, { theme });
      await olgaAndMarc(rt);
      const { page, csp, watch, check } = await screensPage(t, browser, `events-series/${theme}`);
      await signInPage(page, server.url, 'olga', MEMBER_PASSWORD);
      await page.goto(`${server.url}/events/new`);
      const year = new Date().getUTCFullYear() + 1;
      await page.fill('#field-title', 'Choir practice');
      await page.fill('#field-body', 'All voices welcome. We sing from **9 to 10:30**.');
      await page.fill('#field-starts', `${year}-03-01T09:00`);
      await page.fill('#field-ends', `${year}-03-01T10:30`);
      await page.selectOption('#field-repeat', 'weekly');
      await page.fill('#field-repeat_count', '8');
      await page.fill('#field-place', 'Salle des fêtes, 12 rue de la Paix');
      await check('new-weekly');
      await Promise.all([page.waitForURL(/\/events\/\d+$/), page.click('form.form button[type=submit]')]);
      t.regex((await page.textContent('[data-series-summary]')) ?? '', /Every week, 8 dates/);
      t.is(await page.locator('.events-series__dates li').count(), 8);
      await check('date-organiser');

      // Marc finds the series once in the list, with its next dates, and answers the second date
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
      const other = watch(await context.newPage());
      await signInPage(other, server.url, 'marc', MEMBER_PASSWORD);
      await other.goto(`${server.url}/events`);
      t.is(await other.locator('.events-card').count(), 1);
      t.is(await other.locator('.events-card__series a').count(), 3);
      await Promise.all([other.waitForURL(/\/events\/\d+$/), other.click('.events-card__series a >> nth=0')]);
      const secondUrl = other.url();
      await Promise.all([other.waitForURL(secondUrl), other.click('button[value="going"]')]);
      await other.waitForSelector('[data-answer="going"]');
      // the first date has no answer from him
      await other.click('.events-series__dates li >> nth=0 >> a');
      await other.waitForSelector('[data-series]');
      t.is(await other.locator('[data-answer]').count(), 0);
      await other.goto(secondUrl);
      await other.waitForSelector('[data-answer="going"]');
      await context.close();
      await page.goto(secondUrl);
      await page.waitForSelector('[data-attendees="going"]');
      await check('date-answered');
      await page.goto(`${server.url}/events`);
      await check('list-series');

      // A poll attached from the status composer ("Post and add a poll"); Marc votes in it from the feed
      await page.goto(`${server.url}/activity`);
      await page.fill('#status-body', 'Choir party after the last practice: what do we bring?');
      await check('composer');
      await Promise.all([page.waitForURL(/\/polls\/new\?on=\d+$/), page.click('[data-compose-then="poll"]')]);
      await page.fill('#field-question', 'What do we bring?');
      await page.fill('#field-options', 'Cakes\nFruit\nDrinks');
      await Promise.all([page.waitForURL(/\/status\/\d+#poll-\d+$/), page.click('form.form button[type=submit]')]);
      await check('status-with-poll');
      const voter = await browser.newContext({ viewport: { width: 1280, height: 800 } });
      const marc = watch(await voter.newPage());
      await signInPage(marc, server.url, 'marc', MEMBER_PASSWORD);
      await marc.goto(`${server.url}/activity`);
      await marc.check('.poll__choice >> text=Fruit');
      await Promise.all([marc.waitForURL(/#poll-\d+$/), marc.click('.poll__form button[type=submit]')]);
      await marc.waitForSelector('.poll__results, .poll__form');
      t.is(await countRows(rt.db, 'polls_voters'), 1);
      await voter.close();
      await page.reload();
      await check('status-voted');
      t.deepEqual(csp, [], 'no CSP violation');
    }));
}
