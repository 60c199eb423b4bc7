// Presence across processes: two apps serving one database (as two `ruche start` processes
// or the workers of `--workers 2` do) each show, in the chat's list, who has a chat open
// on the other; a process that died stops counting once its rows are stale. Waits are on
// events (the socket's `subscribed`, the presence others are told), never on time.
import { eachDatabase } from '../../helpers/databases';
import { STALE_MS } from '../../../plugins/chat/presence-book';
import { chatServer, type ChatServer, type Client } from './support';

/** The presence the chat's list on `app` shows the member of `cookie` beside the direct conversation with `name`. */
async function listed(app: ChatServer, cookie: string, name: string): Promise<string> {
  const res = await fetch(`${app.url}/chat`, { headers: { cookie } });
  const html = await res.text();
  const row = html.split('<li class="conv-row').find((r) => r.includes(`>${name}</a>`)) ?? '';
  return /conv-row__presence is-(\w+)/.exec(row)?.[1] ?? 'none';
}

/** Waits until `client` is told, after its `from`-th event, that `user` is offline. */
const toldOffline = (client: Client, user: number, from: number) =>
  client.waitFor(
    (e) =>
      e.type === 'presence' &&
      client.events.indexOf(e) >= from &&
      (e.members as { user: number; state: string }[]).some((m) => m.user === user && m.state === 'offline'),
  );

eachDatabase('chat: the list shows who has a chat open on another process; a dead process stops counting', async (t, db) => {
  const one = await chatServer(db);
  const two = await chatServer(db, { restart: true });
  try {
    const alice = await one.member('alice');
    const bob = await one.member('bob');
    const carol = await one.member('carol');
    const me = await one.cookie(alice);
    const withBob = await one.start(alice, ['bob'], 'hello bob');
    await one.start(alice, ['carol'], 'hello carol');
    t.is(await listed(two, me, 'bob'), 'offline');

    // Bob opens the chat on process one: process two's list shows him online once he is subscribed.
    const b = await one.client(bob);
    b.send({ type: 'sub', conversation: withBob, after: 0 });
    await b.waitFor((e) => e.type === 'subscribed');
    t.is(await listed(two, me, 'bob'), 'online');
    t.is(await listed(one, me, 'bob'), 'online');

    // Away and back: Alice's socket on process one hears it after the book has it.
    const a = await one.client(alice);
    a.send({ type: 'sub', conversation: withBob, after: 0 });
    await a.waitFor(() => a.presence(bob) === 'online');
    b.send({ type: 'presence', state: 'away' });
    await a.waitFor(() => a.presence(bob) === 'away');
    t.is(await listed(two, me, 'bob'), 'away');
    // A second tab, online, on process two: online wins over away.
    const b2 = await two.client(bob);
    b2.send({ type: 'sub', conversation: withBob, after: 0 });
    await b2.waitFor((e) => e.type === 'subscribed');
    t.is(await listed(one, me, 'bob'), 'online');
    // Each tab closes; a socket of Alice's on the same process is told once the book has it.
    const a2 = await two.client(alice);
    a2.send({ type: 'sub', conversation: withBob, after: 0 });
    await a2.waitFor((e) => e.type === 'subscribed');
    let from = a2.events.length;
    b2.close();
    await toldOffline(a2, bob, from);
    t.is(await listed(one, me, 'bob'), 'away', 'still away on process one');
    from = a.events.length;
    b.close();
    await toldOffline(a, bob, from);
    t.is(await listed(two, me, 'bob'), 'offline');
    t.is(await listed(one, me, 'bob'), 'offline');

    // A process that died left Carol online: counted while fresh, not once stale.
    await one.rt.db('chat_presence').insert({ process: 'dead-process', user_id: carol, state: 'online', seen_at: Date.now() });
    t.is(await listed(two, me, 'carol'), 'online');
    await one.rt
      .db('chat_presence')
      .where({ process: 'dead-process' })
      .update({ seen_at: Date.now() - STALE_MS - 1 });
    t.is(await listed(two, me, 'carol'), 'offline');
  } finally {
    await two.close();
    await one.close();
  }
});
