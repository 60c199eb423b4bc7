/**
 * A snapshot of a whole database in one statement: for every table, its row count and a
 * checksum of its content, so that a test can tell "nothing changed" from a change anywhere
 * (a new row, a deleted row, an updated column). Built once per database from the catalog;
 * each snapshot is then a single `UNION ALL` query.
 *
 * SQLite has no hash function: each table's rows come back concatenated (`quote()` of every
 * column, in rowid order) and are hashed here. PostgreSQL hashes in place with `md5` over
 * the rows as text, sorted, so that a physical reordering is not mistaken for a change.
 */
import { createHash } from 'node:crypto';
import type { Knex } from 'knex';

export interface TableState {
  rows: number;
  sum: string;
}

export type Snapshot = Map<string, TableState>;

export interface Snapshotter {
  readonly tables: string[];
  /** Counts and checksums of every table. */
  take(): Promise<Snapshot>;
  /** Row counts only (cheaper): the same map with an empty checksum. */
  counts(): Promise<Snapshot>;
}

/**
 * Prepares the snapshot queries for the database behind `db`. `ignore` names columns left out of
 * the checksum, as `table.column` (a session's last-seen time is touched by every request).
 */
export async function snapshotter(db: Knex, kind: 'sqlite' | 'postgres', ignore: readonly string[] = []): Promise<Snapshotter> {
  const skipped = new Set(ignore);
  const tables =
    kind === 'sqlite'
      ? ((await db('sqlite_master').where({ type: 'table' }).whereNot('name', 'like', 'sqlite_%').orderBy('name').pluck('name')) as string[])
      : ((await db('pg_tables').where({ schemaname: 'public' }).orderBy('tablename').pluck('tablename')) as string[]);
  const q = (name: string): string => `"${name.replace(/"/g, '""')}"`;
  const lit = (s: string): string => `'${s.replace(/'/g, "''")}'`;
  const parts: string[] = [];
  const countParts: string[] = [];
  for (const table of tables) {
    const columns =
      kind === 'sqlite'
        ? ((await db.raw(`PRAGMA table_info(${q(table)})`)) as { name: string }[]).map((c) => c.name)
        : ((await db('information_schema.columns')
            .where({ table_schema: 'public', table_name: table })
            .orderBy('ordinal_position')
            .pluck('column_name')) as string[]);
    const kept = columns.filter((c) => !skipped.has(`${table}.${c}`));
    const content =
      kind === 'sqlite'
        ? `group_concat(${kept.map((c) => `quote(${q(c)})`).join(` || ',' || `)}, ';')`
        : `md5(coalesce(string_agg(ROW(${kept.map(q).join(', ')})::text, ';' ORDER BY ROW(${kept.map(q).join(', ')})::text), ''))`;
    parts.push(`SELECT ${lit(table)} AS t, count(*) AS n, ${content} AS c FROM ${q(table)}`);
    countParts.push(`SELECT ${lit(table)} AS t, count(*) AS n, '' AS c FROM ${q(table)}`);
  }
  const run = async (sql: string): Promise<Snapshot> => {
    const result = await db.raw(sql);
    const rows = (kind === 'sqlite' ? result : result.rows) as { t: string; n: number | string; c: string | null }[];
    const out: Snapshot = new Map();
    for (const r of rows) {
      const c = r.c ?? '';
      out.set(r.t, { rows: Number(r.n), sum: kind === 'sqlite' && c ? createHash('sha1').update(c).digest('hex') : c });
    }
    return out;
  };
  const all = parts.join(' UNION ALL ');
  const onlyCounts = countParts.join(' UNION ALL ');
  return { tables, take: () => run(all), counts: () => run(onlyCounts) };
}

/** The tables whose count or checksum differ, each as `table (rows a→b)` or `table (content)`. */
export function changedTables(before: Snapshot, after: Snapshot): string[] {
  const out: string[] = [];
  for (const [table, a] of after) {
    const b = before.get(table);
    if (!b) out.push(`${table} (new table)`);
    else if (b.rows !== a.rows) out.push(`${table} (rows ${b.rows}→${a.rows})`);
    else if (b.sum !== a.sum) out.push(`${table} (content)`);
  }
  return out;
}
