// A browser walk through albums and a group's documents, in headless Chromium at 390 and 1280
// px, in both themes (tests/e2e/artifacts/files-albums/*.png, reviewed by eye): a member makes
// an album, uploads photos to it, steps through them with the viewer's links and the arrow
// keys, captions one; then puts a PDF in a group's library (its first page as preview) and
// uploads a new version of it. No CSP violation, nothing sticking out sideways.
import test from 'ava';
import { signInPage } from '../../helpers/browser';
import { withBrowserApp } from '../../helpers/browser-app';
import { MEMBER_PASSWORD } from '../../helpers/members';
import { imageShows, screensPage } from '../../helpers/screens';
import { pdftoppm } from '../../../plugins/files/preview';
import { festivalTeam, filesOnDisk, jpeg, pdf, PHOTO_SHAPES, startFilesWalk } from './support';

test('albums and a group document in the browser: upload, viewer with links and arrow keys, caption, new version, both themes', (t) =>
  withBrowserApp(t, async ({ db, app, server, browser }) => {
    const rt = await startFilesWalk(app, ['alice', 'bruno']);
    const [minutes, minutes2, ...photos] = await filesOnDisk(db.dataDir, [
      ['Minutes of the June meeting.pdf', pdf()],
      ['Minutes (corrected).pdf', pdf('corrected')],
      ...PHOTO_SHAPES.map(([colour, w, h], i): [string, Promise<Buffer>] => [`festival-${i + 1}.jpg`, jpeg(colour, w, h)]),
    ]);

    const { page, csp, check } = await screensPage(t, browser, 'files-albums');
    await signInPage(page, server.url, 'alice', MEMBER_PASSWORD);
    await page.goto(`${server.url}/files`);
    // a new album from My files
    await page.click('.files-new-album summary');
    await page.fill('#album-title', 'Summer festival');
    await page.fill('#album-description', 'Three days of music in the old town, June 2026.');
    await page.selectOption('#album-access', 'members');
    await Promise.all([page.waitForURL(/\/files\/albums\/\d+$/), page.click('.files-new-album button[type=submit]')]);
    const albumUrl = page.url();
    await check('album-empty');
    // photos, sent with the script (XMLHttpRequest, progress), back to the album's grid
    await page.setInputFiles('#files-input', photos);
    await page.click('.files-upload button[type=submit]');
    await page.waitForSelector('.files-grid__item');
    t.is(await page.locator('.files-grid__item').count(), 5);
    await check('album');
    // the viewer: next by link, then by the arrow key, then back
    await page.click('.files-grid__item a >> nth=0');
    await page.waitForSelector('.files-viewer');
    t.regex((await page.textContent('.files-viewer__position')) ?? '', /1 of 5/);
    await check('viewer-first');
    await Promise.all([page.waitForURL(/\/files\/\d+$/), page.click('[data-viewer-next]')]);
    t.regex((await page.textContent('.files-viewer__position')) ?? '', /2 of 5/);
    await Promise.all([page.waitForURL(/\/files\/\d+$/), page.keyboard.press('ArrowRight')]);
    t.regex((await page.textContent('.files-viewer__position')) ?? '', /3 of 5/);
    await Promise.all([page.waitForURL(/\/files\/\d+$/), page.keyboard.press('ArrowLeft')]);
    t.regex((await page.textContent('.files-viewer__position')) ?? '', /2 of 5/);
    // a caption by the owner
    await page.click('.files-manage summary');
    await page.fill('#file-caption', 'The brass band on the bridge at dusk');
    await Promise.all([page.waitForURL(/\/files\/\d+$/), page.click('.files-edit button[type=submit]')]);
    t.is((await page.textContent('[data-caption]'))?.trim(), 'The brass band on the bridge at dusk');
    await check('viewer-caption');
    await page.goto(`${server.url}/files`);
    t.is(await page.locator('.files-album-card').count(), 1);
    await check('mine-albums');
    if (rt.routes.get('activity.network')) {
      await page.goto(`${server.url}/activity`);
      t.true(((await page.textContent('main')) ?? '').includes('5 photos added to Summer festival'));
      await check('feed');
    }

    // a group's library: a PDF (its first page as preview), then a new version of it
    const groupId = await festivalTeam(app);
    await page.goto(`${server.url}/files/in/${groupId}`);
    await page.setInputFiles('#files-input', minutes);
    await page.click('.files-upload button[type=submit]');
    await page.waitForURL(/\/files\/\d+$/);
    const docUrl = page.url();
    if (await pdftoppm()) t.true(await imageShows(page, '.files-preview__image'), 'the first page shows');
    await page.setInputFiles('#files-version-input', minutes2);
    await Promise.all([page.waitForURL(docUrl), page.click('.files-version-form button[type=submit]')]);
    t.regex((await page.textContent('.files-versions')) ?? '', /Current version: 2/);
    t.is(await page.locator('.files-versions__list li').count(), 1);
    await check('document-versions');
    await page.goto(`${server.url}/files/in/${groupId}`);
    await check('library');

    // the same pages in the Ardoise theme
    await rt.networks.update(rt.networks.root().id, { theme: 'ardoise' });
    for (const [name, url] of [
      ['ardoise-album', albumUrl],
      ['ardoise-document-versions', docUrl],
      ['ardoise-mine-albums', `${server.url}/files`],
    ]) {
      await page.goto(url);
      await check(name);
    }
    await page.goto(albumUrl);
    await page.click('.files-grid__item a >> nth=1');
    await page.waitForSelector('[data-caption]');
    await check('ardoise-viewer');
    t.deepEqual(csp, [], 'no CSP violation');
  }));
