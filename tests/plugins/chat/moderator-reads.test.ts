// A message a moderator hid (issue 22), read by the network's moderators where they already read the
// conversation: a moderator taking part reads it marked, live (the hub's moderator frame), on a
// fresh subscribe, in the socket's history and on the page; the author reads it marked; a plain
// participant, a group's admin (not a moderator of the network) and a moderator of another network
// taking part get the placeholder; a moderator who is not in the conversation gets nothing (404).
import { withholdPiece } from '../../../core';
import { frameOf } from '../../../plugins/chat/frames';
import { addMemberships, addSubNetwork } from '../../helpers/members';
import { type ChatEvent, type ChatServer, type Client, eachChatServer } from './support';

type Shown = { html: string; hidden?: boolean; withheld?: boolean };
const SECRET = /cheap watches/;

const hide = (app: ChatServer, id: number, withheld = true) => app.db.transaction((trx) => withholdPiece(app.rt, 'message', id, withheld, trx));
const setRole = (app: ChatServer, userId: number, role: string) => app.db('memberships').where({ user_id: userId, network_id: 1 }).update({ role });
const messageId = async (app: ChatServer, conversation: number, seq: number) =>
  Number((await app.db('messages').where({ conversation_id: conversation, seq }).first('id')).id);
const page = async (app: ChatServer, username: string, path: string) => (await app.as(username)).agent.http.get(path);

/** Subscribes each socket and waits until it has the message `seq`. */
async function subscribed(clients: Client[], conversation: number, seq: number): Promise<void> {
  for (const c of clients) c.send({ type: 'sub', conversation, after: 0 });
  for (const c of clients) await c.waitFor((e) => e.type === 'message' && e.conversation === conversation && e.message!.seq === seq);
}

const marked = (e: ChatEvent): boolean => (e.message as Shown).withheld === true && SECRET.test(e.message!.html) && !(e.message as Shown).hidden;
const placeholder = (e: ChatEvent): boolean => (e.message as Shown).hidden === true && e.message!.html === '' && !(e.message as Shown).withheld;

eachChatServer(
  'chat: a moderator taking part reads a hidden message marked, live and on the page; the others the placeholder; a moderator outside nothing',
  async (t, app) => {
    const [bob, mona, carol, pete, nick] = await app.members('bob', 'mona', 'carol', 'pete', 'nick');
    await setRole(app, mona, 'moderator');
    await setRole(app, nick, 'moderator');
    // Pete moderates a partner network only: the conversation is the root network's.
    await addMemberships(app.rt, await addSubNetwork(app.rt, 'partner', 'Partner'), [pete], 'moderator');
    const id = await app.start(bob, ['mona', 'carol', 'pete'], 'Hello all');
    await app.service.send(await app.viewer(bob), 1, id, 'Buy cheap watches');
    const hidden = await messageId(app, id, 2);
    const live = { bob: await app.client(bob), mona: await app.client(mona), carol: await app.client(carol), pete: await app.client(pete) };
    await subscribed(Object.values(live), id, 2);
    const before = { carol: live.carol.events.length, pete: live.pete.events.length };

    await hide(app, hidden);
    const edit = (e: ChatEvent) => e.type === 'edit' && e.message!.seq === 2;
    t.true(marked((await live.bob.waitFor(edit))[0]), 'the author: marked');
    t.true(marked((await live.mona.waitFor(edit))[0]), 'the moderator taking part: marked');
    t.true(placeholder((await live.carol.waitFor(edit))[0]), 'a participant: the placeholder');
    t.true(placeholder((await live.pete.waitFor(edit))[0]), 'a moderator of another network: the placeholder');

    // A fresh subscribe and the history read the stored message again: the same rule.
    const again = { mona: await app.client(mona), carol: await app.client(carol) };
    await subscribed(Object.values(again), id, 2);
    const second = (e: ChatEvent) => e.type === 'message' && e.message!.seq === 2;
    t.true(marked((await again.mona.waitFor(second))[0]), 'subscribing: marked for the moderator');
    t.true(placeholder((await again.carol.waitFor(second))[0]), 'subscribing: the placeholder for the participant');
    for (const [c, read] of [
      [again.mona, marked],
      [again.carol, placeholder],
    ] as const) {
      c.send({ type: 'history', conversation: id, before: 3, ref: 'h' });
      const [history] = await c.waitFor((e) => e.type === 'history' && e.ref === 'h');
      t.true(read({ type: 'message', message: (history.messages as ChatEvent['message'][]).find((m) => m!.seq === 2) }), 'history');
    }

    // The moderator who takes no part is told nothing, on the socket as on the page.
    const outside = await app.client(nick);
    outside.send({ type: 'sub', conversation: id, after: 0, ref: 's' });
    outside.send({ type: 'history', conversation: id, before: 3, ref: 'h' });
    const refused = await outside.waitFor((e) => e.type === 'error', 2);
    t.deepEqual(
      refused.map((e) => e.code),
      ['not_found', 'not_found'],
    );
    t.false(outside.events.some((e) => e.type === 'message' || e.type === 'history'));
    t.is((await page(app, 'nick', `/chat/${id}`)).status, 404);

    // The page: text and mark for the author and the moderator taking part, the placeholder for the others.
    const shown = {
      bob: (await page(app, 'bob', `/chat/${id}`)).text,
      mona: (await page(app, 'mona', `/chat/${id}`)).text,
      carol: (await page(app, 'carol', `/chat/${id}`)).text,
      pete: (await page(app, 'pete', `/chat/${id}`)).text,
    };
    t.regex(shown.bob, /Hidden by a moderator\.<\/strong> Only you and the moderators see it\./);
    t.regex(shown.bob, SECRET);
    t.regex(shown.mona, /Hidden by a moderator\.<\/strong> Only its author and the moderators see it\./);
    t.regex(shown.mona, SECRET);
    t.notRegex(shown.mona, new RegExp(`report/piece/message/${hidden}`), 'no Report on what is hidden already');
    for (const who of ['carol', 'pete'] as const) {
      t.notRegex(shown[who], SECRET, who);
      t.regex(shown[who], /This message was hidden by a moderator\./, who);
    }

    // Later messages reach everyone in the common frame; no text ever reached the others after the hide.
    await app.service.send(await app.viewer(carol), 1, id, 'Moving on');
    for (const [c, from] of [
      [live.carol, before.carol],
      [live.pete, before.pete],
    ] as const) {
      await c.waitFor((e) => e.type === 'message' && e.message!.seq === 3);
      t.false(SECRET.test(JSON.stringify(c.events.slice(from))), 'no hidden text after the hide');
    }
    // The common case is one render: a message nobody hid has no author's nor moderators' frame.
    const plain = (await app.service.messages(id, { limit: 30 })).find((m) => m.seq === 3)!;
    const frame = frameOf('message', id, plain, undefined);
    t.deepEqual([frame.own, frame.moderated], [null, null]);
  },
);

eachChatServer(
  'chat: in a group room, the network’s moderator in the group reads a hidden message marked; the group’s admin the placeholder',
  async (t, app) => {
    const [gina, bob, mona, nick] = await app.members('gina', 'bob', 'mona', 'nick');
    await setRole(app, mona, 'moderator');
    await setRole(app, nick, 'moderator');
    const group = await app.container(gina, [bob, mona]);
    const room = await app.service.room(await app.viewer(gina), 'room', 1, group);
    await app.service.send(await app.viewer(bob), 1, room.id, 'Buy cheap watches');
    const hidden = await messageId(app, room.id, 1);
    const live = { bob: await app.client(bob), mona: await app.client(mona), gina: await app.client(gina) };
    await subscribed(Object.values(live), room.id, 1);
    await hide(app, hidden);
    const edit = (e: ChatEvent) => e.type === 'edit' && e.message!.seq === 1;
    t.true(marked((await live.bob.waitFor(edit))[0]), 'the author');
    t.true(marked((await live.mona.waitFor(edit))[0]), 'the moderator in the group');
    t.true(placeholder((await live.gina.waitFor(edit))[0]), 'the group’s admin');
    t.regex((await page(app, 'mona', `/chat/${room.id}`)).text, SECRET);
    const gina_ = (await page(app, 'gina', `/chat/${room.id}`)).text;
    t.notRegex(gina_, SECRET);
    t.regex(gina_, /This message was hidden by a moderator\./);
    // The moderator outside the group reads neither the room nor its page.
    t.is((await page(app, 'nick', `/chat/${room.id}`)).status, 404);
    t.is((await page(app, 'nick', `/chat/group/${group}`)).status, 404);
    const outside = await app.client(nick);
    outside.send({ type: 'sub', conversation: room.id, after: 0 });
    t.is((await outside.waitFor((e) => e.type === 'error'))[0].code, 'not_found');

    // Shown again: everyone reads it, in the common frame.
    await hide(app, hidden, false);
    const [back] = await live.gina.waitFor(edit, 2);
    t.regex([...live.gina.events].reverse().find(edit)!.message!.html, SECRET);
    t.truthy(back);
  },
);
