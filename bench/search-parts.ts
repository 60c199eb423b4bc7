/**
 * Where the search page's time goes: boots the bench site in-process and times, in process CPU
 * per call (the figure that holds on a loaded machine), each statement the page runs for the
 * bench query, then the whole page over HTTP; on PostgreSQL also the CPU of the database's backends
 * (from /proc, 10 ms ticks: give enough runs).
 *
 *   node dist/bench/search-parts.js <site dir> [query] [runs]
 */
import 'reflect-metadata';
import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { createApp, loadConfig, type Runtime } from '../core';
import { SearchQuery } from '../plugins/search/query';
import { forgetScores } from '../plugins/search/scores';
import { runScript } from './lib/scratch';

/** CPU ms (user + system) of the database's server processes (PostgreSQL's backends on this database; 0 on SQLite). */
async function backendsCpu(rt: Runtime): Promise<number> {
  if (rt.dialect !== 'postgres') return 0;
  const { rows } = (await rt.db.raw('select pid from pg_stat_activity where datname = current_database()')) as { rows: { pid: number }[] };
  let ticks = 0;
  for (const { pid } of rows) {
    try {
      const f = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
      ticks += Number(f[11]) + Number(f[12]);
    } catch {
      // A backend gone since: its time is not counted (nor was it ours).
    }
  }
  return (ticks * 1000) / 100; // clock ticks of 10 ms
}

/** CPU per call in this process, and on PostgreSQL in the database's backends ("node / backends"). */
async function cpuPerCall(rt: Runtime, runs: number, fn: () => Promise<unknown>): Promise<string> {
  await fn();
  const db0 = await backendsCpu(rt);
  const start = process.cpuUsage();
  for (let i = 0; i < runs; i++) await fn();
  const used = process.cpuUsage(start);
  const node = ((used.user + used.system) / 1000 / runs).toFixed(2);
  return rt.dialect === 'postgres'
    ? `${node} / ${(((await backendsCpu(rt)) - db0) / runs).toFixed(1)} ms CPU/call (node / backends)`
    : `${node} ms CPU/call`;
}

async function main(): Promise<void> {
  const dir = path.resolve(process.argv[2] ?? '.');
  const q = process.argv[3] ?? 'supplier audit';
  const runs = Number(process.argv[4] ?? 20);
  const as = process.env.BENCH_AS ?? 'chen.khan';
  const config = loadConfig({ cwd: dir, env: {}, overrides: { log: { level: 'silent', pretty: false } } });
  const app = await createApp(config, { cwd: dir });
  const rt = app.ruche;
  const user = await rt.db('users').where({ username: as }).first('id');
  const viewer = (await rt.users.viewer(Number(user.id)))!;
  const s = rt.container.resolve(SearchQuery);
  const words = q.split(/\s+/);
  const tabs = s.tabs();
  const all = [...tabs.values()].flat();
  const parts: [string, () => Promise<unknown>][] = [
    ['tab counts (every tab, as before)', () => s.countsByTab(viewer, 1, words, tabs, {})],
    ['count of the open tab (Everything)', () => s.countsByTab(viewer, 1, words, new Map([['all', all]]), {})],
    ['people (4 and the count)', () => s.people(viewer, 1, words, 4)],
    ['content by relevance (page 1)', () => s.content(viewer, 1, words, { types: all, sort: 'relevance', page: 1 })],
    [
      'content by relevance, no kept score',
      () => {
        forgetScores(rt.db, null);
        return s.content(viewer, 1, words, { types: all, sort: 'relevance', page: 1 });
      },
    ],
    ['content by date (page 1)', () => s.content(viewer, 1, words, { types: all, sort: 'date', page: 1 })],
    ['suggestions: group titles', () => s.titles(viewer, 1, [words[0].slice(0, 3)], tabs.get('groups') ?? [], 5)],
  ];
  for (const [label, fn] of parts) process.stdout.write(`${label.padEnd(36)} ${await cpuPerCall(rt, runs, fn)}\n`);
  const cookie = `${config.session.cookieName}=${await rt.sessions.create(Number(user.id))}`;
  const page = `/search?q=${encodeURIComponent(q)}`;
  const http = request(app.callback());
  for (const [label, url] of [
    ['the page, over HTTP', page],
    ['the page without a query (frame)', '/search'],
  ])
    process.stdout.write(`${label.padEnd(36)} ${await cpuPerCall(rt, runs, () => http.get(url).set('Cookie', cookie))}\n`);
  await app.close();
}

runScript('search-parts', main);
