/**
 * In a real browser: a root admin creates the "Usine Lyon" sub-network on its own host name
 * from the admin page; a visitor opens that host (mapped to 127.0.0.1 by Chromium's
 * --host-resolver-rules), registers with an @lyon.example.test address, follows the emailed
 * link, signs in on the Lyon host and posts a status there. Screenshots of the admin page
 * and the network switcher at 390px and 1280px go to tests/e2e/artifacts/subnetworks/.
 */
import test from 'ava';
import type { Browser, Page } from 'playwright-core';
import { listen } from '../../../core';
import { ADMIN, makeApp } from '../../helpers/app';
import { artifactPath, browserAvailable, freePort, launchBrowser, signInPage } from '../../helpers/browser';
import { freshDatabase } from '../../helpers/databases';
import { lastMailTo } from '../../helpers/mail';

const HOST = 'lyon.example.test';
const PASSWORD = 'honey on warm toast 7';
const run = browserAvailable() ? test.serial : test.skip;

async function shoot(page: Page, name: string): Promise<void> {
  for (const [label, width] of [
    ['phone', 390],
    ['desktop', 1280],
  ] as const) {
    await page.setViewportSize({ width, height: 844 });
    await page.screenshot({ path: artifactPath(`subnetworks/${name}-${label}.png`), fullPage: true });
  }
  await page.setViewportSize({ width: 1280, height: 844 });
}

run('create a sub-network on its own host, join it by email domain, post there', async (t) => {
  const db = await freshDatabase('sqlite');
  const port = await freePort();
  const siteUrl = `http://127.0.0.1:${port}`;
  const app = await makeApp(db, { config: { siteUrl, port } });
  const server = await listen(app.app, port, '127.0.0.1');
  let browser: Browser | undefined;
  try {
    browser = await launchBrowser([`--host-resolver-rules=MAP ${HOST} 127.0.0.1`]);
    const rt = app.app.ruche;
    // The root admin creates the sub-network.
    const admin = await (await browser.newContext()).newPage();
    await signInPage(admin, siteUrl, ADMIN.username, ADMIN.password);
    await admin.goto(`${siteUrl}/admin/networks`);
    await admin.fill('#field-slug', 'lyon');
    await admin.fill('#field-name', 'Usine Lyon');
    await admin.fill('#field-host', HOST);
    await admin.selectOption('#field-joinPolicy', 'domain');
    await admin.fill('#field-domains', HOST);
    await Promise.all([admin.waitForURL(`${siteUrl}/admin/networks`), admin.click('form.admin-form button[type=submit]')]);
    t.regex((await admin.textContent('main')) ?? '', /Usine Lyon is created/);
    await shoot(admin, 'admin');
    const lyon = rt.networks.slug('lyon')!;
    t.is(lyon.host, HOST);

    // A visitor joins on the Lyon host with a matching address.
    const lyonUrl = `http://${HOST}:${port}`;
    const page = await (await browser.newContext()).newPage();
    await page.goto(`${lyonUrl}/register`);
    t.regex((await page.textContent('.brand__name')) ?? '', /Usine Lyon/);
    await page.fill('#field-username', 'leo');
    await page.fill('#field-displayName', 'Léo Martin');
    await page.fill('#field-email', 'leo@lyon.example.test');
    await page.fill('#field-password', PASSWORD);
    await page.fill('#field-passwordConfirm', PASSWORD);
    await Promise.all([page.waitForLoadState(), page.click('main form button[type=submit]')]);
    const mail = await lastMailTo(db.dataDir, 'leo@lyon.example.test');
    await page.goto(mail.link);
    // The link is on the Lyon host (issue 27, item 1), where verifying the address signs Léo in.
    t.truthy(await page.$('[data-indicator="notifications"]'), 'signed in on the Lyon host');
    await page.goto(`${lyonUrl}/`);
    await page.fill('#status-body', 'Bonjour à toute l’usine de Lyon !');
    await page.selectOption('.activity-composer select[name=access]', 'network');
    await Promise.all([page.waitForURL(/\/$|\/status\/\d+$/), page.click('.activity-composer button[type=submit]')]);
    const post = await rt
      .db('entities as e')
      .join('users as u', 'u.id', 'e.owner_id')
      .where('u.username_lower', 'leo')
      .where('e.type', 'status')
      .first('e.network_id', 'e.access');
    t.deepEqual({ network: Number(post.network_id), access: post.access }, { network: lyon.id, access: 'network' });
    await page.goto(`${lyonUrl}/activity`);
    t.regex((await page.textContent('main')) ?? '', /Bonjour à toute l’usine de Lyon/);
    // Not on the root network.
    const root = await (await browser.newContext()).newPage();
    await signInPage(root, siteUrl, ADMIN.username, ADMIN.password);
    await root.goto(`${siteUrl}/activity`);
    t.notRegex((await root.textContent('main')) ?? '', /Bonjour à toute/);
    // The switcher, open, on the Lyon host.
    await page.goto(`${lyonUrl}/`);
    await page.click('.account-menu__toggle');
    t.truthy(await page.$('a.account-menu__item:has-text("Go to")'));
    await shoot(page, 'switcher');
  } finally {
    await browser?.close();
    await server.stop();
    await db.drop();
  }
});
