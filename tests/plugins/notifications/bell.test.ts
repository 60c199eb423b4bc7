/**
 * In a real browser: Alice has a page open; Bob mentions her from the status composer;
 * when Alice reloads, the bell in the header counts one unread notification, the page
 * lists "Bob Marley mentioned you in a post", and opening it leads to the post and clears
 * the badge. Screenshots of the notifications page and the preferences at phone and
 * desktop widths, with no horizontal overflow.
 */
import test from 'ava';
import type { Page } from 'playwright-core';
import { DESKTOP, shootWidths, signInPage } from '../../helpers/browser';
import { withBrowserApp } from '../../helpers/browser-app';
import { PASSWORD, addUser } from '../profiles/support';

const shoot = (page: Page, name: string) => shootWidths(page, `notifications/${name}`);

const badge = (page: Page): Promise<string | null> =>
  page
    .locator('[data-indicator="notifications"] .indicator__badge')
    .textContent({ timeout: 1000 })
    .catch(() => null);

test('the bell count rises after another member mentions you', (t) =>
  withBrowserApp(t, async ({ app, server, browser }) => {
    await addUser(app, 'alice', 'Alice Liddell');
    await addUser(app, 'bob', 'Bob Marley');
    const alice = await browser.newPage({ viewport: DESKTOP });
    await signInPage(alice, server.url, 'alice', PASSWORD);
    await alice.goto(`${server.url}/`);
    t.is(await alice.getAttribute('[data-indicator="notifications"]', 'aria-label'), 'Notifications');
    t.is(await badge(alice), null, 'no badge yet');

    const bob = await browser.newPage({ viewport: DESKTOP });
    await signInPage(bob, server.url, 'bob', PASSWORD);
    await bob.goto(`${server.url}/`);
    await bob.fill('#status-body', '@alice the launch notes are ready, have a look');
    await Promise.all([bob.waitForURL(/\/$|\/status\/\d+$/), bob.click('.activity-composer button[type=submit]')]);

    await alice.reload();
    t.is(await badge(alice), '1', 'the bell counts the mention');
    t.is(await alice.getAttribute('[data-indicator="notifications"]', 'aria-label'), 'Notifications, 1 unread');
    await alice.click('[data-indicator="notifications"]');
    await alice.waitForURL(/\/notifications$/);
    t.is((await alice.textContent('.notification__link'))?.trim(), 'Bob Marley mentioned you in a post');
    const overflowList = await shoot(alice, 'list');
    t.deepEqual(overflowList, { phone: 0, desktop: 0 });

    await Promise.all([alice.waitForURL(/\/status\/\d+$/), alice.click('.notification__link')]);
    t.regex((await alice.textContent('main')) ?? '', /launch notes are ready/);
    t.is(await badge(alice), null, 'opened: the badge is gone');

    await alice.goto(`${server.url}/notifications/settings`);
    const overflowPrefs = await shoot(alice, 'settings');
    t.deepEqual(overflowPrefs, { phone: 0, desktop: 0 });
  }));
