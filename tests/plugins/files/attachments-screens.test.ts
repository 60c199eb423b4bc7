// A status post with photos and a document attached, in headless Chromium at 390 and 1280 px,
// in both themes (tests/e2e/artifacts/files-attachments/*.png, reviewed by eye): the composer's
// file field, a file dropped on the form (drag and drop), the post sent with the script
// (XMLHttpRequest, progress), the card's thumbnails and document chip, the attached file's page
// leading back to the post. No CSP violation, nothing sticking out sideways.
import test from 'ava';
import { signInPage } from '../../helpers/browser';
import { withBrowserApp } from '../../helpers/browser-app';
import { MEMBER_PASSWORD } from '../../helpers/members';
import { screensPage, waitInPage } from '../../helpers/screens';
import { filesOnDisk, jpeg, pdf, PHOTO_SHAPES, startFilesWalk } from './support';

test('a status post with photos and a document attached: composer, drop, upload with progress, card, file page, both themes', (t) =>
  withBrowserApp(t, async ({ db, app, server, browser }) => {
    const rt = await startFilesWalk(app, ['alice']);
    const files = await filesOnDisk(db.dataDir, [
      ...PHOTO_SHAPES.slice(0, 3).map(([colour, w, h], i): [string, Promise<Buffer>] => [`rehearsal-${i + 1}.jpg`, jpeg(colour, w, h)]),
      ['Rehearsal schedule, July.pdf', pdf()],
    ]);

    const { page, csp, check } = await screensPage(t, browser, 'files-attachments');
    await signInPage(page, server.url, 'alice', MEMBER_PASSWORD);
    await page.goto(`${server.url}/activity`);
    t.is(await page.locator('form.activity-composer input[type=file][name=attachments]').count(), 1, 'the composer has the file field');
    await page.fill('#status-body', 'Photos from yesterday’s rehearsal, and the schedule for July.');
    // A file dropped on the form lands in the field.
    await page.evaluate(`(() => {
      const form = document.querySelector('form.activity-composer');
      const data = new DataTransfer();
      data.items.add(new File(['notes'], 'dropped.txt', { type: 'text/plain' }));
      form.dispatchEvent(new DragEvent('dragover', { dataTransfer: data, bubbles: true, cancelable: true }));
      form.dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }));
    })()`);
    t.is(await page.evaluate<string>('document.querySelector("#attach-status").files[0].name'), 'dropped.txt');
    t.regex((await page.textContent('[data-files-status]')) ?? '', /Files attached: 1/);
    await page.setInputFiles('#attach-status', files);
    t.regex((await page.textContent('[data-files-status]')) ?? '', /Files attached: 4/);
    await check('composer');
    await page.click('form.activity-composer button[type=submit]');
    await page.waitForSelector('.files-attached__images img');
    t.is(await page.locator('.activity-entry').first().locator('.files-attached__images img').count(), 3, 'three thumbnails on the card');
    t.regex((await page.locator('.activity-entry').first().locator('.files-chip').textContent()) ?? '', /Rehearsal schedule, July\.pdf/);
    await waitInPage(page, 'Array.from(document.querySelectorAll(".files-attached__images img")).every((i) => i.complete && i.naturalWidth > 0)');
    await check('feed');
    const statusId = Number((await rt.db('entities').where({ type: 'status' }).first('id')).id);
    await page.goto(`${server.url}/status/${statusId}`);
    await check('status');
    await page.click('.files-chip');
    await page.waitForSelector('[data-attached-to]');
    await check('attached-document');
    await page.click('[data-attached-to]');
    await page.waitForURL(new RegExp(`/status/${statusId}$`));

    await rt.networks.update(rt.networks.root().id, { theme: 'ardoise' });
    await page.goto(`${server.url}/activity`);
    await check('ardoise-feed');
    await page.goto(`${server.url}/status/${statusId}`);
    await check('ardoise-status');
    t.deepEqual(csp, [], 'no CSP violation');
  }));
