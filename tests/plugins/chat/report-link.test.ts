/**
 * In a real browser (issue 22): messages are reportable pieces, and the live chat shows a
 * "Report" link on the other participants' messages, the ones on the page and the ones that
 * arrive live, never on one's own. The link is a plain link to the report form (it works
 * without JavaScript). Screenshots of the chat with the link at 390 px and 1280 px.
 */
import test from 'ava';
import type { Page } from 'playwright-core';
import { signInPage } from '../../helpers/browser';
import { withBrowserApp } from '../../helpers/browser-app';
import { shots } from './shots';

const PASSWORD = 'violet staple engine 7';

/** The Report links' addresses on the message of the list that says `text`. */
const reportHrefs = (page: Page, text: string): Promise<string[]> =>
  page
    .locator(`.chat-list li.message:has-text("${text}") a[data-action="report"]`)
    .evaluateAll((els) => els.map((el) => el.getAttribute('href') ?? ''));

test('the live chat shows "Report" on the other participants’ messages, drawn with the page or arriving live, never on one’s own', (t) =>
  withBrowserApp(t, async ({ app, server, browser }) => {
    const rt = app.app.ruche;
    const ids: Record<string, number> = {};
    for (const [username, displayName] of [
      ['alice', 'Alice Liddell'],
      ['bob', 'Bob Marley'],
    ]) {
      const r = await rt.users.create({ username, email: `${username}@example.com`, password: PASSWORD, displayName });
      if (!('id' in r)) throw new Error('could not create member');
      ids[username] = r.id;
    }
    const { MessagesService } = await import('../../../plugins/messages/service');
    const service = rt.container.resolve(MessagesService);
    const network = rt.networks.root().id;
    const bobViewer = (await rt.users.viewer(ids.bob))!;
    const { conversationId: id } = await service.start(bobViewer, network, ['alice'], '', 'Hello from the page');
    const first = Number((await rt.db('messages').where({ conversation_id: id }).first('id')).id);

    const alice = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const bob = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await signInPage(alice, server.url, 'alice', PASSWORD);
    await signInPage(bob, server.url, 'bob', PASSWORD);
    await alice.goto(`${server.url}/chat/${id}`);
    await bob.goto(`${server.url}/chat/${id}`);
    await alice.waitForSelector('[data-chat-status][data-state="online"]');
    await bob.waitForSelector('[data-chat-status][data-state="online"]');

    const next = encodeURIComponent(`/chat/${id}`);
    t.deepEqual(await reportHrefs(alice, 'Hello from the page'), [`/moderation/report/piece/message/${first}?next=${next}`], 'drawn with the page');
    t.deepEqual(await reportHrefs(bob, 'Hello from the page'), [], 'not on one’s own');

    await bob.fill('#reply-body', 'Live from Bob');
    await bob.press('#reply-body', 'Enter');
    await alice.waitForSelector('.chat-list li.message:has-text("Live from Bob")');
    await bob.waitForSelector('.chat-list li.message:has-text("Live from Bob")');
    const live = Number((await rt.db('messages').where({ conversation_id: id }).orderBy('id', 'desc').first('id')).id);
    t.deepEqual(await reportHrefs(alice, 'Live from Bob'), [`/moderation/report/piece/message/${live}?next=${next}`], 'on a message arriving live');
    t.deepEqual(await reportHrefs(bob, 'Live from Bob'), [], 'not on one’s own live message');
    await alice.fill('#reply-body', 'Alice answers live');
    await alice.press('#reply-body', 'Enter');
    await alice.waitForSelector('.chat-list li.message:has-text("Alice answers live")');
    t.deepEqual(await reportHrefs(alice, 'Alice answers live'), [], 'not on one’s own, sent live');
    await shots(alice, 'chat-report');

    // The link is the report form's address: it opens the form, which names the message.
    await Promise.all([
      alice.waitForURL(/\/moderation\/report\/piece\/message\/\d+/),
      alice.click(`.chat-list li.message:has-text("Live from Bob") a[data-action="report"]`),
    ]);
    t.truthy(await alice.waitForSelector('form textarea, form select, form input[type=radio]'));
  }));
