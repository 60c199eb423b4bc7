/**
 * The rough edges a newcomer hit (issue 27 items 3, 4, 5, 6, 10 and 12), looked at in Chromium
 * on a demo network (`seedDemo`), in both themes, at 390 and 1280 px: the header's avatar is the
 * member's photo (the feed's, directory's and profile's too), the phone menu lists every page,
 * the admin area's pages are all in reach (side list, phone menu), the directory's filters fit, the profile's activity reads like the feed,
 * the Ardoise footer and the guest's home. Screenshots go to tests/e2e/artifacts/edges/.
 */
import test, { type ExecutionContext } from 'ava';
import sharp from 'sharp';
import type { Page } from 'playwright-core';
import { DEMO_PASSWORD, seedDemo } from '../../seeding';
import { ADMIN } from '../helpers/app';
import { artifactPath, browserAvailable, DESKTOP, PHONE, shootWidths, signInPage } from '../helpers/browser';
import { browserAppForFile, type StartedBrowserApp } from '../helpers/browser-app';
import { watchedPage } from '../helpers/screens';

let env: StartedBrowserApp | undefined;
let member = '';
browserAppForFile({}, async (started) => {
  env = started;
  member = (await seedDemo(started.app.app.ruche, { locale: 'en' })).login;
});
const run = browserAvailable() ? test.serial : test.skip;
const THEMES = ['default', 'ardoise'] as const;

async function useTheme(theme: string): Promise<void> {
  const rt = env!.app.app.ruche;
  await rt.networks.update(rt.networks.root().id, { theme });
}

/** Shoots the page at both widths as `edges/<name>` and asserts nothing sticks out sideways. */
async function look(t: ExecutionContext, page: Page, name: string): Promise<void> {
  t.deepEqual(await shootWidths(page, `edges/${name}`), { phone: 0, desktop: 0 }, `${name}: nothing sticks out sideways`);
}

/** A square picture with a face-like blob, as a member's photo upload. */
function photo(): Promise<Buffer> {
  const svg =
    '<svg xmlns="http://www.w3.org/2000/svg" width="300" height="300"><rect width="300" height="300" fill="#e8b04a"/>' +
    '<circle cx="150" cy="120" r="60" fill="#6b3f1d"/><rect x="60" y="200" width="180" height="120" rx="60" fill="#2c5282"/></svg>';
  return sharp(Buffer.from(svg)).png().toBuffer();
}

interface Box {
  top: number;
  left: number;
  right: number;
  bottom: number;
  width: number;
  height: number;
}
/** Where each element is on the screen. */
const boxes = (els: { getBoundingClientRect(): Box }[]): Box[] =>
  els.map((el) => {
    const r = el.getBoundingClientRect();
    return { top: r.top, left: r.left, right: r.right, bottom: r.bottom, width: r.width, height: r.height };
  });

const src = (page: Page, selector: string): Promise<string | null> => page.locator(selector).first().getAttribute('src');

run('item 3: the header, feed, directory and profile show the member’s photo once uploaded', async (t) => {
  const e = env!;
  await useTheme('default');
  const { context, page, csp } = await watchedPage(e.browser, { viewport: DESKTOP, locale: 'en-GB' });
  await signInPage(page, e.url, member, DEMO_PASSWORD);
  await page.goto(`${e.url}/`);
  t.regex((await src(page, '.account-menu__toggle .avatar'))!, /\/initials\.svg$/, 'the initials picture before a photo');

  await page.goto(`${e.url}/profile/edit`);
  await page.setInputFiles('#field-photo', { name: 'me.png', mimeType: 'image/png', buffer: await photo() });
  await Promise.all([page.waitForURL(/\/profile\/edit/), page.click('#photo button[type="submit"]')]);
  await page.goto(`${e.url}/activity`);
  await page.fill('#status-body', 'A photo at last.');
  await Promise.all([page.waitForLoadState('load'), page.click('.activity-composer button[type="submit"]')]);
  await page.getByText('A photo at last.').first().waitFor();

  const header = (await src(page, '.account-menu__toggle .avatar'))!;
  t.regex(header, /\/avatars\/\d+\/[a-f0-9]{20}-64\.jpg$/, 'the header shows the photo');
  const mine = page.locator('.activity-entry', { hasText: 'A photo at last.' }).first();
  t.is(await mine.locator('.activity-entry__avatar').getAttribute('src'), header, 'the feed shows the same picture');
  t.true(await page.evaluate<boolean>(`[...document.querySelectorAll('img.avatar')].every((i) => i.complete && i.naturalWidth > 0)`), 'it loads');
  await look(t, page, 'default-feed-with-photo');

  const userId = /\/avatars\/(\d+)\//.exec(header)![1];
  await page.goto(`${e.url}/people?q=${encodeURIComponent(member)}`);
  t.regex((await src(page, '.connections-person__avatar'))!, new RegExp(`/avatars/${userId}/[a-f0-9]{20}-64\\.jpg$`), 'the directory');
  await page.goto(`${e.url}/people/${member}`);
  t.regex((await src(page, '.profile__photo'))!, new RegExp(`/avatars/${userId}/[a-f0-9]{20}-400\\.jpg$`), 'the profile');
  t.deepEqual(csp, []);
  await context.close();
});

for (const theme of THEMES) {
  run(`${theme}: item 4, the phone menu lists every page, with and without JavaScript`, async (t) => {
    const e = env!;
    await useTheme(theme);
    for (const javaScriptEnabled of [true, false]) {
      const { context, page } = await watchedPage(e.browser, { viewport: PHONE, locale: 'en-GB', javaScriptEnabled });
      await signInPage(page, e.url, member, DEMO_PASSWORD);
      await page.goto(`${e.url}/`);
      t.false(await page.locator('.nav-main').isVisible(), 'no sideways row of tabs on a phone');
      await page.click('.nav-phone__toggle');
      const links = page.locator('.nav-phone__link');
      const hrefs = await links.evaluateAll((as) => as.map((a) => a.getAttribute('href')));
      for (const want of ['/', '/discussions', '/chat', '/groups', '/blogs', '/people'])
        t.true(hrefs.includes(want), `${want} in ${hrefs.join(' ')}`);
      const boxes = await links.evaluateAll((as) =>
        as.map((a) => a.getBoundingClientRect()).map((r) => ({ left: r.left, right: r.right, h: r.height })),
      );
      t.true(
        boxes.every((b) => b.left >= 0 && b.right <= PHONE.width && b.h >= 40),
        `every entry on screen, big enough to tap: ${JSON.stringify(boxes)}`,
      );
      if (javaScriptEnabled) await look(t, page, `${theme}-phone-menu-open`);
      await context.close();
    }
  });

  run(
    `${theme}: item 4, the admin pages in a side list at 1280 px and a menu on phones, the directory’s filters fit; item 5, the profile’s activity is the feed’s cards`,
    async (t) => {
      const e = env!;
      await useTheme(theme);
      const admin = await watchedPage(e.browser, { viewport: DESKTOP, locale: 'en-GB' });
      await signInPage(admin.page, e.url, ADMIN.username, ADMIN.password);
      const adm = admin.page;
      await adm.goto(`${e.url}/admin/profile-fields`);
      await look(t, adm, `${theme}-admin-fields`);
      // Wide: every admin page in the side list, on screen without scrolling; no menu button.
      t.false(await adm.locator('.admin-menu').isVisible());
      const side = await adm.locator('.admin-nav__link').evaluateAll(boxes);
      t.true(side.length >= 10, `${side.length} admin pages`);
      t.true(
        side.every((r) => r.width > 0 && r.left >= 0 && r.right <= DESKTOP.width && r.bottom <= DESKTOP.height),
        JSON.stringify(side),
      );
      // Phone: a menu button naming the current page opens the whole list.
      await adm.setViewportSize(PHONE);
      t.false(await adm.locator('.admin-nav').isVisible());
      t.is((await adm.locator('.admin-menu__current').innerText()).trim(), 'Profile fields');
      await adm.click('.admin-menu__toggle');
      const listed = await adm.locator('.admin-menu__link').evaluateAll(boxes);
      t.is(listed.length, side.length);
      t.true(
        listed.every((r) => r.left >= 0 && r.right <= PHONE.width && r.height >= 40),
        JSON.stringify(listed),
      );
      await adm.screenshot({ path: artifactPath(`edges/${theme}-admin-menu-open-phone.png`) });
      await admin.context.close();

      const { context, page, csp } = await watchedPage(e.browser, { viewport: DESKTOP, locale: 'en-GB' });
      await signInPage(page, e.url, member, DEMO_PASSWORD);
      await page.goto(`${e.url}/people`);
      await page.click('.connections-filters__toggle');
      await look(t, page, `${theme}-directory-filters`);
      const cards = await page.locator('.connections-person').evaluateAll(boxes);
      t.true(cards.length >= 8 && cards.slice(1, 4).every((c) => c.left > cards[0].left), 'four people a row');
      t.deepEqual(
        cards.slice(0, 4).map((c) => c.top),
        Array(4).fill(cards[0].top),
        'the first row’s cards line up',
      );
      await page.goto(`${e.url}/people/${member}`);
      t.true((await page.locator('.activity-entry').count()) > 0, 'the profile lists activity as feed cards');
      // Wide: the facts in a narrow column, the activity beside them as wide as the feed's column.
      const about = (await page.locator('.profile__side').boundingBox())!;
      const activity = (await page.locator('.profile__main .activity-entry').first().boundingBox())!;
      t.true(activity.x > about.x + about.width && activity.width >= 600 && activity.width <= 800, JSON.stringify({ about, activity }));
      await look(t, page, `${theme}-profile`);
      t.deepEqual(csp, []);
      await context.close();
    },
  );

  run(`${theme}: item 12, a guest’s home offers to create an account; the footer`, async (t) => {
    const e = env!;
    await useTheme(theme);
    const { context, page } = await watchedPage(e.browser, { viewport: DESKTOP, locale: 'en-GB' });
    await page.goto(`${e.url}/`);
    await look(t, page, `${theme}-guest-home`);
    await context.close();
  });

  run(`${theme}: item 10, the wording a member reads: "Billets d’Étienne", devices by name, a search with no group`, async (t) => {
    const e = env!;
    await useTheme(theme);
    const { context, page } = await watchedPage(e.browser, {
      viewport: DESKTOP,
      locale: 'fr-FR',
      userAgent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0',
    });
    await signInPage(page, e.url, member, DEMO_PASSWORD);
    await page.goto(`${e.url}/blogs/by/${member}`);
    t.regex(await page.locator('main h1').innerText(), /^Billets d’É/, 'French elides before the name');
    await look(t, page, `${theme}-own-blog`);
    await page.goto(`${e.url}/account/sessions`);
    t.regex(await page.locator('main').innerText(), /Firefox sur Windows/);
    t.notRegex(await page.locator('main').innerText(), /Mozilla\/5\.0/, 'no raw user-agent string');
    await look(t, page, `${theme}-sessions`);
    await page.goto(`${e.url}/groups?q=zzzz-nothing`);
    t.notRegex(await page.locator('main').innerText(), /Aucun groupe pour l’instant|No groups yet/i);
    await look(t, page, `${theme}-groups-no-match`);
    await context.close();
  });
}
