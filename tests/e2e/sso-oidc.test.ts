/**
 * Signing in through an OpenID Connect provider in Chromium, in both themes: the sign-in page's
 * "Sign in with Corp" button, the provider's own login page (a real `oidc-provider` on
 * 127.0.0.1), back on the feed signed in, then signing out of Ruche and of the provider
 * (RP-initiated logout: the provider's confirmation, back on Ruche); and the refusal page of a suspended
 * member. Screenshots at 390 and 1280 px go to tests/e2e/artifacts/sso/.
 */
import test from 'ava';
import { browserAvailable } from '../helpers/browser';
import { browserAppForFile, themedScreensPage, type StartedBrowserApp } from '../helpers/browser-app';
import { IDP_CLIENT, startIdp, type TestIdp } from '../helpers/oidc-idp';
import { createMember } from '../helpers/members';
import { ssoLoginPage } from '../helpers/sso';

let env: StartedBrowserApp | undefined;
let idp: TestIdp | undefined;
browserAppForFile({}, async (started) => {
  env = started;
  const rt = started.app.app.ruche;
  idp = await startIdp({
    redirectUris: [`${started.url}/sso/oidc/callback`],
    postLogoutRedirectUris: [`${started.url}/`],
    accounts: {
      jane: { email: 'jane.doe@corp.example', email_verified: true, name: 'Jane Doe', preferred_username: 'jane.doe' },
      bob: { email: 'bob@example.com', email_verified: true, name: 'Bob', preferred_username: 'bob' },
    },
  });
  await rt.pluginState.enable('sso-oidc');
  await rt.pluginState.configure('sso-oidc', { label: 'Corp', issuer: idp.issuer, clientId: IDP_CLIENT.id, clientSecret: IDP_CLIENT.secret });
  await rt.users.setStatus(await createMember(rt, 'bob'), 'suspended');
});
test.after.always(async () => {
  await idp?.stop();
});
const run = browserAvailable() ? test.serial : test.skip;

for (const theme of ['default', 'ardoise'] as const) {
  run(`${theme}: sign in through the provider's pages, land on the feed, sign out here and there`, async (t) => {
    const e = env!;
    const { page, csp, check } = await themedScreensPage(t, e, 'sso', { theme });
    const button = await ssoLoginPage(t, page, e.url, 'Sign in with Corp');
    await check(`${theme}-login`);

    await button.click();
    await page.waitForURL(`${idp!.issuer}/**`);
    await page.fill('input[name="login"]', 'jane');
    await page.fill('input[name="password"]', 'anything');
    await Promise.all([page.waitForURL(`${e.url}/`), page.click('button[type="submit"]')]);
    t.truthy(await page.locator('.account-menu__toggle').count(), 'signed in: the account menu is there');
    t.regex(await page.title(), /Test network/);
    await check(`${theme}-feed`);

    // Signed out of Ruche, then on to the provider at once (the Refresh header). In the default
    // theme the header is held back once to look at the page, whose link goes on.
    const hold = theme === 'default';
    if (hold)
      await page.route(`${e.url}/logout`, async (route) => {
        const answer = await route.fetch();
        const headers = answer.headers();
        t.regex(headers.refresh ?? '', /^0; url=http:\/\/127\.0\.0\.1:\d+\/session\/end\?/);
        delete headers.refresh;
        await route.fulfill({ response: answer, headers });
      });
    await page.locator('.account-menu__toggle').click();
    await page.locator('form[action="/logout"] button').click();
    if (hold) {
      const going = page.getByRole('link', { name: 'Continue' });
      await going.waitFor();
      t.true(await page.getByText('You are signed out.').isVisible());
      await check('signing-out');
      await going.click();
    }
    await page.getByRole('button', { name: /sign me out/i }).click();
    await page.waitForURL(`${e.url}/`);
    t.is(await page.locator('.account-menu__toggle').count(), 0, 'signed out');
    // The provider's session ended too: a new sign-in shows its login page again.
    await page.goto(`${e.url}/sso/oidc/start`);
    await page.locator('input[name="login"]').waitFor();
    t.deepEqual(csp, []);
    await page.close();
  });

  run(`${theme}: a suspended member gets the refusal page`, async (t) => {
    const e = env!;
    const { page, check } = await themedScreensPage(t, e, 'sso', { theme });
    await page.context().clearCookies();
    await page.goto(`${e.url}/sso/oidc/start`);
    await page.waitForURL(`${idp!.issuer}/**`);
    await page.fill('input[name="login"]', 'bob');
    await page.fill('input[name="password"]', 'anything');
    await Promise.all([page.waitForURL(`${e.url}/sso/oidc/callback**`), page.click('button[type="submit"]')]);
    await page.getByText('Your account is suspended').waitFor();
    t.true(await page.getByRole('link', { name: 'Back to sign in' }).isVisible());
    await check(`${theme}-refused`);
    await page.close();
  });
}
