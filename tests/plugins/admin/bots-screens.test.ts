// Admin → Bots in headless Chromium at 390 px and 1280 px, default and ardoise themes
// (tests/e2e/artifacts/admin-bots/*.png): the list with its creation form (refused first:
// nothing typed is lost), a bot's page with a token just created, and the group feed where
// the bot's post carries its "Bot" badge. The bot is created with an avatar (a rendered
// gradient), shown on its page, in the list and on its post's card. Nothing sticks out sideways, no CSP violation.
import test from 'ava';
import sharp from 'sharp';
import request from 'supertest';
import { ADMIN } from '../../helpers/app';
import { withBrowserApp } from '../../helpers/browser-app';
import { createMember } from '../../helpers/members';
import { screensPage } from '../../helpers/screens';
import { GroupsService } from '../../../plugins/groups/service';

test('bots: the list and its form, a bot’s page with its token, its post with the badge', async (t) => {
  await withBrowserApp(t, async ({ app, server, browser }) => {
    const rt = app.app.ruche;
    const root = rt.networks.root().id;
    const adminId = Number((await rt.db('users').where({ username_lower: ADMIN.username }).first('id')).id);
    const amelie = await createMember(rt, 'amelie', { displayName: 'Amélie Durand' });
    const svc = rt.container.resolve(GroupsService);
    const viewer = async (id: number) => (await rt.users.viewer(id))!;
    const builds = await svc.create(
      await viewer(adminId),
      root,
      { name: 'Release engineering', description: 'Builds and releases.', category: 'business', visibility: 'open' },
      null,
    );
    await svc.create(
      await viewer(amelie),
      root,
      { name: 'Design reviews', description: 'Mock-ups.', category: 'business', visibility: 'open' },
      null,
    );

    const { page, csp, check } = await screensPage(t, browser, 'admin-bots');
    await page.goto(`${server.url}/login?next=/admin/bots`);
    await page.fill('#field-login', ADMIN.username);
    await page.fill('#field-password', ADMIN.password);
    await Promise.all([page.waitForURL(`${server.url}/admin/bots`), page.click('form.form button[type=submit]')]);

    // Refused (groups chosen, none checked): the name and username are kept.
    await page.fill('#field-displayName', 'Release notes');
    await page.fill('#field-username', 'release-notes');
    await page.fill('#field-description', 'Posts the notes of every release in Release engineering.');
    await page.check('#scope-groups');
    await page.click('form.form button[type=submit]');
    await page.waitForSelector('.field--invalid');
    t.is(await page.inputValue('#field-displayName'), 'Release notes');
    t.is(await page.inputValue('#field-username'), 'release-notes');
    await check('default-create-refused');
    await page.check(`#group-${builds}`);
    const svg =
      '<svg xmlns="http://www.w3.org/2000/svg" width="200" height="200"><defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="#2b6cb0"/><stop offset="1" stop-color="#38b2ac"/></linearGradient></defs><rect width="200" height="200" fill="url(#g)"/><circle cx="100" cy="100" r="46" fill="#fff" opacity="0.9"/></svg>';
    const avatar = await sharp(Buffer.from(svg)).png().toBuffer();
    await page.setInputFiles('#field-avatar', { name: 'release.png', mimeType: 'image/png', buffer: avatar });
    await Promise.all([page.waitForURL(/\/admin\/bots\/\d+$/), page.click('form.form button[type=submit]')]);
    const botId = Number(/(\d+)$/.exec(page.url())![1]);
    t.regex(String((await rt.db('users').where({ id: botId }).first('photo_key')).photo_key), /^[a-f0-9]{20}$/);

    await page.fill('#field-name', 'CI server');
    await Promise.all([page.waitForURL(`**/admin/bots/${botId}/tokens`), page.click('form[action$="/tokens"] button[type=submit]')]);
    const token = (await page.textContent('.token-value'))!.trim();
    t.regex(token, /^ruche_/);
    await check('default-token-created');

    const posted = await request(app.app.callback())
      .post('/api/v1/status')
      .set('Authorization', `Bearer ${token}`)
      .send({ body: 'Release 4.2.0 is out: faster feeds, bots, and keyset paging everywhere.', containerId: builds });
    t.is(posted.status, 201);
    await createMember(rt, 'bastien', { displayName: 'Bastien Morel' });

    for (const theme of ['default', 'ardoise'] as const) {
      await rt.networks.update(root, { theme });
      await page.goto(`${server.url}/admin/bots`);
      await check(`${theme}-list`);
      await page.goto(`${server.url}/admin/bots/${botId}`);
      await check(`${theme}-bot`);
      await page.goto(`${server.url}/groups/${builds}`);
      await page.locator('.activity-entry .badge--bot').first().waitFor();
      await check(`${theme}-feed-badge`);
    }
    t.deepEqual(csp, [], 'no Content-Security-Policy violation');
  });
});
