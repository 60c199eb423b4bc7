/**
 * In a real browser: two members, each in their own Chromium page, exchange messages live
 * in the chat (no reload), and the header shows the unread count. Screenshots of the
 * inbox, a conversation and the chat at 390 px and 1280 px.
 */
import test from 'ava';
import { signInPage } from '../../helpers/browser';
import { withBrowserApp } from '../../helpers/browser-app';
import { shots } from './shots';

const PASSWORD = 'violet staple engine 7';

test('two members chat live in two browser pages and see the unread count', (t) =>
  withBrowserApp(t, async ({ app, server, browser }) => {
    const rt = app.app.ruche;
    for (const [username, displayName] of [
      ['alice', 'Alice Liddell'],
      ['bob', 'Bob Marley'],
    ]) {
      const r = await rt.users.create({ username, email: `${username}@example.com`, password: PASSWORD, displayName });
      if (!('id' in r)) throw new Error('could not create member');
    }
    const alice = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const bob = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await signInPage(alice, server.url, 'alice', PASSWORD);
    await signInPage(bob, server.url, 'bob', PASSWORD);

    // Alice starts the conversation through the plain form (works without JavaScript).
    await alice.goto(`${server.url}/messages/new?to=bob`);
    await alice.fill('#new-body', 'Hello Bob, **welcome**!');
    await Promise.all([alice.waitForURL(/\/messages\/\d+$/), alice.click('.composer__buttons .btn-primary')]);
    const id = Number(/\/messages\/(\d+)$/.exec(alice.url())![1]);
    await shots(alice, 'conversation');

    // Bob sees one unread conversation in the header, and the inbox.
    await bob.goto(`${server.url}/messages`);
    t.is((await bob.getAttribute('[data-indicator="messages"]', 'aria-label')) ?? '', 'Messages, 1 unread conversation');
    t.regex((await bob.textContent('.conv-list')) ?? '', /Alice Liddell/);
    await shots(bob, 'inbox');

    // Both open the live chat.
    await alice.setViewportSize({ width: 1280, height: 800 });
    await alice.goto(`${server.url}/chat/${id}`);
    await bob.goto(`${server.url}/chat/${id}`);
    await alice.waitForSelector('[data-chat-status][data-state="online"]');
    await bob.waitForSelector('[data-chat-status][data-state="online"]');
    // Each sees the other here: Alice sees Bob arrive, Bob learns Alice was already there.
    await alice.waitForSelector('.chat-presence li.is-online:has-text("Bob Marley")', { timeout: 5_000 });
    await bob.waitForSelector('.chat-presence li.is-online:has-text("Alice Liddell · Online")', { timeout: 5_000 });
    t.is(await bob.locator('.chat-presence li:has-text("Bob Marley")').count(), 0, 'one does not list oneself');
    await bob.fill('#reply-body', 'Hi Alice! Live from Bob.');
    await bob.press('#reply-body', 'Enter');
    await alice.waitForSelector('.chat-list li:has-text("Live from Bob")', { timeout: 5_000 });
    t.is(alice.url(), `${server.url}/chat/${id}`, 'no reload');
    await alice.fill('#reply-body', 'Got it, **instantly**.');
    await alice.click('form[data-chat-form] button[type=submit]');
    await bob.waitForSelector('.chat-list li:has-text("Got it") strong:has-text("instantly")', { timeout: 5_000 });
    t.is(await bob.locator('.chat-list li.message').count(), 3);
    t.is(await alice.locator('.chat-list li.message').count(), 3);
    await shots(bob, 'chat');

    // Bob leaves the chat; Alice writes; Bob's header counts it.
    await bob.goto(`${server.url}/chat`);
    await alice.waitForSelector('.chat-presence li:has-text("Bob Marley")', { state: 'detached', timeout: 5_000 });
    await alice.fill('#reply-body', 'Are you still there?');
    await alice.press('#reply-body', 'Enter');
    await alice.waitForSelector('.chat-list li:has-text("still there")');
    await bob.reload();
    t.is((await bob.getAttribute('[data-indicator="messages"]', 'aria-label')) ?? '', 'Messages, 1 unread conversation');
    await shots(bob, 'chat-home');

    // A longer history scrolls back in place: the page shows the latest 30, "Older
    // messages" loads the earlier ones over the socket without leaving the chat.
    const { MessagesService } = await import('../../../plugins/messages/service');
    const service = rt.container.resolve(MessagesService);
    await rt.pluginState.configure('messages', { ratePerMinute: 1000 });
    const aliceViewer = (await rt.users.viewer((await rt.db('users').where({ username: 'alice' }).first('id')).id))!;
    for (let i = 1; i <= 35; i++) await service.send(aliceViewer, rt.networks.root().id, id, `Backlog ${i}`);
    await bob.goto(`${server.url}/chat/${id}`);
    await bob.waitForSelector('[data-chat-status][data-state="online"]');
    t.is(await bob.locator('.chat-list li.message').count(), 30);
    await bob.click('[data-chat-older]');
    await bob.waitForSelector('.chat-list li:has-text("Hello Bob")', { timeout: 5_000 });
    t.is(await bob.locator('.chat-list li.message').count(), 39);
    t.is(await bob.locator('[data-chat-older]').count(), 0, 'nothing older left');
    t.is(bob.url(), `${server.url}/chat/${id}`, 'no navigation');
    const order = await bob.locator('.chat-list li.message').evaluateAll((els) => els.map((el) => Number(el.getAttribute('data-seq'))));
    t.deepEqual(
      order,
      Array.from({ length: 39 }, (_, k) => k + 1),
    );
  }));
