// The blog pages in headless Chromium at phone and desktop widths: screenshots for review
// (tests/e2e/artifacts/blogs/*.png), nothing sticking out sideways, no CSP violation; a
// member writes a post with a cover through the real form, errors included.
import path from 'node:path';
import fs from 'node:fs';
import test from 'ava';
import { signInPage } from '../../helpers/browser';
import { screensPage } from '../../helpers/screens';
import { withBrowserApp } from '../../helpers/browser-app';
import { PASSWORD, png } from './support';
import { BlogsService } from '../../../plugins/blogs/service';

const BODY = `Our team spent a week walking the **coastal path** from Brest to Quimper.

## What we learned

- Pack light: *really* light.
- Every crêperie is the best crêperie.
- The tide waits for no one.

> The sea, once it casts its spell, holds one in its net of wonder forever.

More photos on [our site](https://example.com/trip).`;

test('blog pages render cleanly at 390 px and 1280 px; a member writes a post with a cover', (t) =>
  withBrowserApp(t, async ({ db, app, server, browser }) => {
    const rt = app.app.ruche;
    const made = await rt.users.create({ username: 'alice', email: 'alice@example.com', password: PASSWORD, displayName: 'Alice Martin' });
    if (!('id' in made)) throw new Error('no alice');
    const alice = (await rt.users.viewer(made.id))!;
    const svc = rt.container.resolve(BlogsService);
    for (let i = 1; i <= 3; i++) {
      await svc.create(alice, rt.networks.root().id, null, {
        title: `Notes from the field, part ${i}`,
        body: `Day ${i} of the survey: the weather held and we covered a lot of ground. Here is what happened along the way, and what comes next.`,
        tags: ['fieldwork', `day${i}`],
        access: 'members',
        status: 'published',
        publishAt: null,
      });
    }
    await svc.create(alice, rt.networks.root().id, null, {
      title: 'Half-written thoughts',
      body: 'Draft',
      tags: [],
      access: 'members',
      status: 'draft',
      publishAt: null,
    });
    const cover = path.join(db.dataDir, 'cover.png');
    fs.writeFileSync(cover, await png(1600, 1000));

    const { page, csp, check, checkRefused } = await screensPage(t, browser, 'blogs');
    await signInPage(page, server.url, 'alice', PASSWORD);
    await page.goto(`${server.url}/blogs/new`);
    await check('new');

    await page.fill('#field-title', '');
    await page.fill('#field-tags', 'travel, bad tag!');
    await checkRefused('new-errors', 'form.form button[type=submit]', { '#field-body': BODY });

    await page.fill('#field-title', 'A week on the coastal path');
    await page.fill('#field-tags', 'travel, brittany');
    await page.setInputFiles('#field-cover', cover);
    await Promise.all([page.waitForURL(/\/blogs\/\d+$/), page.click('form.form button[type=submit]')]);
    t.regex((await page.textContent('h1')) ?? '', /A week on the coastal path/);
    t.true(
      await page.evaluate<boolean>('(() => { const i = document.querySelector(".blogs-post__cover"); return !!i && i.naturalWidth === 1200; })()'),
      'the cover loads',
    );
    await check('post');

    await page.click('.blogs-actions a[href$="/edit"]');
    await page.waitForSelector('.blogs-edit__cover');
    await check('edit');

    await page.fill('#field-body', `${BODY}\n\nUpdated after the trip.`);
    await Promise.all([page.waitForURL(/\/blogs\/\d+$/), page.click('form.form button[type=submit]')]);
    await page.click('.blogs-actions a[href$="/revisions"]');
    await page.waitForSelector('.blogs-revision');
    t.is(await page.locator('.blogs-revision').count(), 2);
    await check('revisions');

    await page.goto(`${server.url}/blogs`);
    await check('list');
    if (rt.routes.get('activity.network')) {
      await page.goto(`${server.url}/activity`);
      t.true((await page.locator('.blogs-summary').count()) >= 4, 'blog posts are described in the feed');
      await check('feed');
    }
    await page.goto(`${server.url}/blogs/by/alice`);
    await check('author');
    await page.goto(`${server.url}/people/alice`);
    t.is(await page.locator('[data-section="blogs"] .link-list__item').count(), 3);
    await check('profile');
    t.deepEqual(csp, [], 'no CSP violation');
  }));
