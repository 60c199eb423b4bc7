// The files pages in headless Chromium at phone and desktop widths: screenshots for review
// (tests/e2e/artifacts/files/*.png), nothing sticking out sideways, no CSP violation. A member
// uploads photos with the script (progress bar, XMLHttpRequest) to My files, a document to a
// group's library folder without JavaScript, renames it, and sees a refusal.
import test from 'ava';
import { signInPage } from '../../helpers/browser';
import { withBrowserApp } from '../../helpers/browser-app';
import { MEMBER_PASSWORD } from '../../helpers/members';
import { imageShows, screensPage } from '../../helpers/screens';
import { festivalTeam, filesOnDisk, jpeg, pdf, PHOTO_SHAPES, startFilesWalk } from './support';

test('files pages render cleanly at 390 px and 1280 px; photos uploaded with the script, a document into a group folder without it', (t) =>
  withBrowserApp(t, async ({ db, app, server, browser }) => {
    const rt = await startFilesWalk(app, ['alice', 'bruno']);
    const [minutes, script, ...files] = await filesOnDisk(db.dataDir, [
      ['Minutes of the June meeting.pdf', pdf()],
      ['page.svg', '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'],
      ...PHOTO_SHAPES.slice(0, 3).map(([colour], i): [string, Promise<Buffer>] => [`festival-${i + 1}.jpg`, jpeg(colour)]),
    ]);

    const { page, csp, check } = await screensPage(t, browser, 'files');
    await signInPage(page, server.url, 'alice', MEMBER_PASSWORD);
    await page.goto(`${server.url}/files`);
    await check('mine-empty');
    // with the script: three photos at once, sent by XMLHttpRequest, then My files
    await page.setInputFiles('#files-input', files);
    await page.selectOption('#files-access', 'members');
    await page.click('.files-upload button[type=submit]');
    await page.waitForSelector('.files-item');
    t.is(await page.locator('.files-item').count(), 3);
    await check('mine');
    // a refusal, said in the page without leaving it
    await page.setInputFiles('#files-input', script);
    await page.click('.files-upload button[type=submit]');
    await page.locator('[data-files-status]', { hasText: 'not accepted' }).waitFor();
    await check('mine-refused');
    await page.click('.files-item__name >> nth=0');
    await page.waitForSelector('.files-preview__image');
    t.true(await imageShows(page, '.files-preview__image'), 'the photo loads');
    await check('photo');

    // a group, its library, a folder, and a document uploaded without JavaScript
    const groupId = await festivalTeam(app);
    const noJs = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 1280, height: 800 } });
    const plain = await noJs.newPage();
    await signInPage(plain, server.url, 'alice', MEMBER_PASSWORD);
    await plain.goto(`${server.url}/groups/${groupId}`);
    await Promise.all([plain.waitForURL(`**/files/in/${groupId}`), plain.click(`a[href="/files/in/${groupId}"]`)]);
    await plain.fill('#files-folder-name', 'Minutes');
    await Promise.all([plain.waitForURL(/folder=\d+$/), plain.click('.files-folder-form button[type=submit]')]);
    await plain.setInputFiles('#files-input', minutes);
    await Promise.all([plain.waitForURL(/\/files\/\d+$/), plain.click('.files-upload button[type=submit]')]);
    t.regex((await plain.textContent('h1')) ?? '', /Minutes of the June meeting\.pdf/);
    await plain.click('.files-manage summary');
    await plain.fill('#file-name', 'Minutes June 2026.pdf');
    await Promise.all([plain.waitForURL(/\/files\/\d+$/), plain.click('.files-edit button[type=submit]')]);
    t.regex((await plain.textContent('h1')) ?? '', /Minutes June 2026\.pdf/);
    await noJs.close();
    await page.goto(`${server.url}/files/in/${groupId}`);
    await check('library');
    await page.click('.files-folder');
    await page.waitForSelector('.files-item');
    await check('library-folder');
    await page.click('.files-item__name');
    await page.waitForSelector('.files-preview'); // the PDF's first page, or "no preview" without pdftoppm
    await check('document');
    if (rt.routes.get('activity.network')) {
      await page.goto(`${server.url}/activity`);
      t.true((await page.locator('.files-summary').count()) >= 1);
      // "shared a document": the document's card names it (its first page framed beside it when previewed).
      t.is(await page.locator('.files-summary .files-chip', { hasText: 'Minutes June 2026.pdf' }).count(), 1);
      await check('feed');
    }
    // French
    await rt.db('users').where({ username: 'alice' }).update({ locale: 'fr' });
    await page.goto(`${server.url}/files/in/${groupId}`);
    t.true(((await page.textContent('h1')) ?? '').includes('Fichiers de Festival team'));
    await check('library-fr');
    t.deepEqual(csp, [], 'no CSP violation');
  }));
