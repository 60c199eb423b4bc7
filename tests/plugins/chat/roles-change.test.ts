// An open chat socket follows its member's roles and status as the database has them now
// (issue 17, core standingNow), not those it connected with: changed from another process
// or the CLI (here: written to the database, with no message to this process), a moderator
// demoted reads a message hidden afterwards as the placeholder — live, on a fresh subscribe and in
// the history — and a member suspended gets nothing more: the socket closes and the next message
// reaches the others only. Real sockets, both databases.
import { ACCESS_ENDED, withholdPiece } from '../../../core';
import { type ChatEvent, type ChatServer, type Client, eachChatServer } from './support';

type Shown = { html: string; hidden?: boolean; withheld?: boolean };
const SECRET = /cheap watches/;

const hide = (app: ChatServer, id: number) => app.db.transaction((trx) => withholdPiece(app.rt, 'message', id, true, trx));
const messageId = async (app: ChatServer, conversation: number, seq: number) =>
  Number((await app.db('messages').where({ conversation_id: conversation, seq }).first('id')).id);
const marked = (e: ChatEvent): boolean => (e.message as Shown).withheld === true && SECRET.test(e.message!.html);
const placeholder = (e: ChatEvent): boolean => (e.message as Shown).hidden === true && e.message!.html === '' && !(e.message as Shown).withheld;
/** The close code of the socket, or -1 when it is still open after a minute (a loaded machine is slow, not wrong). */
const closed = (c: Client): Promise<number> =>
  new Promise((resolve) => {
    if (c.closed) return resolve(c.closeCode ?? 0);
    const timer = setTimeout(() => resolve(-1), 60_000);
    c.ws.once('close', (code: number) => (clearTimeout(timer), resolve(code)));
  });

eachChatServer('chat: a socket reads with its member’s roles and status as they are now, changed in another process', async (t, app) => {
  const [bob, mona, carol] = await app.members('bob', 'mona', 'carol');
  const setRole = (userId: number, role: string) => app.db('memberships').where({ user_id: userId, network_id: 1 }).update({ role });
  await setRole(mona, 'moderator');
  const id = await app.start(bob, ['mona', 'carol'], 'Hello all');
  const live = { bob: await app.client(bob), mona: await app.client(mona), carol: await app.client(carol) };
  for (const c of Object.values(live)) c.send({ type: 'sub', conversation: id, after: 0 });
  for (const c of Object.values(live)) await c.waitFor((e) => e.type === 'message' && e.message!.seq === 1);

  // While she moderates, Mona reads a hidden message marked.
  await app.service.send(await app.viewer(bob), 1, id, 'Buy cheap watches');
  await hide(app, await messageId(app, id, 2));
  const edit2 = (e: ChatEvent) => e.type === 'edit' && e.message!.seq === 2;
  t.true(marked((await live.mona.waitFor(edit2))[0]), 'a moderator: marked');

  // Demoted elsewhere: the next hide reaches her as the placeholder, as it reaches Carol.
  await setRole(mona, 'member');
  await app.service.send(await app.viewer(bob), 1, id, 'More cheap watches');
  await hide(app, await messageId(app, id, 3));
  const edit3 = (e: ChatEvent) => e.type === 'edit' && e.message!.seq === 3;
  t.true(placeholder((await live.carol.waitFor(edit3))[0]), 'a member: the placeholder');
  t.true(placeholder((await live.mona.waitFor(edit3))[0]), 'demoted: the placeholder, not the marked text');
  t.false(live.mona.closed, 'a demotion keeps the socket');
  // Her socket's own events read with her role now: the history and a fresh subscribe.
  live.mona.send({ type: 'history', conversation: id, before: 4, ref: 'h' });
  const [history] = await live.mona.waitFor((e) => e.type === 'history' && e.ref === 'h');
  for (const seq of [2, 3])
    t.true(placeholder({ type: 'message', message: (history.messages as ChatEvent['message'][]).find((m) => m!.seq === seq) }), `history ${seq}`);
  live.mona.send({ type: 'unsub', conversation: id });
  live.mona.send({ type: 'sub', conversation: id, after: 1 });
  const again = await live.mona.waitFor((e) => e.type === 'message' && e.message!.seq === 3, 2);
  t.true(placeholder(again[1]), 'subscribing: the placeholder');

  // Suspended elsewhere: the next message reaches the others only, and Carol's socket closes —
  // at the round that finds her suspended, or at her next event, which is not answered.
  const carolHeard = live.carol.events.length;
  const carolClosed = closed(live.carol);
  await app.db('users').where({ id: carol }).update({ status: 'suspended' });
  await app.service.send(await app.viewer(bob), 1, id, 'After the suspension');
  await live.bob.waitFor((e) => e.type === 'message' && e.message!.seq === 4);
  await live.mona.waitFor((e) => e.type === 'message' && e.message!.seq === 4);
  if (!live.carol.closed) live.carol.send({ type: 'history', conversation: id, before: 5, ref: 'late' });
  t.is(await carolClosed, ACCESS_ENDED, 'the suspended member’s socket is closed');
  // Everything sent to her came before the close: nothing after the suspension.
  t.false(
    live.carol.events.slice(carolHeard).some((e) => e.type === 'message' || e.type === 'edit' || e.type === 'history'),
    JSON.stringify(live.carol.events.slice(carolHeard)),
  );
});
