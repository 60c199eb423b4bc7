/**
 * Accessibility checks by a tool nobody here wrote (issue 27): axe-core, injected into each
 * page through playwright-core, on every main page of a demo network (`seedDemo`) as a guest,
 * a member and an administrator, at phone and desktop widths. A theme's test file calls
 * `axeTestsFor(theme)`: one served install and one Chromium for the file, pages visited one
 * after another, so two theme files run side by side without sharing anything.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import test, { type ExecutionContext } from 'ava';
import sharp from 'sharp';
import type { BrowserContext, Page } from 'playwright-core';
import { DEMO_PASSWORD, seedDemo } from '../../seeding';
import { ADMIN } from '../helpers/app';
import { artifactPath, browserAvailable, DESKTOP, PHONE, signInPage } from '../helpers/browser';
import { browserAppForFile, type StartedBrowserApp } from '../helpers/browser-app';
import { pdf } from '../plugins/files/support';
import { keyboardOnly } from './keyboard';

const AXE = require.resolve('axe-core/axe.min.js');
/** The impacts that fail the test; moderate and minor ones are logged. */
const BLOCKING = new Set(['serious', 'critical']);

export interface AxeProblem {
  page: string;
  width: number;
  rule: string;
  impact: string;
  /** Up to three offending elements (CSS selectors) and axe's summary of the first. */
  where: string[];
  why: string;
}

interface AxeResult {
  violations: { id: string; impact: string | null; nodes: { target: string[]; failureSummary?: string }[] }[];
}

/** Runs axe on the current page at both widths and returns its serious and critical violations. */
export async function axeProblems(t: ExecutionContext, page: Page, label: string, sizes = [DESKTOP, PHONE]): Promise<AxeProblem[]> {
  const out: AxeProblem[] = [];
  for (const size of sizes) {
    await page.setViewportSize(size);
    if ((await page.evaluate('typeof window.axe')) === 'undefined') await page.addScriptTag({ path: AXE });
    const result = (await page.evaluate('axe.run(document, { resultTypes: ["violations"] })')) as AxeResult;
    for (const v of result.violations) {
      const problem = {
        page: label,
        width: size.width,
        rule: v.id,
        impact: v.impact ?? 'unknown',
        where: v.nodes.slice(0, 3).map((n) => n.target.join(' ')),
        why: (v.nodes[0]?.failureSummary ?? '').replace(/\s+/g, ' ').slice(0, 300),
      };
      if (BLOCKING.has(problem.impact)) out.push(problem);
      else t.log(`${label} @${size.width}: ${v.impact} ${v.id} (${problem.where[0]})`);
    }
  }
  await page.setViewportSize(DESKTOP);
  return out;
}

/** One line per problem for the failure message: the rule, its impact, the page and width, where and why. */
const described = (p: AxeProblem): string => `${p.impact} ${p.rule} on ${p.page} at ${p.width} px: ${p.where.join(', ')} — ${p.why}`;

/** The first link on `listPath` whose path matches `pattern` (a page of one object: a group, a post...). */
async function firstLink(page: Page, base: string, listPath: string, pattern: RegExp): Promise<string | undefined> {
  await page.goto(base + listPath);
  const hrefs = await page.$$eval('main a[href]', (links) => links.map((a) => a.getAttribute('href') ?? ''));
  return hrefs.find((h) => pattern.test(h));
}

/**
 * A member's files: an album with a photo and a PDF in My files, made through the pages (the
 * demo seeds no files). Returns My files, the album, the photo, the document and the group's library.
 */
async function filesPages(page: Page, base: string, groupId: string): Promise<(string | undefined)[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ruche-axe-'));
  const photo = path.join(dir, 'harbour.jpg');
  fs.writeFileSync(
    photo,
    await sharp({ create: { width: 900, height: 600, channels: 3, background: { r: 60, g: 140, b: 200 } } })
      .jpeg()
      .toBuffer(),
  );
  const minutes = path.join(dir, 'Minutes.pdf');
  fs.writeFileSync(minutes, pdf());
  const here = (): string => new URL(page.url()).pathname;

  await page.goto(`${base}/files`);
  await page.setInputFiles('#files-input', minutes);
  await Promise.all([page.waitForURL(/\/files\/\d+$/), page.click('.files-upload button[type=submit]')]);
  const document = here();
  await page.goto(`${base}/files`);
  await page.click('.files-new-album summary');
  await page.fill('#album-title', 'Harbour walk');
  await Promise.all([page.waitForURL(/\/files\/albums\/\d+$/), page.click('.files-new-album button[type=submit]')]);
  const album = here();
  await page.setInputFiles('#files-input', photo);
  await page.click('.files-upload button[type=submit]');
  await page.waitForSelector('.files-grid__item a');
  const picture = await page.getAttribute('.files-grid__item a', 'href');
  fs.rmSync(dir, { recursive: true, force: true });
  return ['/files', album, picture ?? undefined, document, `/files/in/${groupId}`];
}

/** The menus opened: the phone menu and the account menu at 390 px, the account menu at 1280 px. */
async function openMenus(t: ExecutionContext, page: Page, base: string): Promise<AxeProblem[]> {
  await page.goto(`${base}/`);
  await page.setViewportSize(PHONE);
  await page.click('.nav-phone__toggle');
  await page.click('.account-menu__toggle');
  const problems = await axeProblems(t, page, 'member / menus open', [PHONE]);
  await page.goto(`${base}/`);
  await page.click('.account-menu__toggle');
  problems.push(...(await axeProblems(t, page, 'member / account menu open', [DESKTOP])));
  return problems;
}

/**
 * Each page's main form sent empty (the browser's own checks off): the page shown again with its
 * error messages and invalid fields, checked like any other page.
 */
async function refusedForms(t: ExecutionContext, page: Page, base: string, who: string, paths: string[], theme: string): Promise<AxeProblem[]> {
  const problems: AxeProblem[] = [];
  for (const p of paths) {
    await page.goto(base + p);
    const form = page.locator('main form[method="post"]').first();
    // Sent as Enter in a field would send it: the form's default button, whatever it is.
    const send = form.evaluate((element) => {
      const f = element as unknown as { noValidate: boolean; requestSubmit(): void };
      f.noValidate = true;
      f.requestSubmit();
    });
    await Promise.all([page.waitForEvent('load'), send]);
    t.true((await page.locator('[aria-invalid="true"], .field--invalid, .flash--error, [role="alert"]').count()) > 0, `${who} ${p}: errors shown`);
    problems.push(...(await axeProblems(t, page, `${who} ${p} refused`)));
    await page.screenshot({ path: artifactPath(`axe/${theme}-${who}-refused-${p.replace(/[^a-z0-9]+/gi, '-').replace(/^-|-$/g, '')}.png`) });
  }
  return problems;
}

/** A context of its own (CSP bypassed so axe's script tag runs), signed in as `login` unless it is undefined. */
async function visitor(env: StartedBrowserApp, login?: { username: string; password: string }): Promise<{ context: BrowserContext; page: Page }> {
  const context = await env.browser.newContext({ bypassCSP: true, viewport: DESKTOP, locale: 'en-GB' });
  const page = await context.newPage();
  if (login) await signInPage(page, env.url, login.username, login.password);
  return { context, page };
}

/** Visits each path (skipping undefined ones: a list with nothing to open fails the test instead), collecting problems. */
async function visitAll(
  t: ExecutionContext,
  page: Page,
  base: string,
  who: string,
  paths: (string | undefined)[],
  theme: string,
): Promise<AxeProblem[]> {
  const problems: AxeProblem[] = [];
  for (const p of paths) {
    if (!p) {
      t.fail(`${who}: a list had no object to open`);
      continue;
    }
    const res = await page.goto(base + p);
    t.true((res?.status() ?? 500) < 400, `${who} ${p}: ${res?.status()}`);
    problems.push(...(await axeProblems(t, page, `${who} ${p}`)));
    const name = p.replace(/[^a-z0-9]+/gi, '-').replace(/^-|-$/g, '') || 'home';
    await page.screenshot({ path: artifactPath(`axe/${theme}-${who}-${name}.png`) });
  }
  return problems;
}

export function axeTestsFor(theme: 'default' | 'ardoise'): void {
  let env: StartedBrowserApp | undefined;
  let member = '';
  browserAppForFile({}, async (started) => {
    env = started;
    const rt = started.app.app.ruche;
    await rt.networks.update(rt.networks.root().id, { theme });
    member = (await seedDemo(rt, { locale: 'en' })).login;
  });
  const run = browserAvailable() ? test.serial : test.skip;

  // Each visit is a few seconds on an idle machine and many more on a loaded one: room to finish.
  const slow = (t: ExecutionContext): void => t.timeout(15 * 60_000);

  run(`${theme}: no serious or critical axe violation as a guest (home, sign-in, registration, password), at 390 and 1280 px`, async (t) => {
    slow(t);
    const e = env!;
    const guest = await visitor(e);
    // The check can fail: an image without a text alternative is a critical violation.
    await guest.page.goto(`${e.url}/login`);
    await guest.page.evaluate('document.querySelector("main").append(document.createElement("img"))');
    t.true(
      (await axeProblems(t, guest.page, 'self-check')).some((p) => p.rule === 'image-alt'),
      'axe reports a planted violation',
    );
    const problems = await visitAll(t, guest.page, e.url, 'guest', ['/', '/login', '/register', '/password/forgot'], theme);
    problems.push(...(await refusedForms(t, guest.page, e.url, 'guest', ['/login', '/register'], theme)));
    // A network open to guests shows them its menu and public lists.
    const networks = e.app.app.ruche.networks;
    await networks.update(networks.root().id, { allowGuests: true });
    try {
      problems.push(...(await visitAll(t, guest.page, e.url, 'open-guest', ['/', '/groups', '/blogs', '/discussions'], theme)));
    } finally {
      await networks.update(networks.root().id, { allowGuests: false });
    }
    await guest.context.close();
    t.deepEqual(problems.map(described), []);
  });

  run(`${theme}: no serious or critical axe violation on a member's pages, at 390 and 1280 px`, async (t) => {
    slow(t);
    const e = env!;
    const m = await visitor(e, { username: member, password: DEMO_PASSWORD });
    const page = m.page;
    const group = await firstLink(page, e.url, '/groups', /^\/groups\/\d+$/);
    const objects = [
      group,
      await firstLink(page, e.url, '/discussions', /^\/discussions\/\d+$/),
      await firstLink(page, e.url, '/blogs', /^\/blogs\/\d+$/),
      await firstLink(page, e.url, '/messages', /^\/messages\/\d+$/),
      await firstLink(page, e.url, '/chat', /^\/chat\/(\d+|network)$/),
      await firstLink(page, e.url, '/people', /^\/people\/[^/?]+$/),
    ];
    const pages = [
      '/',
      '/activity',
      '/people',
      `/people/${member}`,
      '/groups',
      '/discussions',
      '/blogs',
      '/messages',
      '/messages/new',
      '/chat',
      '/notifications',
      '/account',
    ];
    const files = await filesPages(page, e.url, group!.replace('/groups/', ''));
    const problems = await visitAll(t, page, e.url, 'member', [...pages, ...objects, ...files], theme);
    problems.push(...(await openMenus(t, page, e.url)));
    await m.context.close();
    t.deepEqual(problems.map(described), []);
  });

  run(`${theme}: no serious or critical axe violation on a member's forms, settings and secondary pages, at 390 and 1280 px`, async (t) => {
    slow(t);
    const e = env!;
    const m = await visitor(e, { username: member, password: DEMO_PASSWORD });
    const page = m.page;
    const group = await firstLink(page, e.url, '/groups', /^\/groups\/\d+$/);
    const post = await firstLink(page, e.url, '/blogs', /^\/blogs\/\d+$/);
    const entity = post?.replace('/blogs/', '/entities/');
    const pages = [
      '/groups/new',
      '/groups/mine',
      group && `${group}/members`,
      '/discussions/new',
      '/blogs/new',
      `/blogs/by/${member}`,
      entity && `${entity}/comments`,
      entity && `${entity}/reactions`,
      '/messages/archived',
      '/profile/edit',
      '/notifications/settings',
      '/account/sessions',
      '/account/tokens',
    ];
    const problems = await visitAll(t, page, e.url, 'member', pages, theme);
    problems.push(...(await refusedForms(t, page, e.url, 'member', ['/groups/new', '/discussions/new', '/blogs/new', '/messages/new'], theme)));
    await m.context.close();
    t.deepEqual(problems.map(described), []);
  });

  run(`${theme}: no serious or critical axe violation on every admin page, at 390 and 1280 px`, async (t) => {
    slow(t);
    const e = env!;
    const admin = await visitor(e, ADMIN);
    await admin.page.goto(`${e.url}/admin`);
    const adminPages = await admin.page.$$eval('.admin-nav__link', (links) => links.map((a) => a.getAttribute('href') ?? ''));
    t.true(adminPages.length >= 6, adminPages.join(' '));
    const problems = await visitAll(t, admin.page, e.url, 'admin', adminPages, theme);
    await admin.context.close();
    t.deepEqual(problems.map(described), []);
  });

  run(
    `${theme}: keyboard only — composer, reaction picker, account menu and phone menu, with a visible focus (chat: tests/plugins/chat/keyboard)`,
    async (t) => {
      slow(t);
      const { context, page } = await visitor(env!, { username: member, password: DEMO_PASSWORD });
      await keyboardOnly(t, page, env!.url, theme);
      await context.close();
    },
  );

  run(`${theme}: the admin tabs all show at 1280 px; the directory's filters open below the search row`, async (t) => {
    const e = env!;
    const { context, page } = await visitor(e, ADMIN);
    await page.goto(`${e.url}/admin`);
    const boxes = await page.locator('.admin-nav__link').evaluateAll((links) =>
      links.map((a) => {
        const r = a.getBoundingClientRect();
        return { right: r.right, visible: r.width > 0 };
      }),
    );
    t.true(boxes.length >= 6);
    t.true(
      boxes.every((b) => b.visible && b.right <= 1280),
      JSON.stringify(boxes),
    );
    await page.goto(`${e.url}/people`);
    await page.click('.connections-filters__toggle');
    const form = await page.locator('.connections-search').boundingBox();
    const filters = await page.locator('.connections-filters').boundingBox();
    const search = await page.locator('#dir-q').boundingBox();
    const fields = await page.locator('.connections-filters__fields .field').evaluateAll((els) => els.map((el) => el.getBoundingClientRect().top));
    t.true(filters!.width > form!.width * 0.85, 'the open filters span the form');
    t.true(filters!.y > search!.y + search!.height, 'below the search row');
    t.true(fields.length >= 2 && fields[0] === fields[1], 'filter fields side by side');
    await page.screenshot({ path: artifactPath(`axe/${theme}-directory-filters.png`) });
    await context.close();
  });
}
