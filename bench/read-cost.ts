/**
 * `npm run bench:read-cost`: the CPU of this process per read of a bench page (issue 18 on
 * PostgreSQL: the Node process spent 35-55% more than on SQLite). Opens the bench site in this
 * process (lib/capture.ts), records each page's SELECTs, then replays them one at a time, ROUNDS
 * rounds of RUNS runs each, two ways alternated: through the app's read path (`KeptBuilds.read`,
 * the path of `readBuilt` and the kept builds: a pool connection, the driver, its row parsing) and
 * through knex's query runner (`db.raw`, the path of a builder awaited). The database's own time is
 * its process's, not this one's: what is printed is `process.cpuUsage()` (user + system) per read,
 * the median of the rounds, beside the rows and fields each read answers.
 * BENCH_READ_OLD=<checkout root>: a third way, the app read path of that checkout's build (its
 * core/db, its own pool on the same database), alternated with this build's in the same process.
 *
 *   node dist/bench/read-cost.js --db postgres --pg-database ruche_bench_pg --pages "home feed,topic first page"
 */
import path from 'node:path';
import type { Knex } from 'knex';
import { KeptBuilds } from '../core/db/statements';
import { openBenchApp, type Captured } from './lib/capture';
import { parseOptions } from './lib/options';

const PAGES = ['home feed', 'topic first page', 'profile page', 'directory search', 'group directory'];
const RUNS = Number(process.env.BENCH_RUNS) || 200;
const ROUNDS = Number(process.env.BENCH_ROUNDS) || 5;

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main(): Promise<void> {
  const o = parseOptions(process.argv.slice(2));
  const wanted = o.pages.length ? o.pages : PAGES;
  const bench = await openBenchApp(o, (l) => process.stdout.write(`${l}\n`));
  const db = bench.db;
  const kept = new KeptBuilds(1024);
  const old = process.env.BENCH_READ_OLD ? oldReadPath(path.resolve(process.env.BENCH_READ_OLD), db) : undefined;
  const ways: Record<string, (q: Captured) => Promise<unknown[]>> = {
    ...(old && { 'old app read': old.read }),
    'app read': (q) => kept.read<unknown>(db, q.sql, () => Promise.resolve({ sql: q.sql, bindings: q.bindings } as never)),
    'knex runner': async (q) => {
      const r = (await db.raw(q.sql, q.bindings as never)) as unknown;
      return Array.isArray(r) ? r : (r as { rows: unknown[] }).rows;
    },
  };
  /** CPU µs of this process per run of `q` one way, one round. */
  const round = async (way: (q: Captured) => Promise<unknown[]>, q: Captured): Promise<number> => {
    const start = process.cpuUsage();
    for (let i = 0; i < RUNS; i++) await way(q);
    const used = process.cpuUsage(start);
    return (used.user + used.system) / RUNS;
  };
  try {
    process.stdout.write(`${db.client.config.client}: µs of this process's CPU per read (median of ${ROUNDS} rounds of ${RUNS})\n`);
    for (const name of wanted) {
      const { selects } = await bench.capture(name);
      const totals: Record<string, number> = {};
      process.stdout.write(`\n== ${name}: ${selects.length} reads\n`);
      for (const q of selects) {
        const rows = await ways['app read'](q);
        const fields = rows[0] ? Object.keys(rows[0] as object).length : 0;
        const figures: Record<string, number[]> = {};
        for (let r = 0; r < ROUNDS; r++)
          for (const [label, way] of r % 2 ? Object.entries(ways).reverse() : Object.entries(ways)) (figures[label] ??= []).push(await round(way, q));
        const cells = Object.entries(figures).map(([label, xs]) => {
          totals[label] = (totals[label] ?? 0) + median(xs);
          return `${label} ${median(xs).toFixed(0).padStart(4)}`;
        });
        const text = q.sql.replace(/\s+/g, ' ').slice(0, 70);
        process.stdout.write(`  ${cells.join('  ')}  ${String(rows.length).padStart(4)} rows × ${String(fields).padStart(2)}  ${text}\n`);
      }
      const sums = Object.entries(totals).map(([label, t]) => `${label} ${(t / 1000).toFixed(2)} ms`);
      process.stdout.write(`  the page's reads, one each: ${sums.join(', ')}\n`);
    }
  } finally {
    await old?.db.destroy();
    await bench.stop();
  }
}

/** The app read path of another checkout's build, on a pool of its own to the database of `db`. */
function oldReadPath(root: string, db: Knex): { db: Knex; read: (q: Captured) => Promise<unknown[]> } {
  const { createDatabase } = require(path.join(root, 'dist/core/db/database.js')) as { createDatabase(url: string): Knex };
  const statements = require(path.join(root, 'dist/core/db/statements.js')) as { KeptBuilds: typeof KeptBuilds };
  const connection = db.client.config.connection as { connectionString?: string; filename?: string };
  const oldDb = createDatabase(connection.connectionString ?? `sqlite:${connection.filename}`);
  const kept = new statements.KeptBuilds(1024);
  return {
    db: oldDb,
    read: (q) => kept.read<unknown>(oldDb, q.sql, () => Promise.resolve({ sql: q.sql, bindings: q.bindings } as never)),
  };
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
