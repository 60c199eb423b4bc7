// The members console in headless Chromium at 390 px and 1280 px, default and ardoise themes
// (tests/e2e/artifacts/admin-members/*.png): the list filtered from its form, a member
// suspended from their page with a refused form first (nothing typed is lost), the banned
// members with a ban lifted, the bulk invitation page with its per-line errors; nothing sticks out sideways, no CSP violation.
import test from 'ava';
import { ADMIN } from '../../helpers/app';
import { withBrowserApp } from '../../helpers/browser-app';
import { createMember } from '../../helpers/members';
import { screensPage } from '../../helpers/screens';

test('members console: filter the list, suspend a member, invite by the list', async (t) => {
  await withBrowserApp(t, async ({ app, server, browser }) => {
    const rt = app.app.ruche;
    const root = rt.networks.root().id;
    const names = ['Amélie Durand', 'Bastien Morel', 'Chloé Petit', 'Driss Benali', 'Emma Lefèvre'];
    const ids: number[] = [];
    for (const [i, name] of names.entries()) {
      ids.push(await createMember(rt, `member${i + 1}`, { displayName: name, role: i === 1 ? 'moderator' : 'member' }));
    }
    await rt.suspensions.suspend(ids[3], { reason: 'Repeated spam in the groups', until: Date.now() + 7 * 86_400_000 });
    const { page, csp, check } = await screensPage(t, browser, 'admin-members');
    await page.goto(`${server.url}/login?next=/admin/members`);
    await page.fill('#field-login', ADMIN.username);
    await page.fill('#field-password', ADMIN.password);
    // The whole address: the login page's own (`/login?next=/admin/members`) ends the same way, and a
    // glob let the wait end before the sign-in did (CI, under load: 0 rows counted on the login page).
    await Promise.all([page.waitForURL(`${server.url}/admin/members`), page.click('form.form button[type=submit]')]);
    await page.locator('.members-table tbody tr').first().waitFor();
    t.is(await page.locator('.members-table tbody tr').count(), 6);

    for (const theme of ['default', 'ardoise'] as const) {
      await rt.networks.update(root, { theme });
      await page.goto(`${server.url}/admin/members`);
      await check(`${theme}-list`);
    }
    await rt.networks.update(root, { theme: 'default' });
    await page.goto(`${server.url}/admin/members`);
    await page.selectOption('#members-role', 'moderator');
    await Promise.all([page.waitForURL('**/admin/members?*'), page.click('form.audit-filters button[type=submit]')]);
    t.deepEqual(await page.locator('.members-table tbody a.table__main').allTextContents(), ['Bastien Morel']);

    // Suspend Chloé from her page: without a reason first (refused, the end date kept), then with one.
    await page.goto(`${server.url}/admin/members/${ids[2]}`);
    await page.fill('#field-until', '2999-01-31');
    await Promise.all([page.waitForURL(`**/admin/members/${ids[2]}/suspend`), page.click('.btn-danger')]);
    t.is(await page.inputValue('#field-until'), '2999-01-31');
    t.regex((await page.textContent('#field-reason-error')) ?? '', /Say why/);
    await check('default-suspend-refused');
    await page.fill('#field-reason', 'Shared a confidential document');
    await Promise.all([page.waitForURL(`**/admin/members/${ids[2]}`), page.click('.btn-danger')]);
    t.regex((await page.textContent('main')) ?? '', /The account is suspended/);
    t.is((await rt.suspensions.of(ids[2]))?.reason, 'Shared a confidential document');
    for (const theme of ['default', 'ardoise'] as const) {
      await rt.networks.update(root, { theme });
      await page.goto(`${server.url}/admin/members/${ids[2]}`);
      await check(`${theme}-member-suspended`);
      await page.goto(`${server.url}/admin/members/${ids[0]}`);
      await check(`${theme}-member`);
    }

    // The bans: Emma banned by Bastien (a moderator, from the queue), her ban lifted from the console.
    await rt.bans.ban(root, ids[4], 'Harassment in the comments of several groups', ids[1]);
    for (const theme of ['default', 'ardoise'] as const) {
      await rt.networks.update(root, { theme });
      await page.goto(`${server.url}/admin/members/banned`);
      await check(`${theme}-banned`);
    }
    await page.click(`#banned-${ids[4]} button[type=submit]`);
    await page.getByText('The ban of Emma Lefèvre is lifted').waitFor();
    t.false(await rt.bans.isBanned(ids[4], root));
    await check('ardoise-ban-lifted');

    await page.goto(`${server.url}/admin/members/invite`);
    await page.fill('#field-emails', 'lea@example.com\nnot an address\nlea@example.com');
    await page.click('form.form button[type=submit]');
    await page.waitForSelector('.invite-problems');
    t.is(await page.locator('.invite-problems li').count(), 2);
    await check('ardoise-invite-refused');
    t.deepEqual(csp, [], 'no Content-Security-Policy violation');
  });
});
