/**
 * Messages and chat in a real browser (issue 27): the composer suggests people as one types
 * and is driven by the keyboard; the inbox, a group conversation, the composer, the chat's
 * list and a chat conversation at 390 and 1280 px in both themes and in French; live times
 * and day separators agree with the page's own (a reader in another time zone than the
 * server); without JavaScript the chat says it is a plain form.
 */
import test from 'ava';
import type { Page } from 'playwright-core';
import { shootWidths, signInPage } from '../../helpers/browser';
import { withBrowserApp } from '../../helpers/browser-app';
import { createMembers, MEMBER_PASSWORD as PASSWORD } from '../../helpers/members';
import { screensPage, submitAndLoad, watchedPage } from '../../helpers/screens';

/** Every message time on the page, and the same time as the page's language formats it in the reader's zone. */
const times = (page: Page): Promise<{ text: string; expected: string }[]> =>
  page.evaluate(`Array.from(document.querySelectorAll('.message__time time')).map((el) => ({
    text: el.textContent,
    expected: new Intl.DateTimeFormat(document.documentElement.lang, { timeStyle: 'short' }).format(new Date(el.getAttribute('datetime'))),
  }))`);

test('messages and chat look finished: composer, inbox, conversation, chat, times, without JavaScript', (t) =>
  withBrowserApp(t, async ({ app, server, browser }) => {
    const rt = app.app.ruche;
    const ids = await createMembers(rt, { alice: 'Alice Liddell', bob: 'Bob Marley', bobby: 'Bobby Brown', carol: 'Carol Danvers' });
    const { MessagesService } = await import('../../../plugins/messages/service');
    const service = rt.container.resolve(MessagesService);
    const network = rt.networks.root().id;
    const viewer = async (name: string) => (await rt.users.viewer(ids[name]))!;
    const screens = await screensPage(t, browser, 'messages');
    const alice = screens.page;
    await signInPage(alice, server.url, 'alice', PASSWORD);

    // The composer: typing suggests members with avatars; the keyboard picks one.
    await alice.goto(`${server.url}/messages/new`);
    await alice.fill('#new-to', 'bo');
    await alice.waitForSelector('[data-composer-suggest] li:has-text("Bob Marley")');
    t.is(await alice.locator('[data-composer-suggest] li img').count(), 2, 'Bob and Bobby, with avatars');
    await screens.check('composer-suggest');
    await alice.press('#new-to', 'ArrowDown');
    await alice.press('#new-to', 'Enter');
    t.is(await alice.inputValue('#new-to'), 'bob, ');
    await alice.fill('#new-to', 'bob, car');
    await alice.waitForSelector('[data-composer-suggest] li:has-text("Carol Danvers")');
    await alice.press('#new-to', 'ArrowDown');
    await alice.press('#new-to', 'Tab');
    t.is(await alice.inputValue('#new-to'), 'bob, carol, ');
    await alice.fill('#new-subject', 'Offsite in Lyon');
    await alice.fill('#new-body', 'Who brings the **projector**?');
    await Promise.all([alice.waitForURL(/\/messages\/\d+$/), alice.click('.composer__buttons .btn-primary')]);
    const group = Number(/\/messages\/(\d+)$/.exec(alice.url())![1]);
    // Yesterday's message, then today's: a day separator between them.
    await rt
      .db('messages')
      .where({ conversation_id: group, seq: 1 })
      .update({ created_at: Date.now() - 86_400_000 });
    await service.send(await viewer('bob'), network, group, 'I do. And the *cables*.');
    await service.send(await viewer('carol'), network, group, 'See you at the station at 9, platform 4.');
    const direct = (await service.start(await viewer('bob'), network, ['alice'], '', 'Lunch at noon? The usual place, near the river.'))
      .conversationId;
    await rt.pluginState.configure('messages', { ratePerMinute: 1000 });
    // Alice blocks Bobby: her account page leads to the list where she can unblock him.
    await service.block(network, ids.alice, ids.bobby);

    for (const theme of ['default', 'ardoise']) {
      await rt.networks.update(network, { theme });
      await alice.goto(`${server.url}/messages`);
      await screens.check(`inbox-${theme}`);
      await alice.goto(`${server.url}/messages/${group}`);
      t.is(await alice.locator('.day-separator').count(), 2);
      await screens.check(`conversation-${theme}`);
      await alice.goto(`${server.url}/messages/new?to=bob&q=car`);
      await screens.check(`composer-${theme}`);
      await alice.goto(`${server.url}/messages/search?q=lyon`);
      await screens.check(`search-${theme}`);
      await alice.goto(`${server.url}/account`);
      await Promise.all([alice.waitForURL('**/messages/blocked'), alice.click('a:has-text("Blocked members")')]);
      t.true(await alice.locator('.messages-blocked__row:has-text("Bobby Brown") img.avatar').isVisible());
      await screens.check(`blocked-${theme}`);
      await alice.goto(`${server.url}/chat`);
      await screens.check(`chat-home-${theme}`);
      await alice.goto(`${server.url}/chat/${direct}`);
      await alice.waitForSelector('[data-chat-status][data-state="online"]');
      await screens.check(`chat-${theme}`);
      // "Message" and blocking on a profile, "Message" in the directory.
      await alice.goto(`${server.url}/people/bob`);
      await screens.check(`profile-${theme}`);
      await alice.goto(`${server.url}/people`);
      await screens.check(`directory-${theme}`);
    }
    await rt.networks.update(network, { theme: 'default' });

    // In French: the conversation's options open, blocking explained.
    await rt.db('users').where({ id: ids.alice }).update({ locale: 'fr' });
    await alice.goto(`${server.url}/messages/${direct}`);
    await alice.click('.conversation__menu summary');
    t.regex((await alice.textContent('.conversation__block')) ?? '', /Bloquer Bob Marley[\s\S]*ne pourra plus vous écrire/);
    await screens.check('conversation-options-fr');
    await rt.db('users').where({ id: ids.alice }).update({ locale: 'en' });

    // One time format: a reader far from the server's zone sees the page's times and the
    // live ones in the same format and zone; live messages get their day separator.
    const far = await watchedPage(browser, { viewport: { width: 390, height: 844 }, timezoneId: 'Pacific/Kiritimati' });
    await signInPage(far.page, server.url, 'bob', PASSWORD);
    await far.page.goto(`${server.url}/chat/${group}`);
    await far.page.waitForSelector('[data-chat-status][data-state="online"]');
    // Bob has a chat open: the chat's list shows him online beside his conversation.
    await alice.goto(`${server.url}/chat`);
    t.regex((await alice.textContent('.conv-row:has-text("Bob Marley") .conv-row__presence')) ?? '', /Online/);
    await service.send(await viewer('alice'), network, group, 'Live from Alice');
    await far.page.waitForSelector('.chat-list li:has-text("Live from Alice")');
    const shown = await times(far.page);
    t.is(shown.length, 4);
    for (const s of shown) t.is(s.text, s.expected);
    const serverZone = new Intl.DateTimeFormat('en', { timeStyle: 'short' }).format(new Date());
    const readerZone = new Intl.DateTimeFormat('en', { timeStyle: 'short', timeZone: 'Pacific/Kiritimati' }).format(new Date());
    t.not(serverZone, readerZone, 'the reader is in another zone than the server');
    t.true((await far.page.locator('.day-separator').count()) >= 1);
    await far.context.close();

    // Without JavaScript the chat says what it is: a plain form, not "Reconnecting…".
    const plain = await watchedPage(browser, { viewport: { width: 390, height: 844 }, javaScriptEnabled: false });
    await signInPage(plain.page, server.url, 'carol', PASSWORD);
    await plain.page.goto(`${server.url}/chat/${group}`);
    const status = (await plain.page.textContent('[data-chat-status]')) ?? '';
    t.regex(status, /plain form/);
    t.notRegex(status, /Reconnecting/);
    await plain.page.fill('#reply-body', 'Sent without JavaScript');
    await Promise.all([plain.page.waitForURL(`**/chat/${group}`), plain.page.click('form.messages-reply button[type=submit]')]);
    t.true(await plain.page.locator('.chat-list li:has-text("Sent without JavaScript")').isVisible());
    // Without JavaScript the composer is one form: finding and adding people keep what was
    // typed, a chosen person can be removed, and Enter in a field sends (not "Find").
    const p = plain.page;
    await p.goto(`${server.url}/messages/new`);
    await p.fill('#new-subject', 'Kickoff');
    await p.fill('#new-body', 'Typed before picking people');
    await p.fill('#find-q', 'b');
    await Promise.all([p.waitForURL('**/messages'), p.click('button[name=find]')]);
    t.is(await p.locator('.composer__people li').count(), 2, 'Bob and Bobby, with Add buttons');
    await submitAndLoad(p, () => p.click('button[name=add][value=bob]'));
    await p.fill('#find-q', 'ali');
    await submitAndLoad(p, () => p.click('button[name=find]'));
    await submitAndLoad(p, () => p.click('button[name=add][value=alice]'));
    t.is(await p.inputValue('#new-to'), 'bob, alice');
    t.is(await p.inputValue('#new-body'), 'Typed before picking people');
    t.is(await p.inputValue('#new-subject'), 'Kickoff');
    t.deepEqual(await shootWidths(p, 'messages/composer-nojs'), { phone: 0, desktop: 0 });
    await submitAndLoad(p, () => p.click('button[name=remove][value=bob]'));
    t.is(await p.inputValue('#new-to'), 'alice');
    await Promise.all([p.waitForURL(/\/messages\/\d+$/), p.press('#new-subject', 'Enter')]);
    t.true(await p.locator('.message:has-text("Typed before picking people")').isVisible());
    await plain.context.close();
    t.deepEqual(screens.csp, [], 'no Content Security Policy complaint');
  }));
