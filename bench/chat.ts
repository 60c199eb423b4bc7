/**
 * Chat under load. A temporary install (SQLite, or PostgreSQL with BENCH_POSTGRES_URL —
 * a database is created and dropped), 1,000 members in 50 group conversations of 20, one
 * session each. Then `ruche start` in one process (or two with BENCH_PROCESSES=2, which
 * needs PostgreSQL: members of a room are spread over both), 1,000 WebSocket clients on
 * loopback, 200 messages/s in total for 30 s, sent by random members of random rooms.
 * Every client checks every message of its room arrives once, counts losses and
 * duplicates, and measures delivery latency (send → receive, one clock). Prints p50/p99
 * and the server's peak RSS, then stops everything. `--workers N` (or BENCH_WORKERS=N) runs
 * each `ruche start` with N workers (node:cluster, on SQLite too): clients are spread over
 * the workers by the cluster's turn-taking, so a room's members sit on different workers.
 *
 *   npm run bench:chat
 *   npm run bench:chat -- --workers 2
 *   BENCH_POSTGRES_URL=postgres://ruche:ruche@127.0.0.1:5432/postgres BENCH_PROCESSES=2 npm run bench:chat
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import pg from 'pg';
import WebSocket from 'ws';
import { install, loadConfig, openBase } from '../core';

const CLIENTS = Number(process.env.BENCH_CLIENTS) || 1000;
const ROOMS = Number(process.env.BENCH_ROOMS) || 50;
const RATE = Number(process.env.BENCH_RATE) || 200;
const SECONDS = Number(process.env.BENCH_SECONDS) || 30;
const PROCESSES = Number(process.env.BENCH_PROCESSES) || 1;
const workersArg = process.argv.indexOf('--workers');
const WORKERS = Number(workersArg > 0 ? process.argv[workersArg + 1] : process.env.BENCH_WORKERS) || 1;
const PG_URL = process.env.BENCH_POSTGRES_URL;
const ROOT = path.resolve(__dirname, '..', '..');
/** BENCH_CPU_PROF=<dir>: the servers run with --cpu-prof, profiles written to <dir> when they stop. */
const CPU_PROF = process.env.BENCH_CPU_PROF ? path.resolve(process.env.BENCH_CPU_PROF) : null;

const pct = (sorted: number[], p: number): number =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] : NaN;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function prepare(dir: string, databaseUrl: string) {
  const config = loadConfig({
    cwd: dir,
    env: {},
    overrides: { dataDir: dir, databaseUrl, secret: 'bench-secret-'.padEnd(48, 'x'), log: { level: 'silent', pretty: false } },
  });
  const rt = await install(await openBase(config, { cwd: dir }), {
    siteName: 'Bench',
    locale: 'en',
    admin: { email: 'admin@example.com', password: 'correct horse battery', username: 'admin' },
  });
  const db = rt.db;
  const now = Date.now();
  const users: number[] = [];
  for (let start = 0; start < CLIENTS; start += 200) {
    await db.transaction(async (trx) => {
      for (let i = start; i < Math.min(CLIENTS, start + 200); i++) {
        const username = `bench${i}`;
        const [row] = await trx('users')
          .insert({
            username,
            username_lower: username,
            email: `${username}@example.com`,
            email_lower: `${username}@example.com`,
            display_name: `Bench ${i}`,
            status: 'active',
            is_root_admin: false,
            created_at: now,
            updated_at: now,
          })
          .returning('id');
        const id = Number(typeof row === 'object' ? row.id : row);
        await trx('memberships').insert({ user_id: id, network_id: 1, role: 'member', created_at: now });
        users.push(id);
      }
    });
  }
  const rooms: number[] = [];
  const roomOf: number[] = [];
  for (let r = 0; r < ROOMS; r++) {
    const [row] = await db('conversations')
      .insert({ network_id: 1, kind: 'group', subject: `Room ${r}`, created_by: users[0], created_at: now, last_seq: 0, last_message_at: now })
      .returning('id');
    rooms.push(Number(typeof row === 'object' ? row.id : row));
  }
  for (let i = 0; i < CLIENTS; i++) roomOf.push(i % ROOMS);
  for (let start = 0; start < CLIENTS; start += 200) {
    await db('conversation_members').insert(
      users
        .slice(start, start + 200)
        .map((user_id, k) => ({ conversation_id: rooms[roomOf[start + k]], user_id, last_read_seq: 0, archived: false, joined_at: now })),
    );
  }
  const cookies: string[] = [];
  for (const id of users) cookies.push(`${config.session.cookieName}=${await rt.sessions.create(id)}`);
  await rt.pluginState.configure('messages', { ratePerMinute: 6000 });
  await rt.close();
  return { rooms, roomOf, cookies, secret: config.secret };
}

/** A `ruche start` and the pids doing the serving (its workers with --workers, else itself). */
function startServer(dir: string, env: Record<string, string>): Promise<{ url: string; child: ChildProcess; pids: number[] }> {
  const prof = CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${CPU_PROF}`] : [];
  const workers = WORKERS > 1 ? ['--workers', String(WORKERS)] : [];
  const child = spawn(process.execPath, [...prof, path.join(ROOT, 'bin', 'ruche.js'), 'start', '--port', '0', ...workers], {
    cwd: dir,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', RUCHE_LOG__LEVEL: 'warn', RUCHE_HOST: '127.0.0.1', RUCHE_JOBS__ENABLED: 'false', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  return new Promise((resolve, reject) => {
    const timer = setInterval(() => {
      const m = /Ruche is serving (https?:\/\/\S+)(?: with \d+ workers \(pids ([\d, ]+)\))?/.exec(out);
      if (m) {
        clearInterval(timer);
        const pids = m[2] ? m[2].split(', ').map(Number) : [child.pid!];
        resolve({ url: m[1].replace('//localhost:', '//127.0.0.1:'), child, pids });
      } else if (child.exitCode !== null) {
        clearInterval(timer);
        reject(new Error(`ruche start failed:\n${out}`));
      }
    }, 50);
  });
}

/** CPU seconds (user + system) a process has used so far. */
function cpuSeconds(pid: number): number {
  try {
    const f = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(f[11]) + Number(f[12])) / 100;
  } catch {
    return NaN;
  }
}

function rssMb(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : NaN;
  } catch {
    return NaN;
  }
}

async function main(): Promise<void> {
  if (PROCESSES > 1 && !PG_URL) throw new Error('BENCH_PROCESSES=2 needs BENCH_POSTGRES_URL (LISTEN/NOTIFY)');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ruche-bench-chat-'));
  let databaseUrl = `sqlite:${path.join(dir, 'ruche.sqlite')}`;
  const dbName = `ruche_bench_${randomBytes(6).toString('hex')}`;
  if (PG_URL) {
    const admin = new pg.Client({ connectionString: PG_URL });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${dbName}`);
    await admin.end();
    const u = new URL(PG_URL);
    u.pathname = `/${dbName}`;
    databaseUrl = u.toString();
  }
  const servers: { url: string; child: ChildProcess; pids: number[] }[] = [];
  const sockets: WebSocket[] = [];
  try {
    process.stdout.write(`preparing ${CLIENTS} members in ${ROOMS} rooms on ${PG_URL ? 'PostgreSQL' : 'SQLite'}…\n`);
    const { rooms, roomOf, cookies, secret } = await prepare(dir, databaseUrl);
    for (let p = 0; p < PROCESSES; p++)
      servers.push(await startServer(dir, { RUCHE_DATABASE_URL: databaseUrl, RUCHE_SECRET: secret, RUCHE_DATA_DIR: dir }));
    const serving = servers.flatMap((s) => s.pids);
    const peak = new Map<number, number>();
    const sample = setInterval(() => {
      for (const pid of serving) peak.set(pid, Math.max(peak.get(pid) ?? 0, rssMb(pid)));
    }, 500);

    const latencies: number[] = [];
    const byWindow: number[][] = [];
    let t0 = 0;
    const seen: Set<number>[] = [];
    let duplicates = 0;
    let errors = 0;
    const sentAt = new Map<string, number>();
    for (let i = 0; i < CLIENTS; i += 50) {
      await Promise.all(
        Array.from({ length: Math.min(50, CLIENTS - i) }, (_, k) => {
          const n = i + k;
          const server = servers[n % servers.length];
          return new Promise<void>((resolve, reject) => {
            const ws = new WebSocket(`${server.url.replace(/^http/, 'ws')}/chat/socket`, { headers: { cookie: cookies[n], origin: server.url } });
            sockets[n] = ws;
            seen[n] = new Set();
            ws.on('message', (d) => {
              const e = JSON.parse(String(d)) as { type: string; message?: { seq: number; html: string } };
              if (e.type === 'message') {
                if (seen[n].has(e.message!.seq)) duplicates++;
                seen[n].add(e.message!.seq);
                const m = /bench:(\d+):(\d+)/.exec(e.message!.html);
                const at = m && sentAt.get(`${m[1]}:${m[2]}`);
                if (at) {
                  latencies.push(performance.now() - at);
                  (byWindow[Math.floor((at - t0) / 5000)] ??= []).push(performance.now() - at);
                }
              } else if (e.type === 'error') errors++;
              else if (e.type === 'subscribed') resolve();
            });
            ws.once('open', () => ws.send(JSON.stringify({ type: 'sub', conversation: rooms[roomOf[n]], after: 0 })));
            ws.once('error', reject);
          });
        }),
      );
    }
    process.stdout.write(
      `${CLIENTS} clients connected to ${PROCESSES} process(es) of ${WORKERS} worker(s); sending ${RATE} messages/s for ${SECONDS} s…\n`,
    );
    // The clients' own event-loop delay: latencies are measured here, so a saturated client inflates them.
    const lag = monitorEventLoopDelay({ resolution: 10 });
    lag.enable();
    const cpu0 = serving.map((pid) => cpuSeconds(pid));
    const own0 = process.cpuUsage();
    let sent = 0;
    const total = RATE * SECONDS;
    t0 = performance.now();
    while (sent < total) {
      const due = Math.min(total, Math.floor(((performance.now() - t0) / 1000) * RATE));
      for (; sent < due; sent++) {
        const n = Math.floor(Math.random() * CLIENTS);
        const key = `${n}:${sent}`;
        sentAt.set(key, performance.now());
        sockets[n].send(JSON.stringify({ type: 'send', conversation: rooms[roomOf[n]], body: `bench:${key}` }));
      }
      await sleep(5);
    }
    const elapsed = (performance.now() - t0) / 1000;
    lag.disable();
    // Drain: wait (at most 90 s) until every stored message reached every client of its room.
    let stored = new Map<number, number>();
    let expected = 0;
    let received = 0;
    const drainStart = performance.now();
    for (;;) {
      await sleep(1000);
      stored = await storedPerRoom(databaseUrl, rooms);
      expected = 0;
      received = 0;
      for (let n = 0; n < CLIENTS; n++) {
        expected += stored.get(rooms[roomOf[n]]) ?? 0;
        received += seen[n].size;
      }
      const storedTotal = [...stored.values()].reduce((a, b) => a + b, 0);
      if ((received >= expected && storedTotal + errors >= sent) || performance.now() - drainStart > 90_000) break;
    }
    const drained = (performance.now() - drainStart) / 1000;
    const cpu = serving.map((pid, k) => cpuSeconds(pid) - cpu0[k]);
    const own = process.cpuUsage(own0);
    clearInterval(sample);
    latencies.sort((a, b) => a - b);
    const lines = [
      `database: ${PG_URL ? 'PostgreSQL' : 'SQLite'}, processes: ${PROCESSES}, workers each: ${WORKERS}, clients: ${CLIENTS}, rooms: ${ROOMS}`,
      `sent: ${sent} in ${elapsed.toFixed(1)} s (${(sent / elapsed).toFixed(0)}/s), stored: ${[...stored.values()].reduce((a, b) => a + b, 0)}, error events: ${errors}`,
      `deliveries: expected ${expected}, received ${received}, lost ${expected - received}, duplicated ${duplicates} (drained ${drained.toFixed(1)} s after the last send)`,
      `latency: p50 ${pct(latencies, 50).toFixed(1)} ms, p99 ${pct(latencies, 99).toFixed(1)} ms, max ${latencies[latencies.length - 1]?.toFixed(1)} ms (${latencies.length} samples)`,
      `client event-loop delay while sending: p50 ${(lag.percentile(50) / 1e6).toFixed(1)} ms, p99 ${(lag.percentile(99) / 1e6).toFixed(1)} ms, max ${(lag.max / 1e6).toFixed(1)} ms (resolution 10 ms)`,
      `CPU used from the first send to the end of the drain: server(s) ${cpu.map((c) => `${c.toFixed(1)} s`).join(' + ')} (${((cpu.reduce((a, b) => a + b, 0) * 1000) / Math.max(1, sent)).toFixed(2)} ms per message), bench clients ${((own.user + own.system) / 1e6).toFixed(1)} s`,
      `server peak RSS: ${[...peak.values()].map((v) => `${v.toFixed(0)} MB`).join(', ')}`,
    ];
    process.stdout.write(lines.join('\n') + '\n');
    // By when the message was sent, 5 s at a time: a warm-up or a stall shows where it happened.
    const windows = byWindow.map((w, k) => {
      w.sort((a, b) => a - b);
      return `${k * 5}–${k * 5 + 5} s ${pct(w, 50).toFixed(0)}/${pct(w, 99).toFixed(0)}`;
    });
    process.stdout.write(`latency p50/p99 (ms) by send time: ${windows.filter(Boolean).join(', ')}\n`);
  } finally {
    for (const ws of sockets) ws?.terminate();
    for (const s of servers) {
      s.child.kill('SIGTERM');
      await new Promise((r) => (s.child.exitCode !== null ? r(null) : s.child.once('exit', r)));
    }
    if (PG_URL) {
      const admin = new pg.Client({ connectionString: PG_URL });
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
      await admin.end();
    }
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function storedPerRoom(databaseUrl: string, rooms: number[]): Promise<Map<number, number>> {
  const { createDatabaseForBench } = {
    createDatabaseForBench: async () =>
      (await import('knex')).default(
        databaseUrl.startsWith('sqlite:')
          ? { client: 'sqlite3', connection: { filename: databaseUrl.slice(7) }, useNullAsDefault: true }
          : { client: 'pg', connection: databaseUrl },
      ),
  };
  const db = await createDatabaseForBench();
  try {
    const rows: { conversation_id: number; n: number | string }[] = await db('messages')
      .whereIn('conversation_id', rooms)
      .groupBy('conversation_id')
      .select('conversation_id')
      .count({ n: '*' });
    return new Map(rows.map((r) => [Number(r.conversation_id), Number(r.n)]));
  } finally {
    await db.destroy();
  }
}

main().then(
  () => process.exit(0),
  (e) => {
    process.stderr.write(`bench failed: ${(e as Error).stack}\n`);
    process.exit(1);
  },
);
