// A reported file in the moderation queue, in a real Chromium (issue 22): Mona sees the group's
// file with its name, type, size, folder and group and a download link, a reported photo with
// its thumbnail, and a reported album with its title, photo count, group, a link to its photos
// and its cover; she hides the file and the history keeps the same line. 390 and 1280 px,
// nothing sticking out sideways, no Content Security Policy complaint.
import test from 'ava';
import { signInPage } from '../../helpers/browser';
import { withBrowserApp } from '../../helpers/browser-app';
import { createMember, createMembers, formGroup, MEMBER_PASSWORD, pageAgent, signedIn } from '../../helpers/members';
import { screensPage, submitAndLoad } from '../../helpers/screens';
import { fileId, png, upload } from '../files/support';

test('a reported file and photo in the queue and the history', (t) =>
  withBrowserApp(t, async ({ app, server, browser }) => {
    const rt = app.app.ruche;
    const { cora, dora } = await createMembers(rt, { gina: 'Gina Torres', cora: 'Cora Pearl', dora: 'Dora Maar', oscar: 'Oscar Wilde' });
    await createMember(rt, 'mona', { displayName: 'Mona Lisa', role: 'moderator' });
    const as = async (username: string) => pageAgent(await signedIn(app, username), '/files');
    const [gina, coraAgent, doraAgent, oscar] = [await as('gina'), await as('cora'), await as('dora'), await as('oscar')];
    const group = await formGroup(gina, rt, { name: 'Festival team', description: '', category: 'social', visibility: 'closed' }, [cora, dora]);
    const folder = Number(
      /folder=(\d+)$/.exec((await coraAgent.post(`/files/in/${group}/folders`, { name: 'Meeting minutes' })).headers.location)?.[1],
    );
    const minutes = fileId(
      await upload(
        coraAgent,
        [{ data: Buffer.from('Minutes of the June meeting\n'.repeat(60)), name: 'minutes-june-2026.txt', type: 'text/plain' }],
        {
          container: String(group),
          folder: String(folder),
        },
      ),
    );
    const photo = fileId(await upload(oscar, [{ data: await png(800, 600), name: 'beach-party.png', type: 'image/png' }], { access: 'members' }));
    const album = Number(
      /\/files\/albums\/(\d+)$/.exec(
        (await coraAgent.post('/files/albums', { title: 'Rehearsal photos', access: 'group', container: String(group) })).headers.location,
      )?.[1],
    );
    t.is((await upload(coraAgent, [{ data: await png(640, 480), name: 'stage.png', type: 'image/png' }], { album: String(album) })).status, 303);
    t.is((await doraAgent.post(`/moderation/report/entity/${album}`, { reason: 'offCharter', note: '' })).status, 303);
    t.is((await doraAgent.post(`/moderation/report/entity/${minutes}`, { reason: 'confidential', note: 'These minutes name people.' })).status, 303);
    t.is((await coraAgent.post(`/moderation/report/entity/${photo}`, { reason: 'spam', note: '' })).status, 303);

    const { page, csp, check } = await screensPage(t, browser, 'moderation-files');
    await signInPage(page, server.url, 'mona', MEMBER_PASSWORD, '/moderation');
    const item = page.locator(`[data-target="entity-${minutes}"]`);
    t.regex(await item.innerText(), /minutes-june-2026\.txt[\s\S]*In the folder “Meeting minutes”[\s\S]*In Festival team[\s\S]*Download/);
    t.true(await page.locator(`[data-target="entity-${photo}"] img.moderation-item__thumb`).isVisible());
    await page.waitForFunction(
      (sel) => (document.querySelector(sel) as HTMLImageElement | null)?.complete === true,
      `[data-target="entity-${photo}"] img`,
    );
    const albumItem = page.locator(`[data-target="entity-${album}"]`);
    t.regex(await albumItem.innerText(), /Album “Rehearsal photos”[\s\S]*1 photo[\s\S]*In Festival team[\s\S]*See its photos/);
    await page.waitForFunction(
      (sel) => (document.querySelector(sel) as HTMLImageElement | null)?.complete === true,
      `[data-target="entity-${album}"] img.moderation-item__thumb`,
    );
    await check('queue-files');
    await submitAndLoad(page, () => item.getByRole('button', { name: 'Hide' }).click());
    await page.goto(`${server.url}/moderation/history`);
    t.regex(await page.locator(`[data-target="entity-${minutes}"]`).innerText(), /minutes-june-2026\.txt[\s\S]*Download/);
    await check('history-files');
    t.deepEqual(csp, [], 'no Content Security Policy violation');
  }));
