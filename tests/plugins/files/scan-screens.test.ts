// A file being checked by the scanners, as its uploader sees it in headless Chromium at 390 and
// 1280 px (tests/e2e/artifacts/files/checking-*.png): "Being checked" in My files, the notice on
// its page; nothing sticks out sideways, no CSP violation.
import test from 'ava';
import { signInPage } from '../../helpers/browser';
import { withBrowserApp } from '../../helpers/browser-app';
import { MEMBER_PASSWORD } from '../../helpers/members';
import { screensPage } from '../../helpers/screens';

test('a pending file, as its uploader sees it, at 390 px and 1280 px', (t) =>
  withBrowserApp(t, async ({ app, server, browser }) => {
    const rt = app.app.ruche;
    await rt.users.create({ username: 'alice', email: 'alice@example.com', password: MEMBER_PASSWORD, displayName: 'Alice Martin' });
    const { page, csp, check } = await screensPage(t, browser, 'files');
    await signInPage(page, server.url, 'alice', MEMBER_PASSWORD);
    await page.goto(`${server.url}/files`);
    await page.setInputFiles('#files-input', { name: 'Festival programme.txt', mimeType: 'text/plain', buffer: Buffer.from('Friday: opening.') });
    // One file: its page follows.
    await Promise.all([page.waitForURL(/\/files\/\d+$/), page.click('.files-upload button[type=submit]')]);
    // What a scanner plugin's upload leaves until the scan job has run.
    await rt.db('files_items').update({ state: 'pending' });
    await page.goto(`${server.url}/files`);
    t.is(await page.locator('[data-pending]').count(), 1);
    await check('checking-list');
    await page.click('.files-item__name >> nth=0');
    await page.waitForSelector('.files-checking');
    await check('checking-file');
    t.deepEqual(csp, []);
  }));
