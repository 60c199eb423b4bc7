/**
 * What a logical backup reads of a database's shape, the same way on SQLite and PostgreSQL:
 * its data tables (every table but the migration bookkeeping, which restoring recreates by
 * running the migrations), their columns with the kind of value each holds, and an order in
 * which every table comes after the tables its foreign keys point at.
 */
import type { Knex } from 'knex';

/** How a column's values are written to and read from an archive. */
export type ColumnKind = 'int' | 'bool' | 'binary' | 'other';

export interface ColumnInfo {
  name: string;
  kind: ColumnKind;
}

export interface TableInfo {
  name: string;
  columns: ColumnInfo[];
  /** Primary key columns, in key order (empty when the table has none). */
  primaryKey: string[];
  /** Tables this one's foreign keys point at (itself excluded). */
  references: string[];
}

const isSqlite = (db: Knex): boolean => db.client.config.client === 'sqlite3';

/** Bookkeeping that `migrate` writes: never exported, recreated by running the migrations. */
export const isBookkeepingTable = (name: string): boolean => name.startsWith('ruche_migration');

/**
 * Derived data (`derived_<name>`, such as the search plugin's index): rebuilt from the data
 * tables by its owner, so never exported and left empty by a restore. Its shape may differ
 * between SQLite and PostgreSQL, which a backup moving between them must not carry.
 */
export const isDerivedTable = (name: string): boolean => name.startsWith('derived_');

/** The data tables of the database, each after the tables it references (names sorted among equals). */
export async function dataTables(db: Knex): Promise<TableInfo[]> {
  const tables = isSqlite(db) ? await sqliteTables(db) : await postgresTables(db);
  return dependencyOrder(tables.filter((t) => !isBookkeepingTable(t.name) && !isDerivedTable(t.name)));
}

/**
 * Every table name of the database, bookkeeping included (what `restore --force` clears). On
 * SQLite the virtual tables (full-text indexes) come first: dropping one drops its shadow
 * tables, and a migration run after the clearing creates it again.
 */
export async function allTableNames(db: Knex): Promise<string[]> {
  if (isSqlite(db)) return [...(await sqliteVirtualTables(db)), ...(await sqliteTableRows(db)).map((r) => r.name)];
  const rows = (await db.raw(
    "select table_name as name from information_schema.tables where table_schema = current_schema() and table_type = 'BASE TABLE' order by 1",
  )) as { rows: { name: string }[] };
  return rows.rows.map((r) => r.name);
}

/**
 * SQLite's own tables and virtual tables (full-text indexes) with their shadow tables are left
 * out: they are derived from the data tables, not data of their own.
 */
async function sqliteTableRows(db: Knex): Promise<{ name: string; sql: string }[]> {
  const rows = (await db.raw(
    "select name, sql from sqlite_master where type = 'table' and name not like 'sqlite\\_%' escape '\\' order by name",
  )) as {
    name: string;
    sql: string | null;
  }[];
  const virtual = rows.filter((r) => /^create\s+virtual\s+table/i.test(r.sql ?? '')).map((r) => r.name);
  return rows.filter((r) => !virtual.some((v) => r.name === v || r.name.startsWith(`${v}_`))).map((r) => ({ name: r.name, sql: r.sql ?? '' }));
}

async function sqliteVirtualTables(db: Knex): Promise<string[]> {
  const rows = (await db.raw("select name from sqlite_master where type = 'table' and sql like 'create virtual table%' order by name")) as {
    name: string;
  }[];
  return rows.map((r) => r.name);
}

async function sqliteTables(db: Knex): Promise<TableInfo[]> {
  const out: TableInfo[] = [];
  for (const { name } of await sqliteTableRows(db)) {
    const cols = (await db.raw(`pragma table_info(${quote(name)})`)) as { name: string; type: string; pk: number }[];
    const fks = (await db.raw(`pragma foreign_key_list(${quote(name)})`)) as { table: string }[];
    out.push({
      name,
      columns: cols.map((c) => ({ name: c.name, kind: kindOf(c.type) })),
      primaryKey: cols
        .filter((c) => c.pk > 0)
        .sort((a, b) => a.pk - b.pk)
        .map((c) => c.name),
      references: [...new Set(fks.map((f) => f.table).filter((t) => t !== name))],
    });
  }
  return out;
}

async function postgresTables(db: Knex): Promise<TableInfo[]> {
  const names = await allTableNames(db);
  const cols = (
    (await db.raw(
      `select table_name as tbl, column_name as name, data_type as type from information_schema.columns
       where table_schema = current_schema() and is_generated = 'NEVER' order by table_name, ordinal_position`,
    )) as { rows: { tbl: string; name: string; type: string }[] }
  ).rows;
  const keys = (
    (await db.raw(
      `select c.conrelid::regclass::text as tbl, c.contype as type, a.attname as col, k.n as n, c.confrelid::regclass::text as ref
       from pg_constraint c join pg_namespace s on s.oid = c.connamespace
       cross join lateral unnest(c.conkey) with ordinality as k(attnum, n)
       join pg_attribute a on a.attrelid = c.conrelid and a.attnum = k.attnum
       where s.nspname = current_schema() and c.contype in ('p', 'f') order by 1, 2, 4`,
    )) as { rows: { tbl: string; type: 'p' | 'f'; col: string; ref: string }[] }
  ).rows;
  return names.map((name) => ({
    name,
    columns: cols.filter((c) => c.tbl === name).map((c) => ({ name: c.name, kind: kindOf(c.type) })),
    primaryKey: keys.filter((k) => k.tbl === name && k.type === 'p').map((k) => k.col),
    references: [...new Set(keys.filter((k) => k.tbl === name && k.type === 'f' && k.ref !== name).map((k) => k.ref))],
  }));
}

/** The kind of a declared column type, by the words both databases use. */
function kindOf(declared: string): ColumnKind {
  const t = declared.toLowerCase();
  if (t.startsWith('bool')) return 'bool';
  if (/int/.test(t)) return 'int';
  if (t === 'blob' || t === 'bytea') return 'binary';
  return 'other';
}

/** Tables sorted so that each comes after those it references; a cycle keeps the rest in name order. */
export function dependencyOrder(tables: TableInfo[]): TableInfo[] {
  const byName = new Map(tables.map((t) => [t.name, t]));
  const done = new Set<string>();
  const visiting = new Set<string>();
  const out: TableInfo[] = [];
  const visit = (t: TableInfo): void => {
    if (done.has(t.name) || visiting.has(t.name)) return;
    visiting.add(t.name);
    for (const ref of [...t.references].sort()) {
      const r = byName.get(ref);
      if (r) visit(r);
    }
    visiting.delete(t.name);
    done.add(t.name);
    out.push(t);
  };
  for (const t of [...tables].sort((a, b) => a.name.localeCompare(b.name))) visit(t);
  return out;
}

/** An identifier quoted for both databases. */
export const quote = (name: string): string => `"${name.replace(/"/g, '""')}"`;
