/**
 * The chat with the keyboard alone, in a real browser, while another member watches in a
 * second page (French, in another time zone): Tab to a conversation, type and send with
 * Enter, edit one's last message inline (Up in the empty box, Enter saves, Escape cancels),
 * delete through the inline confirmation, move to another room. No window.prompt or
 * confirm. Screenshots of the editor and the confirmation at 390 and 1280 px in both
 * themes, and of the French page; the times drawn with the page and those arriving live
 * share one format, in the reader's zone and language.
 */
import test from 'ava';
import type { Page } from 'playwright-core';
import { shootWidths, signInPage } from '../../helpers/browser';
import { withBrowserApp } from '../../helpers/browser-app';
import { screensPage, watchedPage } from '../../helpers/screens';
import { createMember, MEMBER_PASSWORD } from '../../helpers/members';
import { rowCount } from '../../helpers/rows';
import { tabTo } from '../../e2e/keyboard';

/** Whether the focused element matches `selector`. */
const focused = (page: Page, selector: string): Promise<boolean> =>
  page.evaluate<boolean>(`!!document.activeElement && document.activeElement.matches(${JSON.stringify(selector)})`);

/** Each message time on the page: its text, and its instant as `lang` writes it in `timeZone`. */
const times = (page: Page): Promise<{ text: string; at: string }[]> =>
  page.evaluate(
    `Array.from(document.querySelectorAll('.message__time time')).map((el) => ({ text: el.textContent, at: el.getAttribute('datetime') }))`,
  );

test('chat with the keyboard alone: send, edit inline, delete with a confirmation, move between rooms; one time format in en and fr', (t) =>
  withBrowserApp(t, async ({ app, server, browser }) => {
    const rt = app.app.ruche;
    await createMember(rt, 'alice', { displayName: 'Alice Liddell' });
    const bobId = await createMember(rt, 'bob', { displayName: 'Bob Marley', locale: 'fr' });
    // Bob chose a zone on his account (Kolkata) and reads from a browser in São Paulo: the page
    // writes his dates in his zone, and the live ones must follow it.
    await rt.db('users').where({ id: bobId }).update({ time_zone: 'Asia/Kolkata' });
    const { MessagesService } = await import('../../../plugins/messages/service');
    const service = rt.container.resolve(MessagesService);
    const network = rt.networks.root().id;
    const bobViewer = (await rt.users.viewer(bobId))!;
    const direct = (await service.start(bobViewer, network, ['alice'], '', 'Salut Alice, on déjeune ?')).conversationId;
    const room = await service.room(bobViewer, 'network', network, null);
    await service.send(bobViewer, network, room.id, 'Bonjour tout le monde');

    const screens = await screensPage(t, browser, 'chat');
    const alice = screens.page;
    const far = await watchedPage(browser, { viewport: { width: 390, height: 844 }, locale: 'fr-FR', timezoneId: 'America/Sao_Paulo' });
    const bob = screens.watch(far.page);
    await signInPage(alice, server.url, 'alice', MEMBER_PASSWORD);
    await signInPage(bob, server.url, 'bob', MEMBER_PASSWORD);
    await bob.goto(`${server.url}/chat/${direct}`);
    await bob.waitForSelector('[data-chat-status][data-state="online"]');
    let dialogs = 0;
    alice.on('dialog', (d) => (dialogs++, void d.dismiss()));

    // From the chat's list to the conversation, then type and send, with the keyboard only.
    await alice.goto(`${server.url}/chat`);
    t.true(await tabTo(alice, `a[href="/chat/${direct}"]`), 'the conversation is reached with Tab');
    await Promise.all([alice.waitForURL(`**/chat/${direct}`), alice.keyboard.press('Enter')]);
    await alice.waitForSelector('[data-chat-status][data-state="online"]');
    t.true(await tabTo(alice, '#reply-body'), 'the message box is reached with Tab');
    await alice.keyboard.type('Yes, at *noon*');
    await alice.keyboard.press('Enter');
    await bob.waitForSelector('.chat-list li:has-text("Yes, at") em:has-text("noon")');
    await alice.waitForSelector('#reply-body:placeholder-shown');

    // Up in the empty box edits one's last message inline, with its Markdown as written.
    await alice.keyboard.press('ArrowUp');
    await alice.waitForSelector('.message--mine .message__editor textarea:focus');
    await alice.waitForSelector('.message--mine[data-source="Yes, at *noon*"] .message__editor');
    t.is(await alice.inputValue('.message__editor textarea'), 'Yes, at *noon*');
    // Escape leaves it unchanged, back on the Edit button.
    await alice.keyboard.press('Escape');
    t.is(await alice.locator('.message__editor').count(), 0);
    t.true(await focused(alice, '.message--mine [data-edit]'), 'Escape returns to the Edit button');
    await alice.keyboard.press('Enter');
    await alice.waitForSelector('.message__editor textarea:focus');
    await alice.waitForSelector('.message--mine[data-source="Yes, at *noon*"] .message__editor');
    t.is(await alice.inputValue('.message__editor textarea'), 'Yes, at *noon*');
    await alice.keyboard.press('End');
    await alice.keyboard.type(' by the **river**');
    await alice.keyboard.press('Enter');
    await bob.waitForSelector('.chat-list li:has-text("by the") strong:has-text("river")');
    await alice.waitForSelector('.message__editor', { state: 'detached' });
    t.regex((await bob.textContent('.chat-list li:has-text("by the river") .message__meta')) ?? '', /modifié/);
    t.true(await focused(alice, '.message--mine [data-edit]'), 'after saving, the focus is back on Edit');

    // Delete: Tab to the button, Enter asks inline (focus on Cancel); Escape cancels; then
    // Enter again, Tab to the confirming button, Enter deletes.
    await alice.keyboard.press('Tab');
    t.true(await focused(alice, '.message--mine [data-delete]'));
    await alice.keyboard.press('Enter');
    t.regex((await alice.textContent('.message__confirm')) ?? '', /Delete this message\?/);
    t.is(await alice.getAttribute('.message__confirm', 'role'), 'group');
    t.true(await focused(alice, '.message__confirm .btn-ghost'), 'the focus is on Cancel');
    await alice.keyboard.press('Escape');
    t.is(await alice.locator('.message__confirm').count(), 0);
    t.true(await focused(alice, '.message--mine [data-delete]'), 'Escape returns to the Delete button');
    await alice.keyboard.press('Enter');
    await alice.keyboard.press('Tab');
    t.true(await focused(alice, '[data-confirm-delete]'));
    await alice.keyboard.press('Enter');
    await bob.waitForSelector('.chat-list li p.message__body:has-text("supprimé")');
    await alice.waitForSelector('#reply-body:focus');
    t.is(await alice.locator('.message--mine [data-edit]').count(), 0, 'a deleted message has no tools');
    t.is(dialogs, 0, 'no window.prompt or confirm');

    // To another room: back to the list, Tab to the network's room, write there.
    t.true(await tabTo(alice, 'a.conversation__back'));
    await Promise.all([alice.waitForURL('**/chat'), alice.keyboard.press('Enter')]);
    t.true(await tabTo(alice, 'a[href="/chat/network"]'), "the network's room is reached with Tab");
    await Promise.all([alice.waitForURL(`**/chat/${room.id}`), alice.keyboard.press('Enter')]);
    await alice.waitForSelector('[data-chat-status][data-state="online"]');
    t.true(await tabTo(alice, '#reply-body'));
    await alice.keyboard.type('Hello everyone');
    await alice.keyboard.press('Enter');
    await alice.waitForSelector('.chat-list li.message--mine:has-text("Hello everyone")');
    t.is(await rowCount(rt.db('messages').where({ conversation_id: room.id, body: 'Hello everyone' })), 1);

    // One time format: every time on both pages, drawn with the page or arrived live, is the
    // short time of the page's language in the reader's zone (Alice's browser's, UTC; Bob's
    // account's, Kolkata, not his browser's).
    for (const [page, lang, timeZone] of [
      [alice, 'en', 'UTC'],
      [bob, 'fr', 'Asia/Kolkata'],
    ] as const) {
      const shown = await times(page);
      t.true(shown.length >= 2);
      const format = new Intl.DateTimeFormat(lang, { timeStyle: 'short', timeZone });
      for (const s of shown) t.is(s.text, format.format(new Date(s.at)), `${lang}: ${s.at}`);
    }
    t.regex((await times(bob)).pop()!.text, /^\d{2}:\d{2}$/, 'French: 24-hour time');
    t.regex((await times(alice)).pop()!.text, /^\d{1,2}:\d{2}\s?[AP]M$/, 'English: 12-hour time');
    t.deepEqual(await shootWidths(bob, 'chat/conversation-fr'), { phone: 0, desktop: 0 }, 'the French page fits');

    // The editor and the confirmation, in both themes, at both widths.
    for (const theme of ['default', 'ardoise']) {
      await rt.networks.update(network, { theme });
      await alice.goto(`${server.url}/chat/${room.id}`);
      await alice.waitForSelector('[data-chat-status][data-state="online"]');
      await alice.focus('.message--mine [data-edit]');
      await alice.keyboard.press('Enter');
      await alice.waitForSelector('.message__editor textarea:focus');
      await screens.check(`editor-${theme}`);
      await alice.keyboard.press('Escape');
      await alice.keyboard.press('Tab');
      await alice.keyboard.press('Enter');
      await alice.waitForSelector('.message__confirm');
      await screens.check(`confirm-${theme}`);
      await alice.keyboard.press('Escape');
    }
    await far.context.close();
    t.deepEqual(screens.csp, [], 'no Content Security Policy complaint');
  }));
