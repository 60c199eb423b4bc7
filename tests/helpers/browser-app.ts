/**
 * A browser test's setting: a fresh SQLite install served on loopback (its siteUrl naming
 * the real port, so emailed links work) and a Chromium, all closed afterwards. The server's
 * job poller is off unless the options turn it on: a test runs the jobs itself
 * (`rt.jobs.runDue()`), and a poller claiming the same job at that moment would leave the
 * test's call with nothing to run and the page it loads next still waiting. Without
 * Chromium outside CI the test logs a skip (in CI, browserAvailable() throws instead).
 */
import test, { type ExecutionContext } from 'ava';
import { listen, type Runtime, type RunningServer } from '../../core';
import { makeApp, type TestApp } from './app';
import { browserAvailable, browserOrSkip, freePort, launchBrowser, type Browser } from './browser';
import { freshDatabase, type FreshDatabase } from './databases';
import { screensPage, type ScreensPage } from './screens';

export interface BrowserApp {
  db: FreshDatabase;
  app: TestApp;
  server: RunningServer;
  browser: Browser;
}

export interface StartedBrowserApp extends BrowserApp {
  /** The server's address, also the app's siteUrl. */
  url: string;
  close(): Promise<void>;
}

/** Starts the setting (for `test.before`); callers check browserAvailable() first. */
export async function startBrowserApp(options: Parameters<typeof makeApp>[1] = {}): Promise<StartedBrowserApp> {
  const db = await freshDatabase('sqlite');
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const app = await makeApp(db, { ...options, config: { siteUrl: url, port, jobs: { enabled: false }, ...options.config } });
  const server = await listen(app.app, port, '127.0.0.1');
  const browser = await launchBrowser();
  return {
    db,
    app,
    server,
    browser,
    url,
    async close() {
      await browser.close();
      await server.stop();
      await db.drop();
    },
  };
}

export async function withBrowserApp(
  t: ExecutionContext,
  fn: (env: BrowserApp) => Promise<void>,
  options: Parameters<typeof makeApp>[1] = {},
): Promise<void> {
  if (!browserOrSkip(t)) return;
  const env = await startBrowserApp(options);
  try {
    await fn(env);
  } finally {
    await env.close();
  }
}

/**
 * One setting for all the (serial) tests of a file: started before them when Chromium is there,
 * handed to `ready` (to keep what the tests use, arrange data), and closed after them.
 */
export function browserAppForFile(options: Parameters<typeof makeApp>[1], ready: (env: StartedBrowserApp) => void | Promise<void>): void {
  let env: StartedBrowserApp | undefined;
  test.before(async () => {
    if (!browserAvailable()) return;
    env = await startBrowserApp(options);
    await ready(env);
  });
  test.after.always(async () => {
    await env?.close();
  });
}

/**
 * A new page for the screenshots of `area` (screensPage) once the root network of `env` wears
 * `network.theme` (with the other changes `network` names), for a test run once per theme.
 */
export async function themedScreensPage(
  t: ExecutionContext,
  env: BrowserApp,
  area: string,
  network: Parameters<Runtime['networks']['update']>[1],
): Promise<ScreensPage> {
  const rt = env.app.app.ruche;
  await rt.networks.update(rt.networks.root().id, network);
  return screensPage(t, env.browser, area);
}
