// A message a moderator hid (issue 22) in the live chat: its author reads it marked (their own
// frame, over real sockets, live and on a fresh subscribe); the other participants get only that it
// was hidden (no text, no "Report"), in the same frame for all of them.
import { withholdPiece } from '../../../core';
import { type ChatEvent, eachChatServer } from './support';

type Shown = { html: string; hidden?: boolean; withheld?: boolean };

eachChatServer('chat: a hidden message reaches its author marked and the others as a placeholder, live and on subscribing', async (t, app) => {
  const alice = await app.member('alice');
  const bob = await app.member('bob');
  const carol = await app.member('carol');
  const id = await app.start(alice, ['bob', 'carol'], 'Hello all');
  const sockets = { alice: await app.client(alice), bob: await app.client(bob), carol: await app.client(carol) };
  for (const s of Object.values(sockets)) s.send({ type: 'sub', conversation: id, after: 0 });
  for (const s of Object.values(sockets)) await s.waitFor((e) => e.type === 'message', 1);
  const sent = await app.service.send(await app.viewer(bob), 1, id, 'Buy cheap watches');
  for (const s of Object.values(sockets)) await s.waitFor((e) => e.type === 'message' && e.message!.seq === 2);
  const messageId = (await app.db('messages').where({ conversation_id: id, seq: 2 }).first('id')).id as number;
  t.truthy(sent);

  const heard = { alice: sockets.alice.events.length, carol: sockets.carol.events.length };
  await app.db.transaction((trx) => withholdPiece(app.rt, 'message', Number(messageId), true, trx));
  const edit = (e: ChatEvent) => e.type === 'edit' && e.message!.seq === 2;
  const [own] = await sockets.bob.waitFor(edit);
  t.true((own.message as Shown).withheld, 'the author: marked');
  t.regex(own.message!.html, /cheap watches/, 'the author reads it');
  for (const who of ['alice', 'carol'] as const) {
    const [other] = await sockets[who].waitFor(edit);
    t.true((other.message as Shown).hidden, `${who}: hidden`);
    t.is(other.message!.html, '', `${who}: no text`);
    t.falsy((other.message as Shown).withheld, who);
  }

  // A fresh subscribe reads the conversation again: the same frames.
  const again = { bob: await app.client(bob), carol: await app.client(carol) };
  for (const s of Object.values(again)) s.send({ type: 'sub', conversation: id, after: 0 });
  const second = (e: ChatEvent) => e.type === 'message' && e.message!.seq === 2;
  const [mine] = await again.bob.waitFor(second);
  t.true((mine.message as Shown).withheld);
  t.regex(mine.message!.html, /cheap watches/);
  const [theirs] = await again.carol.waitFor(second);
  t.true((theirs.message as Shown).hidden);
  t.is(theirs.message!.html, '');
  // Later messages reach everyone in the common frame; nobody but Bob ever got the text.
  await app.service.send(await app.viewer(alice), 1, id, 'Moving on');
  for (const [s, from] of [
    [sockets.alice, heard.alice],
    [sockets.carol, heard.carol],
    [again.carol, 0],
  ] as const) {
    await s.waitFor((e) => e.type === 'message' && e.message!.seq === 3);
    t.false(/watches/.test(JSON.stringify(s.events.slice(from))), 'no hidden text after the hide');
  }
  // Shown again: everyone reads it.
  await app.db.transaction((trx) => withholdPiece(app.rt, 'message', Number(messageId), false, trx));
  const [back] = await sockets.carol.waitFor(edit, 2);
  t.regex([...sockets.carol.events].reverse().find(edit)!.message!.html, /cheap watches/);
  t.truthy(back);
});
