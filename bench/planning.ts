/**
 * `npm run bench:planning`: what PostgreSQL spends planning the SELECTs of bench
 * pages, run unnamed (as every read built per call ran before issue 21) against a named prepared
 * statement (as a named-statement build would run them; reads built per call run unnamed today). Opens the bench site in this process
 * (lib/capture.ts), records each page's statements, then for each SELECT on one connection:
 * `EXPLAIN (ANALYZE, FORMAT JSON)` of the text with its bindings RUNS times (unnamed: parsed and
 * planned each time), then `PREPARE` and RUNS × `EXPLAIN (ANALYZE, FORMAT JSON) EXECUTE` (the
 * first five planned with their values, then the generic plan when PostgreSQL keeps it).
 * Prints per statement the median planning and execution ms of the unnamed runs, of the named
 * runs after the fifth, and of named runs with the generic plan forced (`plan_cache_mode`), and
 * the plan kinds of the named runs (BENCH_FULL=1: the whole text and its bindings too).
 * Server-side times: the load of the machine weighs on them, their ratio less.
 *
 *   node dist/bench/planning.js --db postgres --pages "search,directory search"
 */
import pg from 'pg';
import { openBenchApp } from './lib/capture';
import { parseOptions } from './lib/options';

const PAGES = ['search', 'directory search', 'group directory', 'group chooser', 'home feed'];
const RUNS = Number(process.env.BENCH_RUNS) || 10;
/** Executions PostgreSQL plans with their values before it considers the generic plan. */
const CUSTOM_FIRST = 5;

interface Explained {
  'Planning Time': number;
  'Execution Time': number;
}
interface PgConn {
  query(q: string | { text: string; values?: unknown[] }): Promise<{ rows: Record<string, unknown>[] }>;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor(s.length / 2)] : NaN;
};
const ms = (n: number): string => n.toFixed(3);

/** A binding as an SQL literal, as the pg driver would send it (text, typed by the statement). */
function literal(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (v instanceof Date) return pg.escapeLiteral(v.toISOString());
  if (typeof v === 'object') return pg.escapeLiteral(JSON.stringify(v));
  return pg.escapeLiteral(String(v));
}

async function explain(conn: PgConn, q: string | { text: string; values?: unknown[] }): Promise<Explained> {
  const { rows } = await conn.query(q);
  return (rows[0]['QUERY PLAN'] as Explained[])[0];
}

async function main(): Promise<void> {
  const o = parseOptions(process.argv.slice(2));
  if (o.db !== 'postgres') throw new Error('bench:planning measures PostgreSQL: give --db postgres');
  const wanted = o.pages.length ? o.pages : PAGES;
  const bench = await openBenchApp(o, (l) => process.stdout.write(`${l}\n`));
  const db = bench.db;
  const positioned = (sql: string): string =>
    /\$1\b/.test(sql) ? sql : (db.client as unknown as { positionBindings(s: string): string }).positionBindings(sql);
  try {
    for (const name of wanted) {
      const { path, selects } = await bench.capture(name);
      process.stdout.write(`\n${name} (GET ${path}): ${selects.length} SELECTs\n`);
      process.stdout.write(
        'unnamed plan / exec ms | named plan / exec ms (runs 6+) | named plan kinds | generic forced plan / exec ms | statement\n',
      );
      const conn = (await db.client.acquireConnection()) as PgConn;
      try {
        for (const q of selects) {
          const text = positioned(q.sql);
          const unnamed: Explained[] = [];
          for (let i = 0; i < RUNS; i++) unnamed.push(await explain(conn, { text: `explain (analyze, format json) ${text}`, values: q.bindings }));
          await conn.query(`prepare bench_planning as ${text}`);
          const named: Explained[] = [];
          try {
            const args = q.bindings.length ? `(${q.bindings.map(literal).join(', ')})` : '';
            for (let i = 0; i < RUNS; i++) named.push(await explain(conn, `explain (analyze, format json) execute bench_planning${args}`));
            const { rows } = await conn.query("select generic_plans, custom_plans from pg_prepared_statements where name = 'bench_planning'");
            const later = named.slice(CUSTOM_FIRST);
            const generic: Explained[] = [];
            await conn.query('set plan_cache_mode = force_generic_plan');
            try {
              for (let i = 0; i < CUSTOM_FIRST; i++)
                generic.push(await explain(conn, `explain (analyze, format json) execute bench_planning${args}`));
            } finally {
              await conn.query('reset plan_cache_mode');
            }
            process.stdout.write(
              `${ms(median(unnamed.map((e) => e['Planning Time'])))} / ${ms(median(unnamed.map((e) => e['Execution Time'])))} | ` +
                `${ms(median(later.map((e) => e['Planning Time'])))} / ${ms(median(later.map((e) => e['Execution Time'])))} | ` +
                `${String(rows[0].generic_plans)} generic, ${String(rows[0].custom_plans)} custom | ` +
                `${ms(median(generic.map((e) => e['Planning Time'])))} / ${ms(median(generic.map((e) => e['Execution Time'])))} | ` +
                (process.env.BENCH_FULL ? `${text}\n-- ${JSON.stringify(q.bindings)}\n` : `${text.replace(/\s+/g, ' ').slice(0, 90)}\n`),
            );
          } finally {
            await conn.query('deallocate bench_planning');
          }
        }
      } finally {
        await db.client.releaseConnection(conn);
      }
    }
  } finally {
    await bench.stop();
  }
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    process.stderr.write(`bench:planning failed: ${(e as Error).stack ?? e}\n`);
    process.exit(1);
  },
);
