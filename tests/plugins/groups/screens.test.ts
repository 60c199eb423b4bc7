// The groups pages in headless Chromium at phone and desktop widths: screenshots for review
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
// (tests/e2e/artifacts/groups/*.png), nothing sticking out sideways, no CSP violation; a
// member creates a group through the real form and posts into it from its page.
import test from 'ava';
import sharp from 'sharp';
import type { Knex } from 'knex';
import type { Page } from 'playwright-core';
import type { Runtime } from '../../../core';
import { DESKTOP, shootWidths, signInPage } from '../../helpers/browser';
import { withBrowserApp } from '../../helpers/browser-app';
import { screensPage } from '../../helpers/screens';
import { saveCover } from '../../../plugins/groups/cover';
import { GroupsService } from '../../../plugins/groups/service';
import { PASSWORD } from './support';

const shoot = (page: Page, name: string) => shootWidths(page, `groups/${name}`);

async function status(rt: Runtime, ownerId: number, body: string, containerId: number, access: 'network' | 'group', at: number): Promise<void> {
  await rt.db.transaction(async (trx: Knex) => {
    const id = await rt.entities.create({ type: 'status', ownerId, networkId: 1, access, containerId, createdAt: at }, trx);
    await trx('status_posts').insert({ entity_id: id, body });
    await rt.activity.record({ verb: 'posted', actorId: ownerId, entityId: id, networkId: 1, at }, trx);
  });
}

test('groups pages render cleanly at 390 px and 1280 px; a member creates a group and posts into it', (t) =>
  withBrowserApp(t, async ({ app, server, browser }) => {
    const rt = app.app.ruche;
    const user = async (username: string, displayName: string) => {
      const r = await rt.users.create({ username, email: `${username}@example.com`, password: PASSWORD, displayName });
      if (!('id' in r)) throw new Error('user');
      return r.id;
    };
    const alice = await user('alice', 'Alice Liddell');
    const bob = await user('bob', 'Bob Marley');
    const carol = await user('carol', 'Carol Danvers');
    const svc = rt.container.resolve(GroupsService);
    const as = async (id: number) => (await rt.users.viewer(id))!;
    const banner = await sharp({ create: { width: 1600, height: 600, channels: 3, background: { r: 46, g: 125, b: 110 } } })
      .composite([
        {
          input: Buffer.from(
            '<svg width="1600" height="600"><circle cx="1300" cy="150" r="260" fill="#f2c14e"/><circle cx="300" cy="520" r="300" fill="#1d4e89"/></svg>',
          ),
        },
      ])
      .png()
      .toBuffer();
    const spool = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ruche-banner-')), 'b.png');
    fs.writeFileSync(spool, banner);
    const cover = await saveCover(rt.storage, {
      field: 'cover',
      filename: 'b.png',
      declaredType: 'image/png',
      size: banner.length,
      path: spool,
      head: banner.subarray(0, 4100),
      read: async () => banner,
      open: () => fs.createReadStream(spool),
      data: banner,
    });
    const group = async (owner: number, fields: Parameters<typeof svc.create>[2], coverKey: string | null = null) =>
      svc.create(await as(owner), 1, fields, coverKey);
    const garden = await group(
      alice,
      {
        name: 'Community garden',
        description: 'We grow **vegetables** together on Saturdays.\n\n- tools shared\n- seeds swapped',
        category: 'social',
        visibility: 'open',
      },
      cover.key!,
    );
    const board = await group(carol, {
      name: 'Works council',
      description: 'Minutes, agendas and votes of the elected council. Members only.',
      category: 'business',
      visibility: 'closed',
    });
    await group(carol, { name: 'Release planning with a rather long name that wraps', description: '', category: 'business', visibility: 'closed' });
    const secret = await group(carol, { name: 'Surprise party', description: 'Shh.', category: 'social', visibility: 'secret' });
    await svc.join(await as(bob), (await svc.find(garden))!);
    await svc.invite(await as(carol), (await svc.find(secret))!, 'alice');
    await svc.join(await as(alice), (await svc.find(board))!);
    const now = Date.now();
    await status(rt, bob, 'First tomatoes of the season! Who wants some? #garden', garden, 'network', now - 3600_000);
    await status(rt, alice, 'Tool shed is open this Saturday from 9am.', garden, 'group', now - 600_000);

    const { page, csp, check, checkRefused } = await screensPage(t, browser, 'groups');
    await signInPage(page, server.url, 'alice', PASSWORD);
    await page.goto(`${server.url}/groups`);
    await check('directory');
    await page.goto(`${server.url}/groups/${garden}`);
    await check('group-member');
    await page.goto(`${server.url}/groups/mine`);
    t.regex((await page.textContent('main')) ?? '', /Surprise party/);
    await check('mine');
    await page.goto(`${server.url}/groups/${garden}/edit`);
    await check('edit');
    await page.goto(`${server.url}/groups/${garden}/members`);
    await check('members');

    // A member posts from the group page and comes back to it.
    await page.setViewportSize(DESKTOP);
    await page.goto(`${server.url}/groups/${garden}`);
    await page.fill('#status-body', 'Posted from the group page');
    await Promise.all([page.waitForURL(`**/groups/${garden}`), page.click('form.activity-composer button[type=submit]')]);
    t.regex((await page.textContent('main')) ?? '', /Posted from the group page/);

    // Creating a group through the form, with an error first.
    await page.goto(`${server.url}/groups/new`);
    await checkRefused('new-errors', 'form.form button[type=submit]', { '#field-description': 'Kept after the error' });
    await page.fill('#field-name', 'Chess club');
    await page.check('#visibility-closed');
    await Promise.all([page.waitForURL(/\/groups\/\d+$/), page.click('form.form button[type=submit]')]);
    t.regex((await page.textContent('h1')) ?? '', /Chess club/);

    const outsider = await browser.newPage({ viewport: DESKTOP });
    await signInPage(outsider, server.url, 'bob', PASSWORD);
    await outsider.goto(`${server.url}/groups/${board}`);
    t.regex((await outsider.textContent('main')) ?? '', /Ask to join/);
    for (const overflow of Object.values(await shoot(outsider, 'group-closed-outsider'))) {
      t.is(overflow, 0);
    }
    t.deepEqual(csp, [], 'no CSP violation');
  }));
