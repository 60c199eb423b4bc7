/**
 * What the screenshot tests open with: a desktop-sized Chromium page that collects Content
 * Security Policy complaints, and a check that shoots the current page at both widths and
 * asserts nothing sticks out sideways; for the e2e tests, a page in a context of their own.
 */
import type { ExecutionContext } from 'ava';
import type { BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { DESKTOP, shootWidths, type Browser } from './browser';

/**
 * Waits until `expression` (page-side JavaScript) is truthy on the page. Playwright's
 * waitForFunction evaluates its predicate with the page's own eval, which our Content Security
 * Policy (script-src 'self') refuses; page.evaluate goes through the DevTools protocol, which it
 * does not, so this polls that.
 */
export async function waitInPage(page: Page, expression: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await page.evaluate<unknown>(expression)) return;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting in the page for: ${expression}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * Whether the image `selector` finds shows (its pixels arrived), once it is done loading: the image
 * is fetched after its element is in the page, so under load `naturalWidth` can still be 0 right after.
 */
export async function imageShows(page: Page, selector: string): Promise<boolean> {
  const img = `document.querySelector(${JSON.stringify(selector)})`;
  await waitInPage(page, `(() => { const i = ${img}; return !!i && i.complete; })()`);
  return page.evaluate<boolean>(`${img}.naturalWidth > 0`);
}

/**
 * Runs `action` (a click or key press that submits a form) and waits for the next page to load.
 * For forms that answer at the address the page is already at, where `waitForURL` would resolve at
 * once, before the answer has arrived.
 */
export async function submitAndLoad(page: Page, action: () => Promise<unknown>): Promise<void> {
  const loaded = page.waitForEvent('load');
  await action();
  await loaded;
}

/** Collects the Content-Security-Policy violations reported on the page's console into `into`. */
export function watchCsp(page: Page, into: string[] = []): string[] {
  page.on('console', (msg) => {
    if (/Content Security Policy/i.test(msg.text())) into.push(msg.text());
  });
  return into;
}

export interface ScreensPage {
  page: Page;
  /** The console messages about a Content Security Policy violation, on this page and those given to `watch`. */
  csp: string[];
  /** Collects `other`'s Content Security Policy complaints into `csp` too. */
  watch(other: Page): Page;
  /** Shoots the page at phone and desktop widths (`<area>/<name>-phone.png`, ...) and asserts it overflows at neither. */
  check(name: string): Promise<void>;
  /**
   * Fills `kept` (a field's selector → a value), submits the form with the `submit` button, waits
   * for the form to come back with its errors, asserts every value is still in its field (nothing
   * the member typed is lost) and checks the page as `name`.
   */
  checkRefused(name: string, submit: string, kept?: Record<string, string>): Promise<void>;
}

/** A new desktop-sized page of `browser` for the screenshots of `area` (an artifacts folder: `groups`, `profiles`, ...). */
export async function screensPage(t: ExecutionContext, browser: Browser, area: string): Promise<ScreensPage> {
  const page = await browser.newPage({ viewport: DESKTOP });
  const csp = watchCsp(page);
  const check = async (name: string): Promise<void> => {
    t.deepEqual(await shootWidths(page, `${area}/${name}`), { phone: 0, desktop: 0 }, `${name}: nothing sticks out sideways`);
  };
  return {
    page,
    csp,
    watch: (other) => (watchCsp(other, csp), other),
    check,
    async checkRefused(name, submit, kept = {}) {
      for (const [field, value] of Object.entries(kept)) await page.fill(field, value);
      await page.click(submit);
      await page.waitForSelector('.field--invalid');
      for (const [field, value] of Object.entries(kept)) t.is(await page.inputValue(field), value, `${name}: ${field} is kept`);
      await check(name);
    },
  };
}

export interface WatchedPage {
  context: BrowserContext;
  page: Page;
  /** The CSP violations reported so far. */
  csp: string[];
}

/** A new browser context (`locale`, `viewport`…) and a page in it whose CSP violations are collected. */
export async function watchedPage(browser: Browser, options: BrowserContextOptions): Promise<WatchedPage> {
  const context = await browser.newContext(options);
  const page = await context.newPage();
  return { context, page, csp: watchCsp(page) };
}
