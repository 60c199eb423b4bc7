/**
 * The statements a bench page runs: the bench site opened in this process (seeded first if
 * needed, as `npm run bench` does), each page requested once to warm caches, then again while
 * knex's `query` event records every statement. Used by `npm run bench:explain` and
 * `npm run bench:planning`.
 */
import type { Knex } from 'knex';
import { createApp, listen, loadConfig } from '../../core';
import type { BenchOptions } from './options';
import { signIn } from './sessions';
import { ensureSite, type Site } from './site';

export interface Captured {
  sql: string;
  bindings: unknown[];
}

export interface PageStatements {
  name: string;
  path: string;
  /** Every statement of the second request, in order. */
  captured: Captured[];
  /** Its SELECTs, each text once (with the bindings of its first run). */
  selects: Captured[];
}

export interface BenchApp {
  site: Site;
  db: Knex;
  /** The statements of the bench page `name` (as its member of bench-targets.json). */
  capture(name: string): Promise<PageStatements>;
  stop(): Promise<void>;
}

/** The bench site of these options served by this process on 127.0.0.1, jobs off, logs silent. */
export async function openBenchApp(o: BenchOptions, log: (line: string) => void): Promise<BenchApp> {
  const site = await ensureSite(o, log);
  const config = loadConfig({
    file: site.configFile,
    cwd: site.dir,
    env: {},
    overrides: { log: { level: 'silent', pretty: false }, jobs: { enabled: false } } as never,
  });
  const app = await createApp(config, { cwd: site.dir });
  const db = app.ruche.db;
  const running = await listen(app, 0, '127.0.0.1');
  const capture = async (name: string): Promise<PageStatements> => {
    const page = site.targets.pages.find((p) => p.name === name);
    if (!page) throw new Error(`no page "${name}" in bench-targets.json`);
    const cookie = await signIn(running.url, page.as, site.targets.password);
    const get = async () => {
      const res = await fetch(running.url + page.path, { headers: { cookie }, redirect: 'manual', signal: AbortSignal.timeout(60_000) });
      await res.arrayBuffer();
      if (res.status !== 200) throw new Error(`${name}: ${page.path} answered ${res.status}`);
    };
    await get();
    const captured: Captured[] = [];
    const listener = (q: { sql: string; bindings?: unknown[] }) => captured.push({ sql: q.sql, bindings: q.bindings ?? [] });
    db.on('query', listener);
    try {
      await get();
    } finally {
      db.off('query', listener);
    }
    const seen = new Set<string>();
    const selects = captured.filter((q) => /^\s*(select|with)\b/i.test(q.sql) && !seen.has(q.sql) && seen.add(q.sql));
    return { name, path: page.path, captured, selects };
  };
  return { site, db, capture, stop: () => running.stop() };
}
