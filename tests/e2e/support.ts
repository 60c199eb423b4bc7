/**
 * End-to-end support: a real Ruche server on a fresh SQLite database, and helpers
 * for pages seen in Chromium (screenshots at phone and desktop sizes, layout checks).
 */
import type { ExecutionContext } from 'ava';
import type { Page } from 'playwright-core';
import type { ConfigInput, InstallOptions, RucheApp } from '../../core';
import { listen } from '../../core';
import { makeApp } from '../helpers/app';
import { freshDatabase } from '../helpers/databases';
import { shootWidths } from '../helpers/browser';

export { PHONE, DESKTOP } from '../helpers/browser';

export interface E2EServer {
  url: string;
  app: RucheApp;
  stop(): Promise<void>;
}

/** Installs Ruche on a fresh SQLite database and serves it on a free local port. */
export async function startServer(options: { install?: InstallOptions; config?: ConfigInput } = {}): Promise<E2EServer> {
  const db = await freshDatabase('sqlite');
  try {
    const { app } = await makeApp(db, { install: options.install, config: options.config });
    const server = await listen(app, 0, '127.0.0.1');
    return {
      url: server.url,
      app,
      stop: async () => {
        await server.stop();
        await db.drop();
      },
    };
  } catch (e) {
    await db.drop();
    throw e;
  }
}

/** Full-page screenshots of the current page at phone and desktop widths: `<name>-phone.png`, `<name>-desktop.png`. */
export async function shoot(page: Page, name: string): Promise<void> {
  await shootWidths(page, name);
}

/** Pixels the page overflows the viewport sideways (0 when nothing sticks out). */
export async function horizontalOverflow(page: Page): Promise<number> {
  // A string expression: it runs in the page, where `document` exists (no DOM types here).
  return page.evaluate<number>('document.documentElement.scrollWidth - document.documentElement.clientWidth');
}

/** Opens `url` and asserts the answer's status and the page's heading (its h1). */
export async function opens(t: ExecutionContext, page: Page, url: string, status: number, heading: string): Promise<void> {
  t.is((await page.goto(url))?.status(), status, url);
  t.is((await page.textContent('h1'))?.trim(), heading);
}
