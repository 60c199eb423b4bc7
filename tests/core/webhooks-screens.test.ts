// The webhooks admin pages in headless Chromium at 390 and 1280 px, in both bundled themes:
// screenshots for review (tests/e2e/artifacts/webhooks/*.png), the secret shown once after
// subscribing, deliveries delivered and failed, nothing sticking out sideways, no CSP violation.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import test from 'ava';
import { ADMIN } from '../helpers/app';
import { browserAvailable, signInPage } from '../helpers/browser';
import { startBrowserApp } from '../helpers/browser-app';
import { screensPage } from '../helpers/screens';
import { createMember } from '../helpers/members';

test('the webhooks pages render cleanly at 390 px and 1280 px in both themes', async (t) => {
  if (!browserAvailable()) {
    t.log('no Chromium: skipped');
    t.pass();
    return;
  }
  let calls = 0;
  // Answers 200, then 500 to every other delivery: the page shows both outcomes.
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      calls++;
      res.writeHead(calls % 2 ? 200 : 500, { 'content-type': 'application/json' });
      res.end(calls % 2 ? '{"ok":true}' : '{"error":"database is down"}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const receiver = `http://127.0.0.1:${(server.address() as AddressInfo).port}/ruche/events`;
  const env = await startBrowserApp({ config: { webhooks: { allowPrivateAddresses: true } } });
  try {
    const rt = env.app.app.ruche;
    const { page, csp, check } = await screensPage(t, env.browser, 'webhooks');
    await signInPage(page, env.url, ADMIN.username, ADMIN.password, '/admin/webhooks');
    await check('empty');
    await page.fill('#field-url', 'not an address');
    await page.locator('#field-url').evaluate((el) => el.setAttribute('type', 'text'));
    await Promise.all([page.waitForLoadState('load'), page.click('form.form button[type=submit]')]);
    t.is(await page.locator('.field__error').count(), 2);
    await check('errors');
    await page.fill('#field-url', receiver);
    await page.fill('#field-description', 'HR system: new members');
    await page.check('#event-core\\.member\\.joined');
    await page.check('#event-activity\\.posted');
    await Promise.all([page.waitForLoadState('load'), page.click('form.form button[type=submit]')]);
    t.regex((await page.textContent('.token-value')) ?? '', /^whsec_/);
    await check('created');
    await createMember(rt, 'nadia', { displayName: 'Nadia Benali' });
    await createMember(rt, 'oscar', { displayName: 'Oscar Lind' });
    await rt.jobs.runDue({ now: Date.now() }); // the dispatch jobs
    await rt.jobs.runDue({ now: Date.now() }); // the deliveries they queued
    await page.click('a.webhook-url');
    t.is(await page.locator('tr[data-status=delivered]').count(), 1);
    t.is(await page.locator('tr[data-status=retrying]').count(), 1);
    await page.locator('tr[data-status=retrying] details summary').first().click();
    await check('deliveries');
    await rt.networks.update(rt.networks.root().id, { theme: 'ardoise' });
    await page.reload();
    await check('deliveries-ardoise');
    await page.goto(`${env.url}/admin/webhooks`);
    await check('list-ardoise');
    t.deepEqual(csp, []);
  } finally {
    await env.close();
    await new Promise((resolve) => server.close(resolve));
  }
});
