import test from 'ava';
import { ACCESS_ENDED } from '../../../core';
import { herePayloads, parseHere } from '../../../plugins/messages/hooks';
import { eachDatabase } from '../../helpers/databases';
import { rowCount } from '../../helpers/rows';
import { type ChatEvent, type ChatServer, chatServer, connect, eachChatServer } from './support';

/** Three members: alice, bob and carol (ids). */
async function aliceBobCarol(app: ChatServer) {
  return { alice: await app.member('alice'), bob: await app.member('bob'), carol: await app.member('carol') };
}

eachChatServer('chat socket: the upgrade needs a session cookie and the site origin', async (t, app) => {
  const alice = await app.member('alice');
  const cookie = await app.cookie(alice);
  await t.throwsAsync(connect(app.url, null), { message: /refused 401/ });
  await t.throwsAsync(connect(app.url, `${app.rt.config.session.cookieName}=forged`), { message: /refused 401/ });
  await t.throwsAsync(connect(app.url, cookie, 'https://evil.example'), { message: /refused 403/ });
  await t.throwsAsync(connect(app.url, cookie, null), { message: /refused 403/ });
  await t.throwsAsync(connect(app.url, cookie, app.url, '/nope'), { message: /refused 404/ });
  const ok = await connect(app.url, cookie);
  ok.close();
  await app.rt.db('users').where({ id: alice }).update({ status: 'suspended' });
  await t.throwsAsync(connect(app.url, cookie), { message: /refused 401/ });
});

eachChatServer('chat socket: live delivery to every tab of the participants; non-participants get not a byte', async (t, app) => {
  const { alice, bob, carol } = await aliceBobCarol(app);
  const id = await app.start(alice, ['bob'], 'one');
  const a = await app.client(alice);
  const b1 = await app.client(bob);
  const b2 = await app.client(bob);
  const c = await app.client(carol);
  for (const x of [a, b1, b2]) x.send({ type: 'sub', conversation: id, after: 0 });
  c.send({ type: 'sub', conversation: id, after: 0, ref: 7 });
  const [refused] = await c.waitFor((e) => e.type === 'error');
  t.is(refused.code, 'not_found');
  t.is(refused.ref, 7);
  for (const x of [a, b1, b2]) await x.waitFor((e) => e.type === 'message', 1);
  a.send({ type: 'send', conversation: id, body: 'two', ref: 1 });
  t.is((await a.waitFor((e) => e.type === 'ack'))[0].seq, 2);
  await app.service.send(await app.viewer(bob), 1, id, 'three over HTTP');
  for (const x of [a, b1, b2]) {
    await x.waitFor((e) => e.type === 'message', 3);
    t.deepEqual(x.messages(id), [1, 2, 3]);
  }
  b1.send({ type: 'typing', conversation: id });
  await a.waitFor((e) => e.type === 'typing' && e.user === bob);
  c.send({ type: 'send', conversation: id, body: 'intrusion', ref: 2 });
  await c.waitFor((e) => e.type === 'error', 2);
  // A later message delivered to alice: the rounds that could have reached carol are done.
  await app.service.send(await app.viewer(bob), 1, id, 'four');
  await a.waitFor((e) => e.type === 'message' && e.message!.seq === 4);
  t.true(
    c.events.every((e) => e.type === 'error'),
    'carol got only refusals',
  );
  t.false(JSON.stringify(c.events).includes('one'));
  // Edit and delete own messages; others' are refused.
  const mine = a.events.find((e) => e.type === 'message' && e.message!.seq === 2)!.message!;
  a.send({ type: 'edit', id: mine.id, body: 'two (fixed)' });
  await b1.waitFor((e) => e.type === 'edit' && e.message!.html.includes('fixed'));
  b1.send({ type: 'delete', id: mine.id, ref: 9 });
  t.is((await b1.waitFor((e) => e.type === 'error' && e.ref === 9))[0].code, 'forbidden');
  // The inline editor asks for one's own message as written; another's is as missing.
  a.send({ type: 'source', id: mine.id, ref: 10 });
  t.is((await a.waitFor((e) => e.type === 'source' && e.ref === 10))[0].body, 'two (fixed)');
  b1.send({ type: 'source', id: mine.id, ref: 11 });
  t.is((await b1.waitFor((e) => e.type === 'error' && e.ref === 11))[0].code, 'not_found');
  c.send({ type: 'source', id: mine.id, ref: 12 });
  t.is((await c.waitFor((e) => e.type === 'error' && e.ref === 12))[0].code, 'not_found');
});

eachDatabase('chat socket: a client that reconnects with its last seq gets exactly what it missed; restart loses nothing', async (t, db) => {
  let app = await chatServer(db);
  try {
    const alice = await app.member('alice');
    const bob = await app.member('bob');
    const id = await app.start(alice, ['bob'], 'm1');
    let b = await app.client(bob);
    b.send({ type: 'sub', conversation: id, after: 0 });
    await b.waitFor((e) => e.type === 'message');
    b.close();
    for (let i = 2; i <= 4; i++) await app.service.send(await app.viewer(alice), 1, id, `m${i}`);
    b = await app.client(bob);
    b.send({ type: 'sub', conversation: id, after: 1 });
    await b.waitFor((e) => e.type === 'message', 3);
    t.deepEqual(b.messages(id), [2, 3, 4]);
    const last = 4;
    // Restart: a new app and server on the same database.
    await app.close();
    app = await chatServer(db, { restart: true });
    for (let i = 5; i <= 6; i++) await app.service.send(await app.viewer(alice), 1, id, `m${i}`);
    b = await app.client(bob);
    b.send({ type: 'sub', conversation: id, after: last });
    await b.waitFor((e) => e.type === 'message', 2);
    // One more: messages arrive in seq order, so nothing earlier can follow it.
    await app.service.send(await app.viewer(alice), 1, id, 'm7');
    await b.waitFor((e) => e.type === 'message' && e.message!.seq === 7);
    t.deepEqual(b.messages(id), [5, 6, 7]);
  } finally {
    await app.close();
  }
});

eachChatServer('chat socket: a group room reaches its members only; removal from the group stops events at once', async (t, app) => {
  const { alice, bob, carol } = await aliceBobCarol(app);
  const group = await app.container(alice, [bob]);
  const room = await app.service.room(await app.viewer(alice), 'room', 1, group);
  await t.throwsAsync(app.service.room(await app.viewer(carol), 'room', 1, group), { message: /404/ });
  const a = await app.client(alice);
  const b = await app.client(bob);
  a.send({ type: 'sub', conversation: room.id, after: 0 });
  b.send({ type: 'sub', conversation: room.id, after: 0 });
  await a.waitFor((e) => e.type === 'subscribed');
  await b.waitFor((e) => e.type === 'subscribed');
  a.send({ type: 'send', conversation: room.id, body: 'hello room' });
  await b.waitFor((e) => e.type === 'message');
  await app.rt.db('container_members').where({ container_id: group, user_id: bob }).delete();
  a.send({ type: 'send', conversation: room.id, body: 'bob is gone' });
  await b.waitFor((e) => e.type === 'removed');
  await a.waitFor((e) => e.type === 'message', 2);
  a.send({ type: 'send', conversation: room.id, body: 'and again' });
  await a.waitFor((e) => e.type === 'message', 3);
  t.deepEqual(b.messages(room.id), [1]);
  t.false(JSON.stringify(b.events).includes('bob is gone'));
  b.send({ type: 'sub', conversation: room.id, after: 0, ref: 3 });
  t.is((await b.waitFor((e) => e.type === 'error' && e.ref === 3))[0].code, 'not_found');
  t.is((await (await app.as('bob')).agent.http.get(`/chat/${room.id}`)).status, 404);
});

eachChatServer('chat socket: the rate limit answers a clear error event and stores nothing more', async (t, app) => {
  const alice = await app.member('alice');
  await app.member('bob');
  const id = await app.start(alice, ['bob'], 'first');
  await app.rt.pluginState.configure('messages', { ratePerMinute: 3 });
  const a = await app.client(alice);
  for (let i = 0; i < 4; i++) a.send({ type: 'send', conversation: id, body: `m${i}`, ref: i });
  const [err] = await a.waitFor((e) => e.type === 'error');
  t.is(err.code, 'rate_limited');
  t.is(err.ref, 2);
  t.regex(String(err.message), /too fast/);
  t.is(await rowCount(app.rt.db('messages').where({ conversation_id: id })), 3);
});

eachChatServer(
  'chat socket: a member suspended while connected can no longer send; concurrent sends from many sockets keep one seq each',
  async (t, app) => {
    const { alice, bob, carol } = await aliceBobCarol(app);
    const id = await app.start(alice, ['bob', 'carol'], 'hello');
    const a = await app.client(alice);
    const b = await app.client(bob);
    const c = await app.client(carol);
    for (const x of [a, b, c]) x.send({ type: 'sub', conversation: id, after: 0 });
    for (const x of [a, b, c]) await x.waitFor((e) => e.type === 'message', 1);
    // Sends from three sockets at once are stored together: distinct consecutive seqs, each delivered once.
    for (let i = 0; i < 10; i++) for (const x of [a, b, c]) x.send({ type: 'send', conversation: id, body: `burst ${i}` });
    for (const x of [a, b, c]) {
      await x.waitFor((e) => e.type === 'message', 31);
      t.deepEqual(
        x.messages(id),
        Array.from({ length: 31 }, (_, k) => k + 1),
      );
    }
    await app.rt.db('users').where({ id: bob }).update({ status: 'suspended' });
    b.send({ type: 'send', conversation: id, body: 'still here?', ref: 5 });
    // Refused before anything is stored: told so, or — when a delivery round read his standing first
    // (core standingNow; on PostgreSQL the burst's notifications still arrive) — his socket closed.
    const refused = await b.eventOrClose((e) => e.type === 'error' && e.ref === 5);
    if (refused) t.is(refused.code, 'not_found');
    else t.is(b.closeCode, ACCESS_ENDED);
    t.is(await rowCount(app.rt.db('messages').where({ conversation_id: id })), 31);
    t.false(JSON.stringify(a.events).includes('still here?'));
  },
);

type Presence = { user: number; name: string; state: string }[];

eachChatServer('chat socket: presence — who is here on arrival, online / away / offline as it changes, to participants only', async (t, app) => {
  const { alice, bob, carol } = await aliceBobCarol(app);
  const id = await app.start(alice, ['bob'], 'hello');
  const a = await app.client(alice);
  a.send({ type: 'sub', conversation: id, after: 0 });
  await a.waitFor((e) => e.type === 'message');
  const b = await app.client(bob);
  b.send({ type: 'sub', conversation: id, after: 0 });
  // Bob arrives: alice is told, and bob learns alice was already here (with her name).
  await a.waitFor(() => a.presence(bob) === 'online');
  await b.waitFor(() => b.presence(alice) === 'online');
  const known = b.events.filter((e) => e.type === 'presence').flatMap((e) => e.members as Presence);
  t.is(known.find((m) => m.user === alice)!.name, 'alice');
  b.send({ type: 'presence', state: 'away' });
  await a.waitFor(() => a.presence(bob) === 'away');
  b.send({ type: 'presence', state: 'online' });
  await a.waitFor(() => a.presence(bob) === 'online');
  // Carol, outside the conversation, cannot subscribe and hears nothing of it.
  const c = await app.client(carol);
  c.send({ type: 'sub', conversation: id, after: 0 });
  await c.waitFor((e) => e.type === 'error');
  b.close();
  await a.waitFor(() => a.presence(bob) === 'offline');
  a.send({ type: 'send', conversation: id, body: 'after bob left' });
  await a.waitFor((e) => e.type === 'message' && e.message!.seq === 2);
  t.deepEqual(
    c.events.map((e) => e.type),
    ['error'],
  );
});

eachChatServer('chat socket: one socket resuming several conversations at once gets exactly what it missed in each', async (t, app) => {
  const alice = await app.member('alice');
  await app.member('bob');
  await app.member('carol');
  await app.member('dan');
  const ids = [await app.start(alice, ['bob'], 'b1'), await app.start(alice, ['carol'], 'c1'), await app.start(alice, ['dan'], 'd1')];
  const v = await app.viewer(alice);
  for (let i = 2; i <= 6; i++) for (const id of ids) await app.service.send(v, 1, id, `m${i}`);
  const a = await app.client(alice);
  // Subscribed back to back: delivered in the same rounds, read together.
  ids.forEach((id, k) => a.send({ type: 'sub', conversation: id, after: k * 2 }));
  await a.waitFor((e) => e.type === 'message', 6 + 4 + 2);
  // One more in each: messages arrive in seq order, so nothing earlier can follow.
  for (const id of ids) await app.service.send(v, 1, id, 'm7');
  await a.waitFor((e) => e.type === 'message' && e.message!.seq === 7, 3);
  t.deepEqual(a.messages(ids[0]), [1, 2, 3, 4, 5, 6, 7]);
  t.deepEqual(a.messages(ids[1]), [3, 4, 5, 6, 7]);
  t.deepEqual(a.messages(ids[2]), [5, 6, 7]);
  const map = await app.service.messagesAfter(
    [
      { conversationId: ids[0], after: 4 },
      { conversationId: ids[1], after: 0 },
      { conversationId: 999_999, after: 0 },
    ],
    3,
  );
  t.deepEqual(
    map.get(ids[0])!.map((m) => m.seq),
    [5, 6, 7],
  );
  t.deepEqual(
    map.get(ids[1])!.map((m) => m.seq),
    [1, 2, 3],
  );
  t.deepEqual(map.get(999_999), []);
});

test('chat: presence answers between processes round-trip and refuse malformed payloads', (t) => {
  const states = new Map<number, 'online' | 'away'>([
    [1, 'online'],
    [22, 'away'],
    [333, 'online'],
  ]);
  const [payload] = herePayloads(7, states);
  t.is(payload, 'h:7:1,333|22');
  t.deepEqual(parseHere(payload), {
    conversationId: 7,
    states: new Map([...states].sort((x, y) => (x[1] === y[1] ? 0 : x[1] === 'online' ? -1 : 1))),
  });
  const many = new Map(Array.from({ length: 2_000 }, (_, k) => [k + 1_000_000, 'online' as const]));
  const parts = herePayloads(7, many);
  t.true(parts.length > 1);
  t.true(parts.every((p) => Buffer.byteLength(p) < 8_000));
  t.is(
    parts.reduce((n, p) => n + parseHere(p)!.states.size, 0),
    2_000,
  );
  for (const bad of ['h:7:1,2', 'h:x:1|2', 'h:7:1;2|', `h:7:${'1,'.repeat(5_000)}|`, 'm:7:1']) t.is(parseHere(bad), null, bad);
});

eachChatServer('chat socket: history scrolls back by keyset pages to participants only', async (t, app) => {
  const { alice, bob, carol } = await aliceBobCarol(app);
  const id = await app.start(alice, ['bob'], 'm1');
  const v = await app.viewer(alice);
  await app.rt.pluginState.configure('messages', { ratePerMinute: 1000 });
  for (let i = 2; i <= 70; i++) await app.service.send(v, 1, id, `m${i}`);
  const b = await app.client(bob);
  b.send({ type: 'history', conversation: id, before: 0, ref: 1 });
  const [latest] = await b.waitFor((e) => e.type === 'history' && e.ref === 1);
  const seqs = (e: ChatEvent) => (e.messages as { seq: number }[]).map((m) => m.seq);
  t.deepEqual(
    seqs(latest),
    Array.from({ length: 30 }, (_, k) => k + 41),
  );
  t.true(latest.more);
  b.send({ type: 'history', conversation: id, before: 41, ref: 2 });
  const [page2] = await b.waitFor((e) => e.type === 'history' && e.ref === 2);
  t.deepEqual(
    seqs(page2),
    Array.from({ length: 30 }, (_, k) => k + 11),
  );
  b.send({ type: 'history', conversation: id, before: 11, ref: 3 });
  const [page3] = await b.waitFor((e) => e.type === 'history' && e.ref === 3);
  t.deepEqual(
    seqs(page3),
    Array.from({ length: 10 }, (_, k) => k + 1),
  );
  t.false(page3.more);
  t.false((page3.messages as { mine: boolean }[])[0].mine);
  const c = await app.client(carol);
  c.send({ type: 'history', conversation: id, before: 0, ref: 4 });
  t.is((await c.waitFor((e) => e.type === 'error'))[0].code, 'not_found');
  t.false(JSON.stringify(c.events).includes('m1'));
});
