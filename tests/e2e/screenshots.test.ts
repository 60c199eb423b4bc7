/**
 * Screenshots of the default and Ardoise themes with a busy navigation: a throwaway
 * plugin adds six main-menu entries, two account-menu entries, a page and a home section.
 * Checks on the way: the theme's stylesheets load, nothing overflows a phone sideways,
 * the CSP reports nothing. Pictures go to tests/e2e/artifacts/<theme>-*.png.
 */
import test, { type ExecutionContext } from 'ava';
import type { Page } from 'playwright-core';
import { artifactPath, browserAvailable, launchBrowser, type Browser } from '../helpers/browser';
import { makeFixtures, pluginJs, type Fixtures } from '../themes/fixtures';
import { watchedPage } from '../helpers/screens';
import { DESKTOP, PHONE, horizontalOverflow, shoot, startServer, type E2EServer } from './support';

const run = browserAvailable() ? test.serial : test.skip;
const MENU = ['feed', 'people', 'groups', 'events', 'files', 'discussions'];
const LABELS: Record<string, [string, string]> = {
  feed: ['Feed', 'Fil'],
  people: ['People', 'Membres'],
  groups: ['Groups', 'Groupes'],
  events: ['Events', 'Événements'],
  files: ['Files', 'Fichiers'],
  discussions: ['Discussions', 'Discussions'],
  profile: ['My profile', 'Mon profil'],
  settings: ['Settings', 'Paramètres'],
};
const ADMIN = { email: 'camille@example.com', password: 'a calm hive of 42 bees', username: 'camille', displayName: 'Camille Dubois-Laurent' };

function demoPlugin(): Record<string, string> {
  const pages = [...MENU, 'profile', 'settings'];
  const routes = pages.map(
    (p) =>
      `{ name: 'uidemo.${p}', method: 'GET', path: '/demo/${p}', public: true, handler: () => ({ view: 'uidemo/page', title: '${LABELS[p][0]}', data: { page: '${p}' } }) }`,
  );
  const menus = pages.map(
    (p, i) => `{ menu: '${i < MENU.length ? 'main' : 'user'}', id: '${p}', label: 'uidemo.menu.${p}', route: 'uidemo.${p}', order: ${i} }`,
  );
  const section = `{ kind: 'filter', name: 'home:sections', options: {}, handler: (list) => [...list, { id: 'demo', template: 'uidemo/section', data: { posts: [{ who: 'Inès Moreau', text: 'The spring meetup is confirmed for 12 April, room 4.02.' }, { who: 'Tom Becker', text: 'Slides from Thursday\\'s all-hands are in the Files section.' }] } }] }`;
  const catalog = (i: 0 | 1) => JSON.stringify({ uidemo: { menu: Object.fromEntries(pages.map((p) => [p, LABELS[p][i]])) } });
  return {
    'plugins/uidemo/plugin.js': pluginJs(
      'uidemo',
      `templates: ['page', 'section'], i18n: 'i18n', routes: [${routes.join(', ')}], menus: [${menus.join(', ')}], hooks: [${section}]`,
    ),
    'plugins/uidemo/i18n/en.json': catalog(0),
    'plugins/uidemo/i18n/fr.json': catalog(1),
    'plugins/uidemo/templates/page.hbs':
      '<div class="page-header"><h1>{{title}}</h1><p class="lead">A page added by a plugin.</p></div>\n<div class="card empty-state"><h2>Nothing here yet</h2><p>What members share will appear here.</p><p><a class="btn btn-primary" href="{{url "/"}}">Back home</a> <a class="btn btn-secondary" href="{{url "/"}}">Cancel</a></p></div>\n',
    'plugins/uidemo/templates/section.hbs':
      '<section class="card"><h2 class="card__title">Latest posts</h2>{{#each posts}}<article class="demo-post"><p><strong>{{who}}</strong><br>{{text}}</p></article>{{/each}}</section>\n',
  };
}

let fixtures: Fixtures;
let server: E2EServer;
let browser: Browser;

test.before(async () => {
  if (!browserAvailable()) return;
  fixtures = makeFixtures(demoPlugin());
  server = await startServer({
    install: { siteName: 'Northwind Community', locale: 'en', admin: ADMIN },
    config: { plugins: { dirs: [fixtures.pluginsDir] } },
  });
  browser = await launchBrowser();
});

test.after.always(async () => {
  await browser?.close();
  await server?.stop();
  fixtures?.cleanup();
});

async function checkPage(t: ExecutionContext, page: Page, name: string): Promise<void> {
  await page.setViewportSize({ width: 360, height: 740 });
  t.is(await horizontalOverflow(page), 0, `${name} overflows a 360 px phone`);
  await shoot(page, name);
}

for (const theme of ['default', 'ardoise']) {
  run(`${theme}: guest and member pages`, async (t) => {
    const rt = server.app.ruche;
    // A network closed to guests offers them no menu (its pages send them to sign in) and a way to register.
    await rt.networks.update(rt.networks.root().id, { theme, allowGuests: false });
    const { context, page, csp } = await watchedPage(browser, { locale: 'en-GB', viewport: DESKTOP });
    await page.goto(`${server.url}/`);
    t.is(await page.locator('.nav-main, .nav-phone').count(), 0);
    t.is(await page.locator('.hero__actions a[href="/register"]').textContent(), 'Create an account');
    await checkPage(t, page, `${theme}-home-guest-closed`);
    await rt.networks.update(rt.networks.root().id, { allowGuests: true });

    await page.goto(`${server.url}/`);
    const sheets = await page.$$eval('link[rel="stylesheet"]', (links) => links.map((l) => l.getAttribute('href') ?? ''));
    t.true(sheets.some((h) => /^\/assets\/theme\/default\/css\/ruche\.css\?v=[0-9a-f]{10}$/.test(h)));
    t.is(
      sheets.some((h) => h.startsWith('/assets/theme/ardoise/css/ardoise.css?v=')),
      theme === 'ardoise',
    );
    // Home, the demo plugin's entries, and whatever the bundled plugins show a guest.
    t.is(await page.locator('.nav-main__link[href^="/demo/"]').count(), MENU.length);
    t.true((await page.locator('.nav-main__link').count()) >= 1 + MENU.length);
    t.is(await page.getAttribute('.nav-main a[href="/"]', 'aria-current'), 'page');
    await checkPage(t, page, `${theme}-home-guest`);

    await page.goto(`${server.url}/login`);
    await checkPage(t, page, `${theme}-login`);
    // Keyboard: the first Tab shows the skip link; focused fields get a visible ring.
    await page.setViewportSize(DESKTOP);
    await page.keyboard.press('Tab');
    t.is(await page.evaluate('document.activeElement.className'), 'skip-link');
    t.true(((await page.locator('.skip-link').boundingBox())?.y ?? -1) >= 0);
    await page.screenshot({ path: artifactPath(`${theme}-focus-skip-link.png`) });
    await page.focus('#field-login');
    await page.keyboard.type('cam');
    await page.keyboard.press('Tab');
    await page.screenshot({ path: artifactPath(`${theme}-focus-field.png`) });
    await page.fill('#field-login', ADMIN.username);
    await page.fill('#field-password', ADMIN.password);
    await Promise.all([page.waitForURL(`${server.url}/`), page.click('form.form button[type="submit"]')]);
    t.regex((await page.textContent('h1')) ?? '', /Camille Dubois-Laurent/);
    t.true(await page.locator('#section-demo').isVisible());
    await checkPage(t, page, `${theme}-home-member`);

    await page.setViewportSize(PHONE);
    await page.click('.account-menu summary');
    t.true(await page.locator('.account-menu__panel a[href="/demo/profile"]').isVisible());
    t.true(await page.locator('.account-menu__panel a[href="/demo/settings"]').isVisible());
    await page.screenshot({ path: artifactPath(`${theme}-account-menu-phone.png`) });

    // Phone navigation: the tabs give way to a Menu button listing every entry, opened from the keyboard.
    await page.goto(`${server.url}/`);
    t.false(await page.locator('.nav-main').isVisible());
    t.false(await page.locator('.nav-phone__panel').isVisible());
    await page.focus('.nav-phone__toggle');
    await page.keyboard.press('Enter');
    for (const p of MENU) t.true(await page.locator(`.nav-phone__panel a[href="/demo/${p}"]`).isVisible(), p);
    await page.keyboard.press('Tab');
    t.is(await page.evaluate('document.activeElement.getAttribute("href")'), '/');
    t.is(await horizontalOverflow(page), 0);
    await page.screenshot({ path: artifactPath(`${theme}-phone-menu.png`) });
    await page.setViewportSize(DESKTOP);
    t.false(await page.locator('.nav-phone').isVisible(), 'no Menu button on a desktop');
    t.true(await page.locator('.nav-main').isVisible());
    // Without JavaScript the menu opens all the same (a <details>).
    const noJs = await browser.newContext({ javaScriptEnabled: false, viewport: PHONE });
    const plain = await noJs.newPage();
    await plain.goto(`${server.url}/demo/groups`);
    await plain.click('.nav-phone__toggle');
    t.is(await plain.getAttribute('.nav-phone__panel a[href="/demo/groups"]', 'aria-current'), 'page');
    t.true(await plain.locator('.nav-phone__panel a[href="/demo/discussions"]').isVisible());
    await noJs.close();

    await page.goto(`${server.url}/demo/groups`);
    t.is(await page.getAttribute('.nav-main a[href="/demo/groups"]', 'aria-current'), 'page');
    await checkPage(t, page, `${theme}-plugin-page`);

    const missing = await page.goto(`${server.url}/demo/nothing`);
    t.is(missing?.status(), 404);
    await checkPage(t, page, `${theme}-not-found`);

    t.deepEqual(csp, []);
    await context.close();
  });
}
