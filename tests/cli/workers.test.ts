/**
 * `ruche start --workers 2`: two processes serve one port (node:cluster), chat messages
 * reach the members connected to the other worker (the cluster's channel on SQLite,
 * LISTEN/NOTIFY on PostgreSQL), each job runs once, and SIGTERM stops everything.
 */
import http from 'node:http';
import test from 'ava';
import WebSocket from 'ws';
import { install, loadConfig, openBase } from '../../core';
import { databaseKinds, freshDatabase, type TestDatabase } from '../helpers/databases';
import { insertId, insertUser } from '../helpers/rows';
import { assertOneLineError, run, spawnCli, tempDir } from './helpers';

const SECRET = 'workers-test-secret-'.padEnd(48, 'x');

/** Two members in one group conversation, a session each, and 20 due jobs. */
async function prepare(db: TestDatabase): Promise<{ conversation: number; cookies: string[]; jobs: number }> {
  const config = loadConfig({
    cwd: db.dataDir,
    env: {},
    overrides: { dataDir: db.dataDir, databaseUrl: db.url, secret: SECRET, log: { level: 'silent', pretty: false } },
  });
  const rt = await install(await openBase(config, { cwd: db.dataDir }), {
    siteName: 'Workers',
    locale: 'en',
    admin: { email: 'admin@example.com', password: 'correct horse battery', username: 'admin' },
  });
  try {
    const now = Date.now();
    const users: number[] = [];
    for (const name of ['ana', 'bo']) {
      const id = await insertUser(rt.db, name, {}, now);
      await rt.db('memberships').insert({ user_id: id, network_id: rt.networks.root().id, role: 'member', created_at: now });
      users.push(id);
    }
    const conversation = await insertId(rt.db, 'conversations', {
      network_id: rt.networks.root().id,
      kind: 'group',
      subject: 'Both workers',
      created_by: users[0],
      created_at: now,
      last_seq: 0,
      last_message_at: now,
    });
    await rt
      .db('conversation_members')
      .insert(users.map((user_id) => ({ conversation_id: conversation, user_id, last_read_seq: 0, archived: false, joined_at: now })));
    const cookies: string[] = [];
    for (const id of users) cookies.push(`${config.session.cookieName}=${await rt.sessions.create(id)}`);
    // Posts that do not exist: each job finds nothing to publish and is done.
    for (let i = 0; i < 20; i++) await rt.jobs.schedule('blogs.publish', { postId: 1_000_000 + i });
    return { conversation, cookies, jobs: 20 };
  } finally {
    await rt.close();
  }
}

/** One GET on a new connection (so the primary hands it to the next worker). */
function getOnce(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent: false, headers: { connection: 'close' } }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      })
      .on('error', reject);
  });
}

for (const kind of databaseKinds()) {
  test.serial(
    `ruche start --workers 2 serves one port from two pids, delivers chat across workers, runs each job once, restarts a killed worker, stops on SIGTERM [${kind}]`,
    async (t) => {
      const db = await freshDatabase(kind);
      const sockets: WebSocket[] = [];
      try {
        const { conversation, cookies, jobs } = await prepare(db);
        const child = spawnCli(['start', '--workers', '2', '--port', '0'], db.dataDir, {
          RUCHE_DATABASE_URL: db.url,
          RUCHE_DATA_DIR: db.dataDir,
          RUCHE_SECRET: SECRET,
          RUCHE_LOG__LEVEL: 'info',
          RUCHE_JOBS__POLL_MS: '100',
        });
        child.stdin!.end();
        let out = '';
        child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
        child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
        const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
        try {
          const deadline = Date.now() + 120_000;
          let m: RegExpExecArray | null = null;
          while (!(m = /Ruche is serving (\S+) with 2 workers \(pids (\d+), (\d+)\)/.exec(out))) {
            if (child.exitCode !== null || Date.now() > deadline) throw new Error(`ruche start --workers 2 did not serve:\n${out}`);
            await new Promise((r) => setTimeout(r, 50));
          }
          const url = m[1].replace('//localhost:', '//127.0.0.1:');
          const pids = [Number(m[2]), Number(m[3])];
          t.not(pids[0], pids[1]);
          t.false(pids.includes(child.pid!), 'the workers are not the primary');

          // One port, two processes: new connections go to each worker in turn.
          for (let i = 0; i < 8; i++) t.is(await getOnce(`${url}/login`), 200);
          await new Promise((r) => setTimeout(r, 300));
          const served = new Set([...out.matchAll(/"pid":(\d+)[^\n]*"msg":"request"/g)].map((x) => Number(x[1])));
          t.deepEqual([...served].sort(), [...pids].sort(), 'requests were served by both workers');

          // Chat: four sockets, opened in turn, so each member has one on each worker.
          const got: string[][] = [];
          for (let n = 0; n < 4; n++) {
            got[n] = [];
            const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/chat/socket`, { headers: { cookie: cookies[n % 2], origin: url } });
            sockets.push(ws);
            await new Promise<void>((resolve, reject) => {
              ws.on('message', (d) => {
                const e = JSON.parse(String(d)) as { type: string; message?: { html: string } };
                if (e.type === 'subscribed') resolve();
                if (e.type === 'message') got[n].push(e.message!.html);
              });
              ws.once('open', () => ws.send(JSON.stringify({ type: 'sub', conversation, after: 0 })));
              ws.once('error', reject);
            });
          }
          sockets[0].send(JSON.stringify({ type: 'send', conversation, body: 'hello from one worker' }));
          const until = Date.now() + 10_000;
          while (got.some((g) => !g.some((h) => h.includes('hello from one worker'))) && Date.now() < until)
            await new Promise((r) => setTimeout(r, 50));
          t.deepEqual(
            got.map((g) => g.filter((h) => h.includes('hello from one worker')).length),
            [1, 1, 1, 1],
            'every socket, on either worker, got the message once',
          );

          // Jobs: every one done, claimed once (attempts 1).
          const knex = (await import('knex')).default(
            db.kind === 'sqlite'
              ? { client: 'sqlite3', connection: { filename: db.url.slice(7) }, useNullAsDefault: true }
              : { client: 'pg', connection: db.url },
          );
          try {
            let rows: { status: string; attempts: number; locked_by: string }[] = [];
            const jobsUntil = Date.now() + 20_000;
            do {
              await new Promise((r) => setTimeout(r, 200));
              rows = await knex('jobs').where({ kind: 'blogs.publish' }).select('status', 'attempts', 'locked_by');
            } while (rows.some((r) => r.status !== 'done') && Date.now() < jobsUntil);
            t.is(rows.length, jobs);
            t.deepEqual([...new Set(rows.map((r) => `${r.status}/${r.attempts}`))], ['done/1'], 'each job ran once');
            const runners = new Set(rows.map((r) => Number(r.locked_by.split('-')[0])));
            for (const pid of runners) t.true(pids.includes(pid), 'jobs ran in the workers');
            if (db.kind === 'sqlite') t.is(runners.size, 1, 'on SQLite one worker runs the jobs');
          } finally {
            await knex.destroy();
          }

          // A worker that dies is logged and replaced; the port keeps serving.
          process.kill(pids[1], 'SIGKILL');
          const restartUntil = Date.now() + 60_000;
          let r: RegExpExecArray | null = null;
          while (!(r = /worker (\d) restarted \(pid (\d+)\)/.exec(out)) && Date.now() < restartUntil)
            await new Promise((res) => setTimeout(res, 100));
          t.regex(out, new RegExp(`worker \\d \\(pid ${pids[1]}\\) exited with SIGKILL; restarting it in 1 s`));
          t.truthy(r, 'the worker was restarted');
          const replacement = Number(r![2]);
          t.false(pids.includes(replacement));
          for (let i = 0; i < 6; i++) t.is(await getOnce(`${url}/login`), 200);
          await new Promise((res) => setTimeout(res, 300));
          t.true(new RegExp(`"pid":${replacement}[^\\n]*"msg":"request"`).test(out), 'the new worker serves');
          pids[1] = replacement;
        } finally {
          for (const ws of sockets) ws.terminate();
          if (child.exitCode === null) child.kill('SIGTERM');
          const code = await Promise.race([exited, new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 30_000))]);
          if (code === 'timeout') child.kill('SIGKILL');
          t.is(code, 0, out.slice(-2000));
        }
        t.regex(out, /SIGTERM received/);
        t.regex(out, /Ruche stopped\./);
        const last = [...out.matchAll(/restarted \(pid (\d+)\)/g)].map((x) => Number(x[1]));
        for (const pid of [...out.matchAll(/with 2 workers \(pids (\d+), (\d+)\)/g)].flatMap((x) => [Number(x[1]), Number(x[2])]).concat(last)) {
          t.throws(() => process.kill(pid, 0), undefined, `worker ${pid} has exited`);
        }
      } finally {
        await db.drop();
      }
    },
  );
}

test('--workers and RUCHE_WORKERS refuse what is not a number of processes, with one line', async (t) => {
  const cwd = tempDir(t);
  assertOneLineError(t, await run(['start', '--workers', '0'], cwd), /--workers: "0" is not a number of processes \(1 to 64\) or "auto"/);
  assertOneLineError(t, await run(['start', '--workers', 'many'], cwd), /--workers: "many"/);
  assertOneLineError(t, await run(['start'], cwd, { RUCHE_SECRET: SECRET, RUCHE_WORKERS: 'lots' }), /E_CONFIG: invalid configuration: workers/);
});
