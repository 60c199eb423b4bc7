// The dashboards in a real Chromium: an admin opens the network's dashboard, sees the period's
// funnel, switches to the last 7 days; Alice (in French) opens her group's; both themes, at
// 390 and 1280 px, nothing sticking out sideways and no Content Security Policy complaint.
import test from 'ava';
import { signInPage } from '../../helpers/browser';
import { withBrowserApp } from '../../helpers/browser-app';
import { ADMIN } from '../../helpers/app';
import { MEMBER_PASSWORD } from '../../helpers/members';
import { screensPage } from '../../helpers/screens';
import { analyticsOf, buildWorld } from './support';

test('the dashboard in a browser: the funnel of the period, presets, group dashboard, both themes', (t) =>
  withBrowserApp(t, async ({ app, server, browser }) => {
    const a = analyticsOf(app);
    const w = await buildWorld(a);
    await a.rt.pluginState.configure('analytics', { memberLevel: 'true' }, a.root);
    await a.rollup();
    const { page, csp, check } = await screensPage(t, browser, 'analytics');
    await signInPage(page, server.url, ADMIN.username, ADMIN.password, '/admin/analytics');
    t.is(await page.locator('h1').innerText(), 'Analytics');
    const funnel = page.locator('#table-funnel').locator('xpath=ancestor::section[1]');
    t.regex(await funnel.innerText(), /Contributing \(posted, published, shared\)\s+3\s+60 %/);
    await check('dashboard-28');
    // Numbers and their headers line up on the right (the numbers' rule beats the cells' left alignment).
    const align = (selector: string) =>
      page
        .locator(selector)
        .first()
        .evaluate((el) => getComputedStyle(el).textAlign);
    t.is(await align('section[aria-labelledby="table-funnel"] td.analytics-grid__num'), 'right');
    t.is(await align('section[aria-labelledby="table-funnel"] thead th.analytics-grid__num'), 'right');
    t.is(await align('section[aria-labelledby="table-funnel"] tbody th'), 'left');
    await Promise.all([page.waitForURL('**/admin/analytics?period=7'), page.getByRole('link', { name: 'Last 7 days' }).click()]);
    t.is(await page.getByRole('link', { name: 'Last 7 days' }).getAttribute('aria-current'), 'true');
    t.regex(await funnel.innerText(), /Contributing \(posted, published, shared\)\s+2\s+40 %/);
    await check('dashboard-7');

    const alice = await browser.newPage({ viewport: { width: 1280, height: 900 }, locale: 'fr-FR' });
    await signInPage(alice, server.url, 'alice', MEMBER_PASSWORD, `/groups/${w.group}/analytics`);
    t.is(await alice.locator('h1').innerText(), 'Statistiques de Choir');
    await page.goto(`${server.url}/groups/${w.group}/analytics?period=7`);
    await check('group-7');

    await a.rt.networks.update(a.root, { theme: 'ardoise' });
    await page.goto(`${server.url}/admin/analytics?period=90`);
    await check('ardoise-dashboard-90');
    await page.goto(`${server.url}/analytics/privacy`);
    await check('ardoise-privacy');
    t.deepEqual(csp, []);
    await alice.close();
  }));
