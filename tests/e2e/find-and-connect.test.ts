/**
 * In a real browser: a member finds a colleague in the directory by an admin-defined field
 * (the festival case: where they sleep), opens their profile and asks to connect; the
 * colleague accepts from their connections page; both see each other as connected.
 */
import test from 'ava';
import type { Page } from 'playwright-core';
import { artifactPath, signInPage } from '../helpers/browser';
import { withBrowserApp } from '../helpers/browser-app';
import { PASSWORD, addField, addUser, setValue } from '../plugins/profiles/support';

const signIn = (page: Page, base: string, username: string): Promise<void> => signInPage(page, base, username, PASSWORD);

test('a member finds a colleague by an extra field and connects', (t) =>
  withBrowserApp(t, async ({ app, server, browser }) => {
    await addUser(app, 'alice', 'Alice Liddell');
    const bob = await addUser(app, 'bob', 'Bob Marley');
    const carol = await addUser(app, 'carol', 'Carol Danvers');
    const lodging = await addField(app, 'lodging', 'choice', 'members', { choices: ['Camping', 'Hotel Lumière'] });
    await setValue(app, bob, lodging, 'Hotel Lumière');
    await setValue(app, carol, lodging, 'Camping');

    const alice = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await signIn(alice, server.url, 'alice');
    await alice.goto(`${server.url}/people`);
    await alice.click('summary.connections-filters__toggle'); // the field filters are folded until used
    await alice.selectOption('select[name="x_lodging"]', 'Hotel Lumière');
    await Promise.all([alice.waitForURL(/x_lodging=/), alice.click('form.connections-search button[type=submit]')]);
    const results = (await alice.textContent('main')) ?? '';
    t.regex(results, /Bob Marley/);
    t.notRegex(results, /Carol Danvers/, 'the filter keeps only people at the Hotel Lumière');
    await alice.screenshot({ path: artifactPath('connections/directory-filtered-desktop.png'), fullPage: true });
    await alice.setViewportSize({ width: 390, height: 844 });
    await alice.screenshot({ path: artifactPath('connections/directory-filtered-phone.png'), fullPage: true });
    await alice.setViewportSize({ width: 1280, height: 800 });

    await Promise.all([alice.waitForURL('**/people/bob'), alice.click('main a[href$="/people/bob"]')]);
    await Promise.all([alice.waitForLoadState('load'), alice.click('.connections-actions button:has-text("Connect")')]);
    t.regex((await alice.textContent('.connections-actions')) ?? '', /Request sent|sent/i);

    const bobPage = await browser.newPage({ viewport: { width: 390, height: 844 } });
    await signIn(bobPage, server.url, 'bob');
    await bobPage.goto(`${server.url}/connections`);
    await bobPage.screenshot({ path: artifactPath('connections/requests-phone.png'), fullPage: true });
    await Promise.all([bobPage.waitForLoadState('load'), bobPage.click('form[action*="/accept"] button')]);

    const rt = app.app.ruche;
    const friends = await rt.db('user_relations').where({ kind: 'friend' }).count<{ n: number }[]>('user_id as n').first();
    t.is(Number(friends?.n), 2, 'the friendship is stored both ways');
    await alice.goto(`${server.url}/people/bob`);
    t.regex((await alice.textContent('.connections-actions')) ?? '', /Connected/i);
    await alice.screenshot({ path: artifactPath('connections/profile-connected-desktop.png'), fullPage: true });
  }));
