/**
 * Where the search page's time goes: boots the bench site in-process and times, in process CPU
 * per call (the figure that holds on a loaded machine), each statement the page runs for the
 * bench query, then the whole page over HTTP.
 *
 *   node dist/bench/search-parts.js <site dir> [query] [runs]
 */
import 'reflect-metadata';
import path from 'node:path';
import request from 'supertest';
import { createApp, loadConfig } from '../core';
import { SearchQuery } from '../plugins/search/query';
import { runScript } from './lib/scratch';

async function cpuPerCall(runs: number, fn: () => Promise<unknown>): Promise<number> {
  await fn();
  const start = process.cpuUsage();
  for (let i = 0; i < runs; i++) await fn();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000 / runs;
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
    ['content by date (page 1)', () => s.content(viewer, 1, words, { types: all, sort: 'date', page: 1 })],
    ['suggestions: group titles', () => s.titles(viewer, 1, [words[0].slice(0, 3)], tabs.get('groups') ?? [], 5)],
  ];
  for (const [label, fn] of parts) process.stdout.write(`${label.padEnd(34)} ${(await cpuPerCall(runs, fn)).toFixed(2)} ms CPU/call\n`);
  const cookie = `${config.session.cookieName}=${await rt.sessions.create(Number(user.id))}`;
  const page = `/search?q=${encodeURIComponent(q)}`;
  const http = request(app.callback());
  for (const [label, url] of [
    ['the page, over HTTP', page],
    ['the page without a query (frame)', '/search'],
  ])
    process.stdout.write(`${label.padEnd(34)} ${(await cpuPerCall(runs, () => http.get(url).set('Cookie', cookie))).toFixed(2)} ms CPU/call\n`);
  await app.close();
}

runScript('search-parts', main);
