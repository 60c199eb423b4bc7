// The event pages in headless Chromium at 390 and 1280 px, in both themes: an organiser
// creates an event with a capacity through the real form (a refused form first), another
// member answers going from their own browser, the month calendar and the lists. Screenshots
// go to tests/e2e/artifacts/events/*.png; nothing may stick out sideways; no CSP violation.
import test from 'ava';
import { shootWidths, signInPage } from '../../helpers/browser';
import { screensPage } from '../../helpers/screens';
import { withBrowserApp } from '../../helpers/browser-app';
import { MEMBER_PASSWORD } from '../../helpers/members';
import { EventsService } from '../../../plugins/events/service';
import { olgaAndMarc } from './support';

const THEMES = ['default', 'ardoise'] as const;
const DAY = 86_400_000;

for (const theme of THEMES) {
  test(`${theme}: an organiser creates an event, another member answers going; pages at 390 and 1280 px`, (t) =>
    withBrowserApp(t, async ({ app, server, browser }) => {
      const rt = app.app.ruche;
      await rt.networks.update(rt.networks.root().id, { theme });
      const made = await olgaAndMarc(rt);
      const olga = (await rt.users.viewer(made.olga))!;
      const svc = rt.container.resolve(EventsService);
      const now = new Date();
      const base = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), Math.min(now.getUTCDate() + 3, 26), 16);
      for (const [i, title] of ['Book club: The Left Hand of Darkness', 'Neighbourhood clean-up', 'Quarterly town hall'].entries()) {
        await svc.create(olga, rt.networks.root().id, null, {
          title,
          body: 'Everyone is welcome. Bring a friend.',
          tags: [],
          access: 'members',
          startsAt: base + i * 2 * DAY,
          endsAt: base + i * 2 * DAY + 2 * 3_600_000,
          allDay: false,
          timeZone: 'Europe/Paris',
          place: i === 2 ? '' : 'Salle des fêtes, 12 rue de la Paix',
          mapUrl: null,
          onlineUrl: i === 2 ? 'https://meet.example.com/town-hall' : null,
          capacity: null,
          deadline: null,
          hideAttendees: false,
          organiserIds: [],
          questions: i === 0 ? ['Which chapter did you like best?'] : [],
        });
      }

      const { page, csp, watch, check } = await screensPage(t, browser, `events/${theme}`);
      await signInPage(page, server.url, 'olga', MEMBER_PASSWORD);
      await page.goto(`${server.url}/events/new`);
      await check('new');
      await page.fill('#field-title', 'Summer picnic');
      await page.fill('#field-body', 'Bring **something to share**. We meet by the pond.');
      await page.fill('#field-starts', 'not a date');
      await page.click('form.form button[type=submit]');
      await page.waitForSelector('.field--invalid');
      t.is(await page.inputValue('#field-title'), 'Summer picnic', 'the title is kept');
      await check('new-errors');
      const year = now.getUTCFullYear() + 1;
      await page.fill('#field-starts', `${year}-06-05T12:00`);
      await page.fill('#field-ends', `${year}-06-05T16:00`);
      await page.fill('#field-place', 'Parc Montsouris, by the pond');
      await page.fill('#field-capacity', '1');
      await page.fill('#field-questions', 'Anything you cannot eat?\nWill you bring a blanket?');
      await Promise.all([page.waitForURL(/\/events\/\d+$/), page.click('form.form button[type=submit]')]);
      const eventUrl = page.url();
      t.regex((await page.textContent('h1')) ?? '', /Summer picnic/);
      t.regex((await page.textContent('[data-when]')) ?? '', /12:00 PM – 4:00 PM\s+\(Europe\/Paris\)/);
      await page.click('button[value="going"]');
      await page.waitForSelector('[data-answer="going"]');
      await check('event-organiser');

      // Marc, in Montreal, reads it in his zone: the one place is taken, he joins the waiting list
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
      const other = watch(await context.newPage());
      await signInPage(other, server.url, 'marc', MEMBER_PASSWORD);
      await other.goto(eventUrl);
      t.regex((await other.textContent('[data-when]')) ?? '', /6:00 AM – 10:00 AM\s+\(America\/Montreal\)/);
      t.regex((await other.textContent('[data-organiser-time]')) ?? '', /12:00 PM – 4:00 PM \(Europe\/Paris\)/);
      await other.fill('#field-reply_0', 'No nuts, please');
      await Promise.all([other.waitForURL(eventUrl), other.click('button[value="going"]')]);
      await other.waitForSelector('[data-answer="waiting"]');
      t.regex((await other.textContent('.events-rsvp__current')) ?? '', /number 1 on the waiting list/);
      // Olga gives her place up: Marc gets it
      await Promise.all([page.waitForURL(eventUrl), page.click('button[value="not_going"]')]);
      await other.reload();
      await other.waitForSelector('[data-answer="going"]');
      t.is(await other.inputValue('#field-reply_0'), 'No nuts, please');
      t.deepEqual(await shootWidths(other, `events/${theme}/event-member`), { phone: 0, desktop: 0 }, 'event-member: nothing sticks out sideways');
      await context.close();
      // Olga sees Marc's reply (only organisers do)
      await page.reload();
      t.regex((await page.textContent('[data-replies]')) ?? '', /No nuts, please/);
      await check('event-replies');

      await page.goto(`${server.url}/events`);
      t.true((await page.locator('.events-card').count()) >= 4);
      await check('list');
      await page.goto(`${server.url}/events/calendar`);
      t.true((await page.locator('.events-month__events a').count()) >= 1);
      await check('month');
      await page.goto(`${server.url}/events/mine`);
      await page.click('.events-subscription button[type=submit]');
      await page.waitForSelector('[data-calendar-url]');
      await check('mine');
      t.deepEqual(csp, [], 'no CSP violation');
    }));
}
