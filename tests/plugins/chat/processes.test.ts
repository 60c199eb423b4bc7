// Two real `ruche start` processes on one PostgreSQL database deliver each other's
// messages (PubSub over LISTEN/NOTIFY); nothing lost, nothing duplicated; each one's chat
// list shows who has a chat open on the other. Waits are on events, never on time.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import test, { type ExecutionContext } from 'ava';
import { databaseKinds, freshDatabase } from '../../helpers/databases';
import { REPO_ROOT } from '../../helpers/app';
import { msgApp } from '../messages/support';
import { connect, type ChatEvent } from './support';

async function start(t: ExecutionContext, cwd: string, env: Record<string, string>): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, [path.join(REPO_ROOT, 'bin', 'ruche.js'), 'start', '--port', '0'], {
    cwd,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', RUCHE_LOG__LEVEL: 'warn', RUCHE_HOST: '127.0.0.1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  t.teardown(() => {
    if (child.exitCode === null) child.kill('SIGKILL');
  });
  // Resolves when the process says it serves (read as its output arrives), or fails when it exits or a minute passes.
  const m = await new Promise<RegExpExecArray>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`ruche start did not serve:\n${out}`)), 60_000);
    const read = (d: Buffer) => {
      out += d.toString();
      const found = /Ruche is serving (https?:\/\/\S+)/.exec(out);
      if (!found) return;
      clearTimeout(timer);
      resolve(found);
    };
    child.stdout!.on('data', read);
    child.stderr!.on('data', read);
    child.once('exit', () => {
      clearTimeout(timer);
      reject(new Error(`ruche start exited:\n${out}`));
    });
  });
  return { url: m[1].replace('//localhost:', '//127.0.0.1:'), child };
}

/** The presence the chat's list at `url` shows the member of `cookie` beside their one conversation. */
async function listed(url: string, cookie: string): Promise<string> {
  const html = await (await fetch(`${url}/chat`, { headers: { cookie } })).text();
  return /conv-row__presence is-(\w+)/.exec(html)?.[1] ?? 'none';
}

const stop = (c: ChildProcess): Promise<number | null> =>
  new Promise((resolve) => (c.exitCode !== null ? resolve(c.exitCode) : (c.once('exit', (code) => resolve(code)), c.kill('SIGTERM'))));

for (const kind of databaseKinds().filter((k) => k === 'postgres')) {
  test(`chat: two processes on one ${kind} database deliver each other's messages`, async (t) => {
    const db = await freshDatabase(kind);
    t.teardown(() => db.drop());
    const app = await msgApp(db);
    const alice = await app.member('alice');
    const bob = await app.member('bob');
    const id = await app.start(alice, ['bob'], 'before the processes');
    const aliceCookie = await app.cookie(alice);
    const bobCookie = await app.cookie(bob);
    const secret = app.config.secret;
    // Alice's limit (read by each process at start): the first message, 20 in the burst
    // below, then 4 more spread over both processes make 25; the 26th is refused wherever
    // it is sent.
    await app.rt.pluginState.configure('messages', { ratePerMinute: 25 });
    await app.close();

    const env = { RUCHE_DATABASE_URL: db.url, RUCHE_SECRET: secret, RUCHE_DATA_DIR: db.dataDir };
    const [p1, p2] = await Promise.all([start(t, db.dataDir, env), start(t, db.dataDir, env)]);
    t.not(p1.url, p2.url);
    const a = await connect(p1.url, aliceCookie);
    const b = await connect(p2.url, bobCookie);
    a.send({ type: 'sub', conversation: id, after: 0 });
    await a.waitFor((e) => e.type === 'message');
    b.send({ type: 'sub', conversation: id, after: 0 });
    await b.waitFor((e) => e.type === 'message');
    // Presence crosses processes both ways: alice sees bob arrive; bob, who came second,
    // learns from process 1 that alice is already there.
    await a.waitFor(() => a.presence(bob) === 'online');
    await b.waitFor(() => b.presence(alice) === 'online');
    for (let i = 0; i < 20; i++) {
      a.send({ type: 'send', conversation: id, body: `from process 1 #${i}` });
      b.send({ type: 'send', conversation: id, body: `from process 2 #${i}` });
    }
    // Then one more from bob: each socket gets messages in seq order, so once both have it
    // nothing earlier is still on its way.
    await a.waitFor((e) => e.type === 'message', 41);
    b.send({ type: 'send', conversation: id, body: 'the last word' });
    await a.waitFor((e) => e.type === 'message' && e.message!.seq === 42);
    await b.waitFor((e) => e.type === 'message' && e.message!.seq === 42);
    const all = Array.from({ length: 42 }, (_, i) => i + 1);
    t.deepEqual(a.messages(id), all, 'process 1 client: every message once, in order');
    t.deepEqual(b.messages(id), all, 'process 2 client: every message once, in order');
    // The rate limit holds across processes: 3 more on process 1, 1 on process 2, then
    // the 26th is refused on process 2 although that process carried only 2 of them.
    const a2 = await connect(p2.url, aliceCookie);
    for (let i = 0; i < 3; i++) {
      a.send({ type: 'send', conversation: id, body: `more #${i}`, ref: 100 + i });
      await a.waitFor((e) => e.type === 'ack' && e.ref === 100 + i);
    }
    a2.send({ type: 'send', conversation: id, body: 'the 25th', ref: 200 });
    await a2.waitFor((e) => e.type === 'ack' && e.ref === 200);
    a2.send({ type: 'send', conversation: id, body: 'the 26th', ref: 201 });
    t.is((await a2.waitFor((e) => e.type === 'error' && e.ref === 201))[0].code, 'rate_limited');
    a.send({ type: 'send', conversation: id, body: 'the 26th again', ref: 300 });
    t.is((await a.waitFor((e) => e.type === 'error' && e.ref === 300))[0].code, 'rate_limited');
    a2.close();

    // Bob opens a second tab on process 1, then closes the one on process 2: he is still
    // here, so alice is told he is online (process 1 sees his other socket), and the chat's
    // list on process 2 shows him online from process 1's presence; closing the last tab
    // makes him offline there too.
    const b2 = await connect(p1.url, bobCookie);
    b2.send({ type: 'sub', conversation: id, after: 46 });
    await b2.waitFor((e) => e.type === 'subscribed');
    const before = a.events.length;
    b.close();
    const aboutBob = (e: ChatEvent) => (e.members as { user: number; state: string }[]).find((m) => m.user === bob);
    const [told] = await a.waitFor((e) => e.type === 'presence' && a.events.indexOf(e) >= before && !!aboutBob(e));
    t.is(aboutBob(told)!.state, 'online', 'bob is still connected on process 1');
    t.is(await listed(p2.url, aliceCookie), 'online', "process 2's list: bob has a chat open on process 1");
    b2.close();
    await a.waitFor(() => a.presence(bob) === 'offline');
    t.is(await listed(p2.url, aliceCookie), 'offline');
    a.close();
    t.is(await stop(p1.child), 0);
    t.is(await stop(p2.child), 0);
  });
}
