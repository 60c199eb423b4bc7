// Two real `ruche start` processes on one PostgreSQL database deliver each other's
// messages (PubSub over LISTEN/NOTIFY); nothing lost, nothing duplicated.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import test, { type ExecutionContext } from 'ava';
import { databaseKinds, freshDatabase } from '../../helpers/databases';
import { REPO_ROOT } from '../../helpers/app';
import { msgApp } from '../messages/support';
import { connect } from './support';

async function start(t: ExecutionContext, cwd: string, env: Record<string, string>): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, [path.join(REPO_ROOT, 'bin', 'ruche.js'), 'start', '--port', '0'], {
    cwd,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', RUCHE_LOG__LEVEL: 'warn', RUCHE_HOST: '127.0.0.1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  t.teardown(() => {
    if (child.exitCode === null) child.kill('SIGKILL');
  });
  const deadline = Date.now() + 60_000;
  let m: RegExpExecArray | null;
  while (!(m = /Ruche is serving (https?:\/\/\S+)/.exec(out))) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`ruche start did not serve:\n${out}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return { url: m[1].replace('//localhost:', '//127.0.0.1:'), child };
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
    await a.waitFor((e) => e.type === 'message', 41, 20_000);
    await b.waitFor((e) => e.type === 'message', 41, 20_000);
    await new Promise((r) => setTimeout(r, 300));
    const all = Array.from({ length: 41 }, (_, i) => i + 1);
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
    // here, so alice's list must end with him online (process 1 answers process 2's
    // "offline" with who is connected to it); closing the last tab makes him offline.
    const b2 = await connect(p1.url, bobCookie);
    b2.send({ type: 'sub', conversation: id, after: 45 });
    await b2.waitFor((e) => e.type === 'subscribed');
    const before = a.events.length;
    b.close();
    await a.waitFor((e) => e.type === 'presence' && a.events.indexOf(e) >= before);
    await new Promise((r) => setTimeout(r, 500));
    t.is(a.presence(bob), 'online', 'bob is still connected on process 1');
    b2.close();
    await a.waitFor(() => a.presence(bob) === 'offline');
    a.close();
    t.is(await stop(p1.child), 0);
    t.is(await stop(p2.child), 0);
  });
}
