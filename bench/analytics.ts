/**
 * The analytics dashboard on the bench network (10,000 members, three years): a COPY of the
 * bench site's SQLite database (`BENCH_SITE`, default bench/.data/sqlite-m10000-e300000-g1000-s1,
 * never changed), analytics enabled in it, three years of page views written as
 * `ruche seed --bench` writes them, the rollup job's work timed, then the network's dashboard
 * (7, 28 and 90 days, custom periods ending today and earlier, and a group's) requested once
 * (the first request after the job's run) then N times over HTTP as the bench admin. Prints the
 * first request's time, the medians and p95 and the process's CPU time per request (all its
 * threads: a figure the machine's load inflates far less than wall time); the target is under 200 ms.
 *
 *   npm run bench:analytics                 (N=30)
 *   BENCH_RUNS=100 BENCH_SITE=/path/to/site npm run bench:analytics
 *   BENCH_KEEP=/tmp/analytics-site npm run bench:analytics   (keeps the copy there; a later run
 *     with the same BENCH_KEEP reuses it: no copy, no views, only what the job has left to roll up;
 *     with BENCH_ROLLUP_DAYS=200 and a rollup to redo, only the last 200 days are rolled up again)
 *   BENCH_FIRST=1 BENCH_KEEP=/tmp/analytics-site npm run bench:analytics   (the first view as a member
 *     meets it after a restart: this process opens the kept copy, rolled up by an earlier run, and
 *     runs no job; it waits for the plugin's warm-up where there is one (warm.ts), signs in, then
 *     requests each page once: each page's first view in a process that has served only the sign-in)
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Knex } from 'knex';
import request from 'supertest';
import { createApp, type Runtime } from '../core';
import { writeBenchViews } from '../plugins/analytics/bench-views';
import { rollupNetwork } from '../plugins/analytics/rollup';
import { dayOf } from '../plugins/analytics/verbs';
import { medianP95, scratchConfig, timeRuns } from './lib/scratch';
import { REPO_ROOT } from './lib/options';

const RUNS = Number(process.env.BENCH_RUNS) || 30;
const SITE = process.env.BENCH_SITE || path.join(REPO_ROOT, 'bench', '.data', 'sqlite-m10000-e300000-g1000-s1');
const ADMIN = { login: 'benchadmin', password: 'violet staple engine 2026' };
const YEARS_MS = 3 * 365 * 86_400_000;
const FIRST = process.env.BENCH_FIRST === '1';

async function main(): Promise<void> {
  const source = path.join(SITE, 'data', 'ruche.sqlite');
  const keep = process.env.BENCH_KEEP;
  if (keep) fs.mkdirSync(keep, { recursive: true });
  const dir = keep || fs.mkdtempSync(path.join(os.tmpdir(), 'ruche-bench-analytics-'));
  const reuse = fs.existsSync(path.join(dir, 'ruche.sqlite'));
  if (FIRST && !reuse) throw new Error('BENCH_FIRST needs a copy rolled up by an earlier run: set BENCH_KEEP to it');
  if (!reuse && !fs.existsSync(source)) throw new Error(`no bench site at ${SITE}: run the bench once (npm run bench) or set BENCH_SITE`);
  try {
    let t0 = performance.now();
    if (!reuse) {
      fs.copyFileSync(source, path.join(dir, 'ruche.sqlite'));
      console.log(
        `copied the bench database (${(fs.statSync(source).size / 1e6).toFixed(0)} MB) in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
      );
    }
    const config = scratchConfig(dir);
    t0 = performance.now();
    const app = await createApp(config, { cwd: dir, migrate: true });
    const rt = app.ruche;
    const root = rt.networks.root().id;
    if (!rt.pluginState.isEnabled('analytics', root)) await rt.pluginState.enable('analytics', root);
    console.log(`migrated and enabled analytics in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    try {
      const now = Date.now();
      if (FIRST) await warmedUp(rt);
      t0 = performance.now();
      if (FIRST) {
        // No job here: the first views read what the earlier run rolled up.
      } else if (!reuse) {
        const views = await writeBenchViews(rt.db, root, now - YEARS_MS, now, 22);
        console.log(`wrote ${views} page views (three years) in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
      }
      if (!FIRST) await rollUp(rt.db, root, now);

      const agent = request.agent(app.callback());
      const login = await agent.get('/login');
      const csrf = /name="_csrf" value="([^"]+)"/.exec(login.text)?.[1] ?? '';
      const signed = await agent.post('/login').type('form').send({ _csrf: csrf, login: ADMIN.login, password: ADMIN.password });
      if (signed.status !== 303) throw new Error(`sign-in as ${ADMIN.login} answered ${signed.status}`);
      const group = (await rt
        .db('analytics_days')
        .where('network_id', root)
        .where('container_id', '>', 0)
        .groupBy('container_id')
        .select('container_id')
        .orderByRaw('sum(dau) desc')
        .first()) as { container_id: number } | undefined;
      const date = (daysAgo: number) => new Date(now - daysAgo * 86_400_000).toISOString().slice(0, 10);
      const custom = (from: number, to: number) => `?period=custom&from=${date(from)}&to=${date(to)}`;
      const pages = [
        ['network, 28 days', '/admin/analytics?period=28'],
        ['network, 90 days', '/admin/analytics?period=90'],
        ['network, 7 days', '/admin/analytics?period=7'],
        ['network, 365 days (custom)', `/admin/analytics${custom(364, 0)}`],
        ['network, 90 days ending 30 days ago (custom)', `/admin/analytics${custom(119, 30)}`],
        ...(group
          ? [
              ['busiest group, 90 days', `/groups/${group.container_id}/analytics?period=90`],
              ['busiest group, 60 days ending 30 days ago (custom)', `/groups/${group.container_id}/analytics${custom(89, 30)}`],
            ]
          : []),
        ['CSV of the days, 90 days', '/admin/analytics/export/days?period=90'],
      ];
      for (const [name, url] of pages) {
        // The first request after a run of the job computes what later ones reuse until the next run (memo.ts).
        const started = performance.now();
        const firstCpu = process.cpuUsage();
        let status = 0;
        const firstSlow = await slowStatements(rt.db, async () => {
          status = (await agent.get(url)).status;
        });
        const cold = performance.now() - started;
        const coldCpu = process.cpuUsage(firstCpu);
        if (status !== 200) throw new Error(`${url} answered ${status}`);
        if (FIRST) {
          const cpu = ((coldCpu.user + coldCpu.system) / 1000).toFixed(1);
          console.log(`${name}: first ${cold.toFixed(1)} ms (CPU ${cpu} ms), load average ${os.loadavg()[0].toFixed(1)}`);
          for (const [sql, ms] of firstSlow) console.log(`  first: ${ms.toFixed(0)} ms  ${sql.slice(0, 150)}`);
          continue;
        }
        // The process's CPU (every thread: SQLite works on libuv's) per request: a figure the load does not inflate as it does wall time.
        const cpu = process.cpuUsage();
        const times = await timeRuns(RUNS, () => agent.get(url).expect(200));
        const used = process.cpuUsage(cpu);
        const cpuMs = (used.user + used.system) / 1000 / RUNS;
        const size = (await agent.get(url)).text.length;
        console.log(
          `${name}: first ${cold.toFixed(1)} ms (CPU ${((coldCpu.user + coldCpu.system) / 1000).toFixed(1)} ms), then ${medianP95(times)}, CPU ${cpuMs.toFixed(1)} ms a request (${RUNS} runs, ${(size / 1024).toFixed(0)} KB), load average ${os.loadavg()[0].toFixed(1)}`,
        );
        // The first request's statements of 20 ms or more (what it computes for the later ones).
        for (const [sql, ms] of firstSlow.filter(([, ms]) => ms >= 20)) console.log(`  first: ${ms.toFixed(0)} ms  ${sql.slice(0, 150)}`);
        for (const [sql, ms] of await slowStatements(rt.db, () => agent.get(url).expect(200)))
          console.log(`  ${ms.toFixed(0)} ms  ${sql.slice(0, 160)}`);
      }
    } finally {
      await app.close();
    }
  } finally {
    if (!keep) fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The job's work on the copy: every day not rolled up yet (BENCH_ROLLUP_DAYS: only the last ones), then a later run. */
async function rollUp(db: Knex, root: number, now: number): Promise<void> {
  const recent = Number(process.env.BENCH_ROLLUP_DAYS);
  if (recent && !(await db('analytics_rollup').where('network_id', root).first())) {
    // Only the last days rolled up again (a reused copy whose history the rollups already hold).
    await db('analytics_rollup').insert({ network_id: root, last_day: dayOf(now) - recent + 1 });
  }
  let t0 = performance.now();
  const days = await rollupNetwork(db, root, now);
  console.log(`rolled up ${days} days in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  t0 = performance.now();
  await rollupNetwork(db, root, now);
  console.log(`a later run of the job (today again, discussions of 90 days): ${(performance.now() - t0).toFixed(0)} ms`);
  const counts = await db('analytics_member_days').count<{ n: number }[]>('* as n');
  console.log(`analytics_member_days: ${counts[0].n} rows`);
}

/** Waits for the plugin's warm-up at start (warm.ts) where the build has one (an older build compared with: none). */
async function warmedUp(rt: Runtime): Promise<void> {
  const t0 = performance.now();
  const spec = '../plugins/analytics/warm';
  const warm = (await import(spec).catch(() => null)) as { DashboardWarmer?: new () => { settled(): Promise<void> } } | null;
  if (!warm?.DashboardWarmer) return void console.log('no warm-up in this build');
  await rt.container.resolve(warm.DashboardWarmer).settled();
  console.log(`the warm-up at start was over ${((performance.now() - t0) / 1000).toFixed(1)} s after the app was built`);
}

/** The statements of one request that took 5 ms or more, slowest first (where the page's time goes). */
async function slowStatements(db: Knex, fn: () => Promise<unknown>): Promise<[string, number][]> {
  const started = new Map<string, { sql: string; at: number }>();
  const slow: [string, number][] = [];
  const onQuery = (q: { __knexQueryUid: string; sql: string }): void => void started.set(q.__knexQueryUid, { sql: q.sql, at: performance.now() });
  const onDone = (_r: unknown, q: { __knexQueryUid: string }): void => {
    const s = started.get(q.__knexQueryUid);
    if (s && performance.now() - s.at >= 5) slow.push([s.sql.replace(/\s+/g, ' '), performance.now() - s.at]);
  };
  db.on('query', onQuery).on('query-response', onDone);
  try {
    await fn();
  } finally {
    db.removeListener('query', onQuery).removeListener('query-response', onDone);
  }
  return slow.sort((a, b) => b[1] - a[1]);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
