// The search pages in headless Chromium: a member presses `/`, types a colleague's name and
// opens the profile from the suggestions; the results page at 390 and 1280 px in both themes
// (tests/e2e/artifacts/search/*.png), nothing sticking out sideways, no CSP violation.
import test from 'ava';
import type { Runtime } from '../../../core';
import { artifactPath, signInPage } from '../../helpers/browser';
import { withBrowserApp } from '../../helpers/browser-app';
import { MEMBER_PASSWORD, createMember } from '../../helpers/members';
import { screensPage } from '../../helpers/screens';
import { GroupsService } from '../../../plugins/groups/service';
import { statusPost } from './support';

const DAY = 86_400_000;

async function world(rt: Runtime): Promise<void> {
  const alice = await createMember(rt, 'alice', { displayName: 'Alice Liddell' });
  const etienne = await createMember(rt, 'etienne', { displayName: 'Étienne Chevalier', locale: 'fr' });
  await createMember(rt, 'esther', { displayName: 'Esther Duflo' });
  const viewer = async (id: number) => (await rt.users.viewer(id))!;
  await rt.container.resolve(GroupsService).create(
    await viewer(etienne),
    1,
    {
      name: 'Budget committee',
      description: 'Where the **budget** for next year is prepared, line by line.',
      category: 'business',
      visibility: 'open',
    },
    null,
  );
  // The profiles plugin's built-in fields, read by the people search.
  await rt
    .db('profiles')
    .insert({ user_id: etienne, headline: 'Contrôleur de gestion', department: 'Finances publiques', location: 'Lyon Part-Dieu', updated_at: 1 });
  const now = Date.now();
  await statusPost(rt, alice, 'The budget review moved to Thursday: bring your numbers and the travel estimates. #finance', {
    createdAt: now - 2 * DAY,
  });
  await statusPost(rt, etienne, 'Le budget 2027 est en ligne. Merci à toutes les équipes pour les résumés envoyés à temps !', {
    createdAt: now - 5 * DAY,
  });
  await statusPost(rt, alice, 'Reminder: the <b>budget</b> spreadsheet is read-only until Monday.', { createdAt: now - 40 * DAY });
}

test('a member types a colleague’s name and opens the profile from the suggestions; results at 390 and 1280 px in both themes', (t) =>
  withBrowserApp(t, async ({ app, server, browser }) => {
    const rt = app.app.ruche;
    await world(rt);
    const screens = await screensPage(t, browser, 'search');
    const { page } = screens;
    await signInPage(page, server.url, 'alice', MEMBER_PASSWORD);

    // `/` focuses the header's box; the suggestions list the colleague; Enter opens the profile.
    await page.keyboard.press('/');
    t.is(await page.evaluate('document.activeElement && document.activeElement.id'), 'header-search-q');
    await page.keyboard.type('etien');
    const option = page.locator('.header-search__option', { hasText: 'Étienne Chevalier' });
    await option.waitFor();
    await page.screenshot({ path: artifactPath('search/suggestions-desktop.png') });
    await page.keyboard.press('ArrowDown');
    await Promise.all([page.waitForURL('**/people/etienne'), page.keyboard.press('Enter')]);
    t.regex(await page.locator('h1').first().innerText(), /Étienne Chevalier/);

    // The results page, both themes.
    await page.goto(`${server.url}/search?q=budget`);
    t.is(await page.locator('.search-result').count(), 4);
    t.true((await page.locator('.search-result mark').count()) >= 4);
    await screens.check('results-default');
    await page.goto(`${server.url}/search?q=budjet`);
    t.is(await page.locator('.search-did-you-mean a').innerText(), 'budget');
    await screens.check('did-you-mean-default');
    // A colleague found by a profile field: the field that matched under the name.
    await page.goto(`${server.url}/search?q=lyon+finances`);
    t.deepEqual(await page.locator('.search-person__field').allInnerTexts(), ['Department: Finances publiques', 'Location: Lyon Part-Dieu']);
    await screens.check('people-fields-default');
    // Past the last page of the relevance order: a pointer to the date order, which lists everything.
    await page.goto(`${server.url}/search?q=budget&page=11`);
    t.is(await page.locator('.search-result').count(), 0);
    t.regex((await page.locator('.search-bounded a').getAttribute('href')) ?? '', /sort=date/);
    await screens.check('bounded-default');
    await rt.networks.update(1, { theme: 'ardoise' });
    await page.goto(`${server.url}/search?q=budget&sort=date`);
    // Newest first by date, a post dated back among them included.
    const titles = await page.locator('.search-result__title').allInnerTexts();
    t.regex(titles[0], /Budget committee/);
    t.regex(titles[3], /Reminder/, 'the post dated 40 days back comes last');
    await screens.check('results-ardoise');
    await page.goto(`${server.url}/search?q=etienne&tab=people`);
    t.is(await page.locator('.search-person').count(), 1);
    await screens.check('people-ardoise');
    await page.goto(`${server.url}/search?q=controleur&tab=people`);
    t.deepEqual(await page.locator('.search-person__field').allInnerTexts(), ['Headline or job title: Contrôleur de gestion']);
    await screens.check('people-fields-ardoise');
    t.deepEqual(screens.csp, []);
  }));
