// The discussions pages in headless Chromium at phone and desktop widths: screenshots for
// review (tests/e2e/artifacts/discussions/*.png), nothing sticking out sideways, no CSP
// violation; a member quotes a reply and posts through the real form, the asker accepts it.
import test from 'ava';
import { signInPage } from '../../helpers/browser';
import { withBrowserApp } from '../../helpers/browser-app';
import { createMembers } from '../../helpers/members';
import { screensPage } from '../../helpers/screens';
import { RepliesService } from '../../../plugins/discussions/replies';
import { TopicsService } from '../../../plugins/discussions/service';
import { PASSWORD } from './support';

test('discussions render cleanly at 390 px and 1280 px; quoting, replying and accepting an answer in a browser', (t) =>
  withBrowserApp(t, async ({ app, server, browser }) => {
    const rt = app.app.ruche;
    const ids = await createMembers(rt, { alice: 'Alice Liddell', bob: 'Bob Marley', carol: 'Carol Danvers' });
    const topics = rt.container.resolve(TopicsService);
    const replies = rt.container.resolve(RepliesService);
    const v = async (u: string) => (await rt.users.viewer(ids[u]))!;
    const net = rt.networks.root().id;
    const older = await topics.create(await v('carol'), net, null, {
      title: 'Car-sharing to the festival site',
      body: 'Who drives from Lyon on Friday?',
      tags: ['transport'],
      access: 'members',
    });
    await replies.create(await v('bob'), (await topics.find(older))!, 'I do, two seats left.');
    await topics.create(await v('bob'), net, null, { title: 'Welcome! Read this first', body: 'House rules.', tags: [], access: 'public' });
    const pinned = (await topics.find((await rt.db('discussion_topics').where({ title: 'Welcome! Read this first' }).first('entity_id')).entity_id))!;
    await topics.setFlag(pinned, 'pinned', true);
    const id = await topics.create(await v('alice'), net, null, {
      title: 'How do I set up outgoing mail with a long subject line that wraps on phones?',
      body: 'I tried **SMTP** on port 25 and nothing arrives.\n\n```\nERROR 550 relay denied\n```\n\nAny idea?',
      tags: ['help', 'mail', 'setup'],
      access: 'members',
    });
    await replies.create(
      await v('bob'),
      (await topics.find(id))!,
      'Use port **587** with STARTTLS, and check that your provider allows relaying from your address.',
    );
    await replies.create(await v('carol'), (await topics.find(id))!, 'Also check the SPF record of your domain.');

    const { page, csp, check, checkRefused } = await screensPage(t, browser, 'discussions');
    await signInPage(page, server.url, 'alice', PASSWORD, '/discussions');
    await check('list');

    await page.goto(`${server.url}/discussions/new`);
    await checkRefused('new-errors', 'form.form button[type=submit]');
    await page.goto(`${server.url}/discussions/new`);
    await page.fill('#field-title', 'Where do we park?');
    await page.fill('#field-body', 'Is there a car park near the **north gate**?');
    await page.fill('#field-tags', 'transport');
    await check('new');

    await page.goto(`${server.url}/discussions/${id}`);
    const quote = page.locator('[data-quote]').first();
    await Promise.all([page.waitForURL(/quote=/), quote.click()]);
    t.regex(await page.inputValue('#field-reply'), /^> \*\*Bob Marley:\*\*\n> Use port \*\*587\*\*/);
    await page.locator('#field-reply').press('Control+End');
    await page.locator('#field-reply').pressSequentially('Port 587 works, thank you!');
    await Promise.all([page.waitForURL(/#reply-\d+$/), page.click('#reply-form button[type=submit]')]);
    await page.locator('.discussions-reply', { hasText: 'Use port' }).locator('button', { hasText: 'Mark as answer' }).first().click();
    await page.waitForSelector('[data-accepted]');
    await page.goto(`${server.url}/discussions/${id}`);
    t.regex((await page.textContent('[data-accepted]')) ?? '', /Use port \*\*587\*\*|Use port 587/);
    t.regex((await page.textContent('main')) ?? '', /Port 587 works/);
    await check('topic');
    // Search within the thread, from the form above the replies.
    await page.fill('#thread-q', 'port');
    await Promise.all([page.waitForURL(/\/search\?q=port/), page.click('.discussions-find--topic button[type=submit]')]);
    t.is(await page.locator('.discussions-match mark').first().textContent(), 'port');
    await check('thread-search');
    await rt.networks.update(net, { theme: 'ardoise' });
    await page.reload();
    await check('thread-search-ardoise');
    t.deepEqual(csp, [], 'no Content Security Policy violation');
  }));
