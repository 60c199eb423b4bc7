/**
 * Signing in through a SAML identity provider in Chromium, in both themes: the sign-in page's
 * "Sign in with Corp" button, the provider's login page (tests/helpers/saml-idp.ts on
 * 127.0.0.1), its signed answer posted back, on the feed signed in, then signing out; and the
 * refusal page of an answer posted twice. Screenshots at 390 and 1280 px go to
 * tests/e2e/artifacts/sso-saml/.
 */
import test from 'ava';
import { browserAvailable } from '../helpers/browser';
import { browserAppForFile, themedScreensPage, type StartedBrowserApp } from '../helpers/browser-app';
import { startSamlIdp, type TestSamlIdp } from '../helpers/saml-idp';
import { ssoLoginPage } from '../helpers/sso';

let env: StartedBrowserApp | undefined;
let idp: TestSamlIdp | undefined;
browserAppForFile({}, async (started) => {
  env = started;
  const rt = started.app.app.ruche;
  idp = await startSamlIdp({ jane: { email: 'jane.doe@corp.example', name: 'Jane Doe', username: 'jane.doe' } });
  await rt.pluginState.enable('sso-saml');
  await rt.pluginState.configure('sso-saml', { label: 'Corp', idpMetadataUrl: idp.metadataUrl, usernameAttribute: 'uid' });
});
test.after.always(async () => {
  await idp?.stop();
});
const run = browserAvailable() ? test.serial : test.skip;

for (const theme of ['default', 'ardoise'] as const) {
  run(`${theme}: sign in through the provider's page, land on the feed, sign out; a replayed answer is refused`, async (t) => {
    const e = env!;
    const { page, csp, check } = await themedScreensPage(t, e, 'sso-saml', { theme });
    const button = await ssoLoginPage(t, page, e.url, 'Sign in with Corp');
    await check(`${theme}-login`);

    await button.click();
    await page.waitForURL(`${new URL(idp!.metadataUrl).origin}/sso?**`);
    await page.fill('input[name="login"]', 'jane');
    await Promise.all([page.waitForURL(`${new URL(idp!.metadataUrl).origin}/sso/login`), page.click('button[type="submit"]')]);
    // The provider's page posting its signed answer back, kept to post it again after.
    const answerPage = await page.content();
    await Promise.all([page.waitForURL(`${e.url}/`), page.click('button[type="submit"]')]);
    t.truthy(await page.locator('.account-menu__toggle').count(), 'signed in: the account menu is there');
    t.regex(await page.title(), /Test network/);
    await check(`${theme}-feed`);

    await page.locator('.account-menu__toggle').click();
    await Promise.all([page.waitForURL(`${e.url}/`), page.locator('form[action="/logout"] button').click()]);
    t.is(await page.locator('.account-menu__toggle').count(), 0, 'signed out');
    t.deepEqual(csp, []);

    // The same answer posted again (a replay): the refusal page, not signed in.
    await page.setContent(answerPage);
    await Promise.all([page.waitForURL(`${e.url}/sso/saml/acs`), page.click('button[type="submit"]')]);
    await page.getByText('This sign-in link has expired or was already used').waitFor();
    t.true(await page.getByRole('link', { name: 'Back to sign in' }).isVisible());
    t.is(await page.locator('.account-menu__toggle').count(), 0);
    await check(`${theme}-refused`);
    await page.close();
  });
}
