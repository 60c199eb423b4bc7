/**
 * Screenshot tests' page set-up: a desktop-sized page whose Content-Security-Policy violations
 * are collected, and a check that shoots it at phone and desktop widths and asserts that
 * nothing sticks out sideways.
 */
import type { ExecutionContext } from 'ava';
import type { BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { DESKTOP, shootWidths, type Browser } from './browser';

/** Collects Content-Security-Policy violations reported on the page's console. */
export function watchCsp(page: Page): string[] {
  const violations: string[] = [];
  page.on('console', (msg) => {
    if (/Content Security Policy/i.test(msg.text())) violations.push(msg.text());
  });
  return violations;
}

export interface ScreenPage {
  page: Page;
  /** The CSP violations reported so far. */
  csp: string[];
  /** Screenshots `artifacts/<folder>/<name>-{phone,desktop}.png` and asserts no sideways overflow at either width. */
  check(name: string): Promise<void>;
}

/** A new desktop-sized page of `browser`, its screenshots kept under `artifacts/<folder>/`. */
export async function screenPage(t: ExecutionContext, browser: Browser, folder: string): Promise<ScreenPage> {
  const page = await browser.newPage({ viewport: DESKTOP });
  return {
    page,
    csp: watchCsp(page),
    async check(name) {
      t.deepEqual(await shootWidths(page, `${folder}/${name}`), { phone: 0, desktop: 0 }, `${name}: nothing sticks out sideways`);
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
