/**
 * Where a page's time goes: loads each page of bench-targets.json in-process as its member,
 * N times, and prints the total time and the slowest SQL statements (with their time),
 * captured with knex's query events.
 *
 *   node dist/bench/profile-pages.js <site dir with config/local.json> [page name filter, or a path] [runs]
 *
 * PROFILE_SQL_DIR=<dir> writes the slowest statements of the last run with their bindings
 * (PROFILE_SQL_COUNT of them, 3 by default), PROFILE_ALL=1 lists every statement.
 * PROFILE_ALLOC=<file prefix>: what the measured runs allocate, collected or not (V8's sampling heap
 * profiler, every 32 KB on average), written as `.heapprofile` and summed per request by the
 * allocating function (`allocationsByFunction`: the client's own, supertest's, left out). With
 * PROFILE_ALLOC_KEPT=1, only what is still alive once the runs are over and a full collection ran
 * (what requests leave behind: caches that grow or churn).
 */
import 'reflect-metadata';
import fs from 'node:fs';
import path from 'node:path';
import { Session } from 'node:inspector';
import request from 'supertest';
import { createApp, loadConfig } from '../core';
import { runScript } from './lib/scratch';
import { allocationsByFunction, type SamplingHeapProfile } from './lib/allocations';

async function main(): Promise<void> {
  const dir = path.resolve(process.argv[2] ?? '.');
  const filter = process.argv[3] ?? '';
  const runs = Number(process.argv[4] ?? 5);
  const config = loadConfig({ cwd: dir, env: {}, overrides: { log: { level: 'silent', pretty: false } } });
  const targets = JSON.parse(fs.readFileSync(path.join(config.dataDir, 'bench-targets.json'), 'utf8')) as {
    pages: { name: string; path: string; as: string }[];
  };
  const app = await createApp(config, { cwd: dir });
  const rt = app.ruche;
  interface Statement {
    sql: string;
    text: string;
    bindings: unknown[];
  }
  const pending = new Map<string, Statement & { start: number }>();
  let log: (Statement & { ms: number })[] = [];
  // The statement's text with its bindings is built only when written out: knex's raw() would
  // otherwise count in the profile as the page's own query building.
  const full = (q: Statement): string => rt.db.raw(q.text, q.bindings as never).toString();
  rt.db.on('query', (q: { __knexQueryUid: string; sql: string; bindings?: unknown[] }) =>
    pending.set(q.__knexQueryUid, {
      sql: q.sql + ' ' + JSON.stringify(q.bindings ?? []).slice(0, 200),
      text: q.sql,
      bindings: q.bindings ?? [],
      start: performance.now(),
    }),
  );
  rt.db.on('query-response', (_r: unknown, q: { __knexQueryUid: string }) => {
    const p = pending.get(q.__knexQueryUid);
    if (p) log.push({ ...p, ms: performance.now() - p.start });
  });
  const cookies = new Map<string, string>();
  // A filter starting with "/" is a path, loaded as the first page's member sees it.
  const pages = filter.startsWith('/')
    ? [{ name: filter, path: filter, as: targets.pages[0].as }]
    : targets.pages.filter((p) => p.name.includes(filter));
  // As the bench's client and browsers ask (brotli first): supertest alone asks for gzip, three times the CPU.
  const get = (page: { path: string; as: string }) =>
    request(app.callback()).get(page.path).set('Cookie', cookies.get(page.as)!).set('Accept-Encoding', 'br, gzip');
  for (const page of pages) {
    if (!cookies.has(page.as)) {
      const user = await rt.db('users').where({ username: page.as }).first('id');
      cookies.set(page.as, `${config.session.cookieName}=${await rt.sessions.create(Number(user.id))}`);
    }
    // PROFILE_CPU=<file>: a CPU profile of the measured runs only (after one warm-up run).
    const session = process.env.PROFILE_CPU ? new Session() : null;
    if (session) {
      await get(page);
      session.connect();
      await new Promise((r) => session.post('Profiler.enable', () => session.post('Profiler.start', r)));
    }
    // PROFILE_ALLOC=<file>: the allocations of the measured runs, kept or collected (after one warm-up run).
    const heap = process.env.PROFILE_ALLOC ? new Session() : null;
    if (heap) {
      await get(page);
      heap.connect();
      await new Promise((r) =>
        heap.post(
          'HeapProfiler.startSampling',
          process.env.PROFILE_ALLOC_KEPT
            ? { samplingInterval: 32 * 1024 }
            : { samplingInterval: 32 * 1024, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true },
          r,
        ),
      );
    }
    const times: number[] = [];
    let status = 0;
    let bytes = 0;
    for (let i = 0; i < runs; i++) {
      log = [];
      const s = performance.now();
      const res = await get(page);
      times.push(performance.now() - s);
      status = res.status;
      bytes = res.text.length;
    }
    if (session) {
      const profile = await new Promise<unknown>((r) => session.post('Profiler.stop', (_e, res) => r(res.profile)));
      fs.writeFileSync(`${process.env.PROFILE_CPU}-${page.name.replace(/\W+/g, '-')}.cpuprofile`, JSON.stringify(profile));
      session.disconnect();
    }
    if (heap) {
      if (process.env.PROFILE_ALLOC_KEPT) await new Promise((r) => heap.post('HeapProfiler.collectGarbage', r));
      const profile = await new Promise<SamplingHeapProfile>((r) =>
        heap.post('HeapProfiler.stopSampling', (_e, res) => r(res.profile as SamplingHeapProfile)),
      );
      fs.writeFileSync(`${process.env.PROFILE_ALLOC}-${page.name.replace(/\W+/g, '-')}.heapprofile`, JSON.stringify(profile));
      heap.disconnect();
      const rows = allocationsByFunction(profile, /node_modules\/(?:supertest|superagent|formidable)\//);
      const total = rows.reduce((a, r) => a + r.bytes, 0);
      const what = process.env.PROFILE_ALLOC_KEPT ? 'left alive' : 'allocated';
      process.stdout.write(
        `\n${page.name}: about ${(total / runs / 1024).toFixed(1)} KB ${what} per request; the functions allocating most (KB a request):\n`,
      );
      for (const r of rows.slice(0, Number(process.env.PROFILE_ALLOC_COUNT ?? 25)))
        process.stdout.write(`  ${(r.bytes / runs / 1024).toFixed(1).padStart(8)}  ${r.name}\n`);
    }
    times.sort((a, b) => a - b);
    const sqlTotal = log.reduce((a, b) => a + b.ms, 0);
    process.stdout.write(
      `\n== ${page.name} ${page.path}: ${status}, ${bytes} B, median ${times[Math.floor(runs / 2)].toFixed(1)} ms (min ${times[0].toFixed(1)}), ${log.length} queries, SQL ${sqlTotal.toFixed(1)} ms (last run)\n`,
    );
    const slowest = [...log].sort((a, b) => b.ms - a.ms);
    if (process.env.PROFILE_SQL_DIR && slowest[0])
      fs.writeFileSync(
        path.join(process.env.PROFILE_SQL_DIR, `${page.name.replace(/\W+/g, '-')}.sql`),
        slowest
          .slice(0, Number(process.env.PROFILE_SQL_COUNT ?? 3))
          .map((q) => full(q) + ';')
          .join('\n'),
      );
    for (const q of process.env.PROFILE_ALL ? log : slowest.slice(0, 6))
      process.stdout.write(`  ${q.ms.toFixed(1).padStart(7)} ms  ${q.sql.slice(0, 600)}\n`);
  }
  await app.close();
}

runScript('profile-pages', main);
