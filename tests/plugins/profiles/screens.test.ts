// The profile pages in headless Chromium at phone and desktop widths: screenshots for review
// (tests/e2e/artifacts/profiles/*.png), nothing sticking out sideways, no CSP violation;
// a member edits their profile with a photo through the real forms.
import path from 'node:path';
import fs from 'node:fs';
import test from 'ava';
import sharp from 'sharp';
import type { Page } from 'playwright-core';
import { ADMIN } from '../../helpers/app';
import { DESKTOP, shootWidths, signInPage } from '../../helpers/browser';
import { withBrowserApp } from '../../helpers/browser-app';
import { screensPage, submitAndLoad } from '../../helpers/screens';
import { PASSWORD, addField, addUser } from './support';

const shoot = (page: Page, name: string) => shootWidths(page, `profiles/${name}`);

test('profile pages render cleanly at 390 px and 1280 px; a member edits their profile with a photo', (t) =>
  withBrowserApp(t, async ({ db, app, server, browser }) => {
    await addUser(app, 'alice', 'Alice Liddell');
    await addField(app, 'lodging', 'choice', 'members', { choices: ['Tent', 'Hotel'], required: true });
    await addField(app, 'arrival', 'date', 'friends');
    await addField(app, 'diet', 'multichoice', 'private', { choices: ['Vegan', 'Halal'] });
    const photo = path.join(db.dataDir, 'me.png');
    fs.writeFileSync(
      photo,
      await sharp({ create: { width: 640, height: 480, channels: 3, background: { r: 40, g: 120, b: 200 } } })
        .png()
        .toBuffer(),
    );

    const { page, csp, watch, check, checkRefused } = await screensPage(t, browser, 'profiles');
    await signInPage(page, server.url, 'alice', PASSWORD, '/profile/edit');
    await check('edit');

    await page.setInputFiles('#field-photo', photo);
    await submitAndLoad(page, () => page.click('form[enctype="multipart/form-data"] button[type=submit]'));
    t.regex((await page.getAttribute('.profile__photo', 'src')) ?? '', /\/avatars\/\d+\/[a-f0-9]{20}-160\.jpg$/);

    await page.fill('input[type=date]', '2026-02-30');
    await checkRefused('edit-errors', 'form[action$="/profile/edit"] button[type=submit]', { '#field-headline': 'Chief rabbit chaser' });

    await page.fill('input[type=date]', '2026-07-14');
    await page.selectOption('select[name^="f_"]', 'Tent');
    await page.fill('#field-skills', 'Croquet, Tea, Riddles');
    await page.fill('#field-about', 'I fell down a **rabbit hole**.');
    await Promise.all([page.waitForURL('**/people/alice'), page.click('form[action$="/profile/edit"] button[type=submit]')]);
    t.regex((await page.textContent('main')) ?? '', /Chief rabbit chaser/);
    t.regex((await page.textContent('main')) ?? '', /Tent/);
    await check('profile');

    const admin = watch(await browser.newPage({ viewport: DESKTOP }));
    await signInPage(admin, server.url, ADMIN.username, ADMIN.password, '/admin/profile-fields');
    t.deepEqual(await shoot(admin, 'admin-fields'), { phone: 0, desktop: 0 }, 'admin fields fit both widths');
    await admin.goto(`${server.url}/people/alice`);
    t.regex((await admin.textContent('main')) ?? '', /2026-07-14/);
    t.deepEqual(csp, [], 'no CSP violation');
  }));
