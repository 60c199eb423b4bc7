// The API token page (scope choice) and the API reference in headless Chromium at 390 and
// 1280 px, in both bundled themes: screenshots for review (tests/e2e/artifacts/api/*.png),
// nothing sticking out sideways, no CSP violation.
import test from 'ava';
import { ADMIN } from '../helpers/app';
import { browserAvailable, signInPage } from '../helpers/browser';
import { startBrowserApp } from '../helpers/browser-app';
import { screensPage } from '../helpers/screens';

test('the token page and the API reference render cleanly at 390 px and 1280 px in both themes', async (t) => {
  if (!browserAvailable()) {
    t.log('no Chromium: skipped');
    t.pass();
    return;
  }
  const env = await startBrowserApp();
  try {
    const rt = env.app.app.ruche;
    await rt.apiTokens.create(1, 'Weekly report', 'read');
    await rt.apiTokens.create(1, 'Build bot', 'write');
    const { page, csp, check } = await screensPage(t, env.browser, 'api');
    await signInPage(page, env.url, ADMIN.username, ADMIN.password, '/account/tokens');
    await page.fill('#field-name', 'Dashboard');
    await page.check('#scope-admin');
    await Promise.all([page.waitForLoadState('load'), page.click('form.form button[type=submit]')]);
    t.regex((await page.textContent('.token-value')) ?? '', /^ruche_/);
    t.is(await page.locator('.table tbody tr').count(), 3);
    await check('tokens');
    await page.goto(`${env.url}/api-docs`);
    t.true((await page.locator('.api-op').count()) >= 15);
    await check('reference');
    await rt.networks.update(rt.networks.root().id, { theme: 'ardoise' });
    await page.goto(`${env.url}/account/tokens`);
    await check('tokens-ardoise');
    await page.goto(`${env.url}/api-docs`);
    await page.locator('.api-op__response summary').first().click();
    await check('reference-ardoise');
    t.deepEqual(csp, []);
  } finally {
    await env.close();
  }
});
