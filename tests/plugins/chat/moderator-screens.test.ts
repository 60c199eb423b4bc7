/**
 * In a real browser (issue 22): a message a moderator hides while three participants have the chat
 * open turns, live, into the author's marked text, the moderator's marked text and the other
 * member's placeholder; the same in a group room drawn with the page (the group's admin is no
 * moderator of the network). Screenshots of each at 390 px and 1280 px.
 */
import test from 'ava';
import type { Page } from 'playwright-core';
import { withholdPiece } from '../../../core';
import { MessagesService } from '../../../plugins/messages/service';
import { signInPage } from '../../helpers/browser';
import { withBrowserApp } from '../../helpers/browser-app';
import { testContainer } from '../../helpers/members';
import { shots } from './shots';

const PASSWORD = 'violet staple engine 7';
const MINE = '.withheld-note:has-text("Only you and the moderators see it.")';
const MODERATED = '.withheld-note:has-text("Only its author and the moderators see it.")';
const PLACEHOLDER = '.chat-list li:has-text("This message was hidden by a moderator.")';

test('a hidden message reads marked for its author and the moderator, as a placeholder for the others, live and in a room', (t) =>
  withBrowserApp(t, async ({ app, server, browser }) => {
    const rt = app.app.ruche;
    const root = rt.networks.root().id;
    const ids: Record<string, number> = {};
    for (const [username, displayName] of [
      ['bob', 'Bob Marley'],
      ['mona', 'Mona Lisa'],
      ['carol', 'Carol King'],
      ['gina', 'Gina Lollo'],
    ]) {
      const r = await rt.users.create({ username, email: `${username}@example.com`, password: PASSWORD, displayName });
      if (!('id' in r)) throw new Error('could not create member');
      ids[username] = r.id;
    }
    await rt.db('memberships').where({ user_id: ids.mona, network_id: root }).update({ role: 'moderator' });
    const service = rt.container.resolve(MessagesService);
    const viewer = async (name: string) => (await rt.users.viewer(ids[name]))!;
    const { conversationId: id } = await service.start(await viewer('bob'), root, ['mona', 'carol'], 'Saturday', 'Who comes on **Saturday**?');
    await service.send(await viewer('carol'), root, id, 'I do, see you there.');
    await service.send(await viewer('bob'), root, id, 'Buy cheap watches at my shop, best prices in town!');
    await service.send(await viewer('mona'), root, id, 'Count me in.');
    const hidden = Number((await rt.db('messages').where({ conversation_id: id, seq: 3 }).first('id')).id);

    const pages: Record<string, Page> = {};
    for (const name of ['bob', 'mona', 'carol']) {
      pages[name] = await browser.newPage({ viewport: { width: 1280, height: 800 } });
      await signInPage(pages[name], server.url, name, PASSWORD);
      await pages[name].goto(`${server.url}/chat/${id}`);
      await pages[name].waitForSelector('[data-chat-status][data-state="online"]');
      await pages[name].waitForSelector('.chat-list li:has-text("cheap watches")');
    }
    // Hidden while the three are here: each page redraws it from its own frame.
    await rt.db.transaction((trx) => withholdPiece(rt, 'message', hidden, true, trx));
    await pages.bob.waitForSelector(MINE);
    await pages.mona.waitForSelector(MODERATED);
    await pages.carol.waitForSelector(PLACEHOLDER);
    t.regex((await pages.mona.textContent('.chat-list')) ?? '', /cheap watches/);
    // "Report" is never offered on what is hidden already, live as on the page.
    t.is(await pages.mona.locator('.chat-list li:has-text("cheap watches") .message__actions').count(), 0, 'no Report on the hidden message');
    t.is(await pages.mona.locator('.chat-list li:has-text("I do, see you there") .message__actions').count(), 1, 'Report on the others');
    t.notRegex((await pages.carol.textContent('.chat-list')) ?? '', /cheap watches/);
    await shots(pages.bob, 'hidden-author');
    await shots(pages.mona, 'hidden-moderator');
    await shots(pages.carol, 'hidden-member');

    // A group room, drawn with the page: the moderator in the group reads it marked, the group's admin the placeholder.
    const group = await testContainer(rt, ids.gina, [ids.bob, ids.mona], { ownerRole: 'admin' });
    const room = await service.room(await viewer('gina'), 'room', root, group);
    await service.send(await viewer('gina'), root, room.id, 'Welcome to the group room.');
    await service.send(await viewer('bob'), root, room.id, 'Buy cheap watches at my shop!');
    const inRoom = Number((await rt.db('messages').where({ conversation_id: room.id, seq: 2 }).first('id')).id);
    await rt.db.transaction((trx) => withholdPiece(rt, 'message', inRoom, true, trx));
    const gina = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await signInPage(gina, server.url, 'gina', PASSWORD);
    for (const [name, page, shown] of [
      ['mona', pages.mona, MODERATED],
      ['gina', gina, PLACEHOLDER],
    ] as const) {
      await page.setViewportSize({ width: 1280, height: 800 });
      await page.goto(`${server.url}/chat/${room.id}`);
      await page.waitForSelector('[data-chat-status][data-state="online"]');
      await page.waitForSelector(shown);
      t.is(
        await page.locator('.chat-list li:has-text("hidden") .message__actions, .chat-list li:has-text("Hidden") .message__actions').count(),
        0,
        name,
      );
      await shots(page, `room-hidden-${name === 'mona' ? 'moderator' : 'group-admin'}`);
    }
    t.notRegex((await gina.textContent('.chat-list')) ?? '', /cheap watches/);
  }));
