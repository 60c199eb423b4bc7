/**
 * Keyboard-only walks (issue 27): the status composer, the reaction picker, the account menu and
 * the phone menu, driven with `keyboard.press` and typing only (no clicks), on a signed-in page.
 * Each control reached must show where the focus is: it matches `:focus-visible` and the theme
 * draws an outline or a ring around it. Used by the axe test files, in both themes.
 */
import type { ExecutionContext } from 'ava';
import type { Page } from 'playwright-core';
import { artifactPath, DESKTOP, PHONE } from '../helpers/browser';

/** Presses Tab until the focused element matches `selector` (true), or gives up after `max` presses. */
export async function tabTo(page: Page, selector: string, max = 150): Promise<boolean> {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate<boolean>(`!!document.activeElement && document.activeElement.matches(${JSON.stringify(selector)})`)) return true;
  }
  return false;
}

/**
 * How the focused element shows its focus: '' when it matches :focus-visible and has a visible
 * outline or box-shadow ring, otherwise what is wrong (for the failure message).
 */
async function focusProblem(page: Page): Promise<string> {
  return page.evaluate<string>(`(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return 'nothing has the focus';
    const name = el.tagName.toLowerCase() + (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\\s+/).join('.') : '');
    if (!el.matches(':focus-visible')) return name + ' does not match :focus-visible';
    const s = getComputedStyle(el);
    const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0 && s.outlineColor !== 'rgba(0, 0, 0, 0)';
    const ring = s.boxShadow !== 'none' && s.boxShadow !== '';
    return outline || ring ? '' : name + ' has no focus outline or ring (outline ' + s.outlineStyle + ' ' + s.outlineWidth + ', box-shadow ' + s.boxShadow + ')';
  })()`);
}

/** Tabs to `selector` and checks that the focus shows there. */
async function reach(t: ExecutionContext, page: Page, selector: string, what: string, max?: number): Promise<void> {
  t.true(await tabTo(page, selector, max), `${what} is reached with Tab`);
  t.is(await focusProblem(page), '', `${what}: the focus shows`);
}

const menuOpen = (page: Page, menu: string): Promise<boolean> => page.evaluate<boolean>(`document.querySelector(${JSON.stringify(menu)}).open`);
const focusInside = (page: Page, selector: string): Promise<boolean> =>
  page.evaluate<boolean>(`!!document.activeElement && !!document.activeElement.closest(${JSON.stringify(selector)})`);

/** Writes and posts a status, then opens its reaction picker and chooses a reaction. */
async function composeAndReact(t: ExecutionContext, page: Page, base: string, theme: string): Promise<void> {
  const text = `Keyboard-only post ${Date.now()}`;
  await page.goto(`${base}/`);
  await reach(t, page, '#status-body', 'the composer');
  await page.keyboard.type(text);
  await reach(t, page, '.activity-composer button[type="submit"]', 'the Post button', 5);
  await page.screenshot({ path: artifactPath(`keyboard/${theme}-composer.png`) });
  await Promise.all([page.waitForLoadState('load'), page.keyboard.press('Enter')]);
  await page.getByText(text).first().waitFor({ timeout: 15_000 });

  // The new post comes first: its "more reactions" link opens the picker, Space chooses one.
  await reach(t, page, '.reactions__pick', 'the reaction picker link');
  await Promise.all([page.waitForURL(/\/entities\/\d+\/reactions/), page.keyboard.press('Enter')]);
  await reach(t, page, 'button.reaction[aria-pressed="false"]', 'a reaction', 60);
  const chosen = await page.evaluate<string>('document.activeElement.value');
  await page.screenshot({ path: artifactPath(`keyboard/${theme}-reaction-picker.png`) });
  await Promise.all([page.waitForLoadState('load'), page.keyboard.press('Space')]);
  await page.waitForSelector(`button.reaction[value="${chosen}"][aria-pressed="true"]`);
  t.pass(`reaction ${chosen} chosen`);
}

/**
 * A header menu (a <details>): Enter opens it, Tab moves into it with a visible focus, Escape
 * closes it and gives the focus back to its button, and Enter on an entry follows it.
 */
async function walkMenu(t: ExecutionContext, page: Page, menu: string, panel: string, label: string): Promise<void> {
  await reach(t, page, `${menu} > summary`, `the ${label} button`);
  await page.keyboard.press('Enter');
  t.true(await menuOpen(page, menu), `Enter opens the ${label}`);
  await page.keyboard.press('Tab');
  t.true(await focusInside(page, panel), `Tab moves into the open ${label}`);
  t.is(await focusProblem(page), '', `${label} entry: the focus shows`);
  await page.keyboard.press('Escape');
  t.false(await menuOpen(page, menu), `Escape closes the ${label}`);
  t.true(
    await page.evaluate<boolean>(`document.activeElement.matches(${JSON.stringify(`${menu} > summary`)})`),
    `the focus is back on the ${label} button`,
  );
  await page.keyboard.press('Space');
  t.true(await menuOpen(page, menu), `Space opens the ${label} again`);
  await page.keyboard.press('Tab');
  const href = await page.evaluate<string | null>('document.activeElement.getAttribute("href")');
  t.truthy(href, `the first entry of the ${label} is a link`);
  // Waits for the load Enter starts: the entry may link to the page already open ("/"), where waiting for its
  // URL would return at once and the next navigation would interrupt this one.
  await Promise.all([page.waitForEvent('load'), page.keyboard.press('Enter')]);
  t.is(new URL(page.url()).pathname, href ?? '', `Enter follows the first entry of the ${label}`);
}

/** The composer, the reaction picker, the account menu at 1280 px and the phone menu at 390 px, keyboard only. */
export async function keyboardOnly(t: ExecutionContext, page: Page, base: string, theme: string): Promise<void> {
  await page.setViewportSize(DESKTOP);
  await composeAndReact(t, page, base, theme);

  await page.goto(`${base}/`);
  await walkMenu(t, page, '.account-menu', '.account-menu__panel', 'account menu');

  await page.setViewportSize(PHONE);
  await page.goto(`${base}/`);
  await walkMenu(t, page, '.nav-phone', '.nav-phone__panel', 'phone menu');
  // Leaving a header menu with Tab closes it, and opening the other shows one panel at a time.
  await page.goto(`${base}/`);
  t.true(await tabTo(page, '.nav-phone > summary'));
  await page.keyboard.press('Enter');
  await page.screenshot({ path: artifactPath(`keyboard/${theme}-phone-menu.png`) });
  t.true(await tabTo(page, '.account-menu > summary'));
  t.true((await menuOpen(page, '.nav-phone')) === false, 'leaving the phone menu with Tab closes it');
  await page.keyboard.press('Enter');
  t.true(await menuOpen(page, '.account-menu'));
  await page.screenshot({ path: artifactPath(`keyboard/${theme}-account-menu-phone.png`) });
  await page.setViewportSize(DESKTOP);
}
