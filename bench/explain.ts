/**
 * `npm run bench:explain`: the query plans of the feed, directory and topic pages as the app
 * issues them. Opens the bench site (seeding it first if needed, same options as `npm run
 * bench`) in this process, requests each page once to warm caches, then again while knex's
 * `query` event records every statement, and runs `EXPLAIN QUERY PLAN` (SQLite) or
 * `EXPLAIN` (PostgreSQL) on each recorded SELECT with its bindings. Prints Markdown and puts it
 * between `<!-- bench:explain:<db> -->` markers in docs/performance.md (unless --no-write).
 *
 *   npm run bench:explain
 *   npm run bench:explain -- --db postgres --pages "home feed"
 */
import fs from 'node:fs';
import path from 'node:path';
import { openBenchApp } from './lib/capture';
import { runMain } from './lib/main';
import { parseOptions, REPO_ROOT } from './lib/options';

const PAGES = ['home feed', 'network feed', 'directory search', 'topic first page', 'topic last page'];

interface RawSqlite {
  all(sql: string, params: unknown[], cb: (err: Error | null, rows: { id: number; parent: number; detail: string }[]) => void): void;
}
interface RawPg {
  query(q: { text: string; values: unknown[] }): Promise<{ rows: Record<string, string>[] }>;
}

function sqlitePlan(rows: { id: number; parent: number; detail: string }[]): string {
  const depth = new Map<number, number>([[0, -1]]);
  return rows
    .map((r) => {
      const d = (depth.get(r.parent) ?? -1) + 1;
      depth.set(r.id, d);
      return `${'  '.repeat(d)}${r.detail}`;
    })
    .join('\n');
}

async function main(): Promise<void> {
  const o = parseOptions(process.argv.slice(2));
  const wanted = o.pages.length ? o.pages : PAGES;
  const bench = await openBenchApp(o, (l) => process.stdout.write(`${l}\n`));
  const db = bench.db;
  const out: string[] = [];
  try {
    for (const name of wanted) {
      const { path: pagePath, captured, selects } = await bench.capture(name);
      out.push(`#### ${name}: \`GET ${pagePath}\` (${captured.length} statements, ${selects.length} SELECTs)`, '');
      for (const q of selects) {
        const conn = await db.client.acquireConnection();
        let plan: string;
        try {
          if (o.db === 'sqlite') {
            const rows = await new Promise<{ id: number; parent: number; detail: string }[]>((resolve, reject) =>
              (conn as RawSqlite).all(`EXPLAIN QUERY PLAN ${q.sql}`, q.bindings, (e, r) => (e ? reject(e) : resolve(r))),
            );
            plan = sqlitePlan(rows);
          } else {
            const r = await (conn as RawPg).query({ text: `EXPLAIN ${q.sql}`, values: q.bindings });
            plan = r.rows.map((row) => row['QUERY PLAN']).join('\n');
          }
        } catch (e) {
          plan = `(EXPLAIN failed: ${(e as Error).message})`;
        } finally {
          await db.client.releaseConnection(conn);
        }
        out.push('```sql', q.sql, q.bindings.length ? `-- bindings: ${JSON.stringify(q.bindings)}` : '', '```', '```', plan, '```', '');
      }
    }
  } finally {
    await bench.stop();
  }
  const text = out
    .filter((l, i) => !(l === '' && out[i - 1] === '```sql'))
    .join('\n')
    .replace(/\n\n+```\n```/g, '\n```\n```')
    // Session ids and tokens are secrets even on a bench site.
    .replace(/\b[0-9a-f]{40,}\b/g, '<token>');
  process.stdout.write(`${text}\n`);
  if (o.write) {
    const doc = path.join(REPO_ROOT, 'docs', 'performance.md');
    const open = `<!-- bench:explain:${o.db} -->`;
    const close = `<!-- /bench:explain:${o.db} -->`;
    const header = `Plans captured ${new Date().toISOString().slice(0, 10)} on the ${o.members.toLocaleString('en-US')} members / ${o.entities.toLocaleString('en-US')} entities / ${o.groups.toLocaleString('en-US')} groups site (\`npm run bench:explain${o.db === 'postgres' ? ' -- --db postgres' : ''}\`).`;
    const block = `${open}\n<details><summary>${o.db === 'sqlite' ? 'SQLite' : 'PostgreSQL'} plans</summary>\n\n${header}\n\n${text}\n</details>\n${close}`;
    let doc_ = fs.readFileSync(doc, 'utf8');
    const a = doc_.indexOf(open);
    const b = doc_.indexOf(close);
    doc_ = a >= 0 && b > a ? doc_.slice(0, a) + block + doc_.slice(b + close.length) : doc_.replace(/\n*$/, '\n\n') + block + '\n';
    fs.writeFileSync(doc, doc_);
    process.stdout.write(`wrote ${doc}\n`);
  }
}

runMain('bench:explain', main);
