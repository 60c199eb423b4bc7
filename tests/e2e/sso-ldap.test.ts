/**
 * Signing in with the directory password in Chromium, in both themes, against a real OpenLDAP
 * (slapd on 127.0.0.1): the sign-in page's "Sign in with Corp directory" button, Ruche's
 * directory form (a wrong password first: the form again, the username kept), then the feed
 * signed in, then signing out; the profile form with the fields the directory keeps locked;
 * and the "SSO only" sign-in page. Screenshots at 390 and 1280 px go to
 * tests/e2e/artifacts/sso-ldap/.
 */
import test from 'ava';
import { browserAvailable } from '../helpers/browser';
import { browserAppForFile, themedScreensPage, type StartedBrowserApp } from '../helpers/browser-app';
import { slapdAvailable, SLAPD_MISSING, startDirectory, type LdapDirectory } from '../helpers/ldap-server';
import { ssoLoginPage } from '../helpers/sso';
import { GROUPS, LDAP_SETTINGS, PEOPLE } from '../plugins/sso-ldap/support';

let env: StartedBrowserApp | undefined;
let directory: LdapDirectory | undefined;
const ldap = slapdAvailable();
browserAppForFile({}, async (started) => {
  if (!ldap) return;
  env = started;
  const rt = started.app.app.ruche;
  directory = await startDirectory(PEOPLE, GROUPS);
  await rt.pluginState.enable('sso-ldap');
  await rt.pluginState.configure('sso-ldap', { ...LDAP_SETTINGS, groupMap: '', url: directory.url });
});
test.after.always(async () => {
  await directory?.stop();
});
const run = browserAvailable() && ldap ? test.serial : test.skip;
const note = ldap ? '' : ` — ${SLAPD_MISSING}`;

for (const theme of ['default', 'ardoise'] as const) {
  run(`${theme}: sign in with the directory password, land on the feed, see the locked fields, sign out${note}`, async (t) => {
    const e = env!;
    const { page, csp, check } = await themedScreensPage(t, e, 'sso-ldap', { theme, ssoOnly: false });
    const button = await ssoLoginPage(t, page, e.url, 'Sign in with Corp directory');
    await Promise.all([page.waitForURL(`${e.url}/sso/ldap**`), button.click()]);

    await page.fill('input[name="login"]', 'jane');
    await page.fill('input[name="password"]', 'not her password');
    await Promise.all([page.waitForLoadState('load'), page.click('button[type="submit"]')]);
    await page.getByText('The username or password is not right.').waitFor();
    t.is(await page.inputValue('input[name="login"]'), 'jane', 'the username typed is kept');
    await check(`${theme}-form-error`);

    await page.fill('input[name="password"]', 'jane-pass');
    await Promise.all([page.waitForURL(`${e.url}/`), page.click('button[type="submit"]')]);
    t.truthy(await page.locator('.account-menu__toggle').count(), 'signed in: the account menu is there');
    await check(`${theme}-feed`);

    await page.goto(`${e.url}/profile/edit`);
    t.is(await page.getAttribute('#field-department', 'readonly'), '');
    t.is(await page.inputValue('#field-department'), 'R&D');
    await check(`${theme}-profile-locked`);

    await page.locator('.account-menu__toggle').click();
    await Promise.all([page.waitForURL(`${e.url}/`), page.locator('form[action="/logout"] button').click()]);
    t.is(await page.locator('.account-menu__toggle').count(), 0, 'signed out');
    t.deepEqual(csp, []);
    await page.close();
  });

  run(`${theme}: SSO only, the password form is folded under Administrator sign-in${note}`, async (t) => {
    const e = env!;
    const rt = e.app.app.ruche;
    const { page, check } = await themedScreensPage(t, e, 'sso-ldap', { theme, ssoOnly: true });
    await page.context().clearCookies();
    await page.goto(`${e.url}/login`);
    t.true(await page.getByRole('link', { name: 'Sign in with Corp directory' }).isVisible());
    t.false(await page.locator('input[name="password"]').isVisible(), 'folded');
    await check(`${theme}-sso-only`);
    await page.getByText('Administrator sign-in').click();
    t.true(await page.locator('input[name="password"]').isVisible());
    await check(`${theme}-sso-only-open`);
    await rt.networks.update(rt.networks.root().id, { ssoOnly: false });
    await page.close();
  });
}
