/**
 * In a real browser: Bob posts a status, picking @alice from the mention suggestions and
 * adding a #hashtag; he writes a blog post and schedules it a few seconds ahead, and the
 * job runner of the running server publishes it. Alice finds Bob's post in her feed (she
 * was mentioned), comments on it and likes it, then comments on the published article.
 * Screenshots of the feed, the status and the article at phone and desktop widths.
 */
import test from 'ava';
import type { Page } from 'playwright-core';
import { DESKTOP, PHONE, shootWidths, signInPage } from '../helpers/browser';
import { withBrowserApp } from '../helpers/browser-app';
import { PASSWORD, addUser } from '../plugins/profiles/support';
import { rowCount } from '../helpers/rows';

const shoot = (page: Page, name: string) => shootWidths(page, `content/${name}`);

/** `YYYY-MM-DDTHH:MM` in UTC (the blog form reads its date as UTC), `seconds` from now, rounded up to the minute. */
function minuteAhead(): { value: string; at: number } {
  const at = Math.ceil((Date.now() + 1000) / 60_000) * 60_000;
  return { value: new Date(at).toISOString().slice(0, 16), at };
}

test('post a status with a mention and a hashtag, schedule a blog post, comment and like', (t) =>
  withBrowserApp(
    t,
    async ({ app, server, browser }) => {
      await addUser(app, 'alice', 'Alice Liddell');
      await addUser(app, 'bob', 'Bob Marley');
      const csp: string[] = [];
      const bob = await browser.newPage({ viewport: DESKTOP });
      bob.on('console', (m) => void (/Content Security Policy/i.test(m.text()) && csp.push(m.text())));
      await signInPage(bob, server.url, 'bob', PASSWORD);
      await bob.goto(`${server.url}/`);

      // The composer suggests members while typing @al...; Enter picks Alice.
      await bob.click('#status-body');
      await bob.keyboard.type('Welcome @al');
      await bob.waitForSelector('.activity-mentions li:has-text("Alice Liddell")');
      await bob.keyboard.press('Enter');
      await bob.keyboard.type('to the #launch team!');
      t.is(await bob.inputValue('#status-body'), 'Welcome @alice to the #launch team!');
      await Promise.all([bob.waitForURL(/\/$|\/status\/\d+$/), bob.click('.activity-composer button[type=submit]')]);
      await bob.goto(`${server.url}/activity`);
      t.is(await bob.getAttribute('.activity-status a.mention', 'href'), '/people/alice');
      t.is(await bob.getAttribute('.activity-status a.hashtag', 'href'), '/tags/launch');

      // A blog post scheduled for the next minute, published by the server's job runner.
      await bob.goto(`${server.url}/blogs/new`);
      await bob.fill('#field-title', 'Our launch plan');
      await bob.fill('#field-body', 'First **we** ship, then we *celebrate*.');
      await bob.fill('#field-tags', 'launch, plans');
      await bob.check('#status-scheduled');
      const when = minuteAhead();
      await bob.fill('#field-publish_at', when.value);
      await Promise.all([bob.waitForURL(/\/blogs\/\d+$/), bob.click('.blogs-edit button[type=submit]')]);
      const articleUrl = bob.url();
      t.is(await rowCount(app.app.ruche.db('blog_posts').where({ status: 'published' })), 0, 'not yet published');
      const deadline = when.at + 20_000;
      let published = false;
      while (Date.now() < deadline && !published) {
        await new Promise((r) => setTimeout(r, 500));
        published = Number((await app.app.ruche.db('blog_posts').where({ status: 'published' }).count({ n: '*' }).first())?.n) === 1;
      }
      t.true(published, 'the job runner published the article at its date');

      // Alice was mentioned: the post is in her feed. She comments and likes it there.
      const alice = await browser.newPage({ viewport: PHONE });
      alice.on('console', (m) => void (/Content Security Policy/i.test(m.text()) && csp.push(m.text())));
      await signInPage(alice, server.url, 'alice', PASSWORD);
      await alice.goto(`${server.url}/`);
      const entry = alice.locator('.activity-entry', { hasText: 'Welcome' });
      await entry.locator('textarea[name="body"]').fill('Thanks Bob, glad to be here!');
      await Promise.all([alice.waitForLoadState('load'), entry.locator('.comments-form button[type=submit]').click()]);
      await alice.goto(`${server.url}/`);
      const again = alice.locator('.activity-entry', { hasText: 'Welcome' });
      t.regex((await again.textContent()) ?? '', /glad to be here/);
      await Promise.all([alice.waitForLoadState('load'), again.locator('.reactions__buttons button').first().click()]);
      await alice.goto(`${server.url}/`);
      t.is(await alice.locator('.activity-entry', { hasText: 'Welcome' }).locator('.reaction--mine').count(), 1, 'her reaction shows as hers');
      t.deepEqual(await shoot(alice, 'home-feed'), { phone: 0, desktop: 0 });

      // The article is in the feed and on its page, where she comments too.
      await alice.goto(articleUrl);
      t.regex((await alice.textContent('main')) ?? '', /Our launch plan/);
      t.is(await alice.locator('main strong', { hasText: 'we' }).count(), 1, 'Markdown rendered');
      await alice.fill('main .comments-form textarea[name="body"]', 'Count me in for the celebration.');
      await Promise.all([alice.waitForLoadState('load'), alice.click('main .comments-form button[type=submit]')]);
      await alice.goto(articleUrl);
      t.regex((await alice.textContent('main')) ?? '', /Count me in/);
      t.deepEqual(await shoot(alice, 'article'), { phone: 0, desktop: 0 });

      await bob.goto(`${server.url}/tags/launch`);
      const tagPage = (await bob.textContent('main')) ?? '';
      t.regex(tagPage, /Welcome/);
      t.regex(tagPage, /Our launch plan/, 'the tag page lists the status and the article');
      t.deepEqual(await shoot(bob, 'tag-page'), { phone: 0, desktop: 0 });
      await bob.goto(`${server.url}/activity`);
      t.deepEqual(await shoot(bob, 'network-feed'), { phone: 0, desktop: 0 });
      t.deepEqual(csp, [], 'no Content Security Policy violation');
    },
    { config: { jobs: { pollMs: 200 } } },
  ));
