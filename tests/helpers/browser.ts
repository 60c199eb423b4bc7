// Headless Chromium for end-to-end tests, driven by playwright-core.
//
// Uses the system Chromium (Debian's /usr/bin/chromium, or
// RUCHE_TEST_CHROMIUM); playwright never downloads a browser of its own.
// In CI (CI=true) a missing Chromium is an error, never a silent skip.
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { isCI } from './databases';

export type { Browser } from 'playwright-core';

export const DEFAULT_CHROMIUM = '/usr/bin/chromium';

// The background-networking flags keep Chromium from calling home, which
// fails noisily on machines without outside network access.
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
];

/** Path of the Chromium executable the tests use. */
export function chromiumPath(): string {
  return process.env.RUCHE_TEST_CHROMIUM || DEFAULT_CHROMIUM;
}

function chromiumMissingMessage(): string {
  return `Chromium not found at ${chromiumPath()}. Install Debian's 'chromium' package ` + `or set RUCHE_TEST_CHROMIUM (see docs/testing.md).`;
}

/**
 * True when the Chromium executable exists. Under CI a missing browser
 * throws instead, so tests that skip on `!browserAvailable()` fail in CI.
 */
export function browserAvailable(): boolean {
  let ok = true;
  try {
    fs.accessSync(chromiumPath(), fs.constants.X_OK);
  } catch {
    ok = false;
  }
  if (!ok && isCI()) throw new Error(chromiumMissingMessage());
  return ok;
}

/** For a browser test: true when Chromium is there; otherwise logs the skip and passes `t`. */
export function browserOrSkip(t: { log(message: string): void; pass(): void }): boolean {
  if (browserAvailable()) return true;
  t.log('no Chromium: skipped');
  t.pass();
  return false;
}

/**
 * Launches headless Chromium and returns a playwright `Browser`; `extraArgs` go after the
 * usual flags (e.g. `--host-resolver-rules` to map a test host name to 127.0.0.1).
 *
 * Every launch gets a fresh, empty profile: playwright-core's `launch()`
 * creates a temporary user-data-dir itself and deletes it on `close()`
 * (it refuses an explicit `--user-data-dir` argument).
 *
 * Typical use:
 *   const browser = await launchBrowser();
 *   try {
 *     const page = await browser.newPage();
 *     await page.goto(url);
 *     await page.screenshot({ path: artifactPath('home.png') });
 *   } finally {
 *     await browser.close();
 *   }
 */
export async function launchBrowser(extraArgs: string[] = []): Promise<Browser> {
  if (!fs.existsSync(chromiumPath())) throw new Error(chromiumMissingMessage());
  return chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: [...CHROMIUM_ARGS, ...extraArgs],
  });
}

/** Repo root: the nearest ancestor of this file holding a package.json. */
function repoRoot(): string {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${__dirname}`);
    dir = parent;
  }
  return dir;
}

/**
 * Absolute path `<repo>/tests/e2e/artifacts/<name>` (git-ignored), for
 * screenshots and other outputs worth keeping. Creates the directories.
 */
export function artifactPath(name: string): string {
  const dir = path.join(repoRoot(), 'tests', 'e2e', 'artifacts');
  const file = path.resolve(dir, name);
  if (!file.startsWith(dir + path.sep)) {
    throw new Error(`artifact name must stay inside ${dir}: ${name}`);
  }
  fs.mkdirSync(path.dirname(file), { recursive: true });
  return file;
}

/** A loopback port nobody listens on, so an app's siteUrl (used in emailed links) can name it before it starts. */
export async function freePort(): Promise<number> {
  const net = await import('node:net');
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as import('node:net').AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

/**
 * Signs in through the real login form and waits until the browser has left it; with `next`
 * (a path), through `/login?next=<next>`, waiting until the browser is there.
 */
export async function signInPage(
  page: import('playwright-core').Page,
  baseUrl: string,
  login: string,
  password: string,
  next?: string,
): Promise<void> {
  await page.goto(next ? `${baseUrl}/login?next=${next}` : `${baseUrl}/login`);
  await page.fill('#field-login', login);
  await page.fill('#field-password', password);
  const arrived = next ? `**${next}` : (u: URL) => !u.pathname.startsWith('/login');
  await Promise.all([page.waitForURL(arrived), page.click('form.form button[type=submit]')]);
}

/** The two widths every page is looked at: a phone and a desktop. */
export const PHONE = { width: 390, height: 844 };
export const DESKTOP = { width: 1280, height: 800 };
export const SCREEN_SIZES = [
  ['phone', PHONE],
  ['desktop', DESKTOP],
] as const;

/**
 * Full-page screenshots of the current page at phone and desktop widths
 * (`artifacts/<name>-phone.png`, `<name>-desktop.png`), from the top of the page. Returns how
 * many pixels the page overflows sideways at each width (0 when nothing sticks out), and
 * leaves the page at the viewport it had.
 */
export async function shootWidths(page: import('playwright-core').Page, name: string): Promise<Record<'phone' | 'desktop', number>> {
  const initial = page.viewportSize();
  const overflow = { phone: 0, desktop: 0 };
  for (const [label, size] of SCREEN_SIZES) {
    await page.setViewportSize(size);
    await page.evaluate('window.scrollTo(0, 0)');
    await page.screenshot({ path: artifactPath(`${name}-${label}.png`), fullPage: true });
    // A string expression: it runs in the page, where `document` exists.
    overflow[label] = await page.evaluate<number>('document.documentElement.scrollWidth - document.documentElement.clientWidth');
  }
  if (initial) await page.setViewportSize(initial);
  return overflow;
}
