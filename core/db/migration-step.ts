/**
 * One migration step, made safe for SQLite's way of altering tables. SQLite changes or drops a
 * column by rebuilding the table under a new name, which it refuses while a trigger names the
 * table in its body ("error in trigger …: no such table"), whoever owns the trigger, and which
 * would trip foreign keys were they enforced. So on SQLite the migrator runs with foreign keys
 * off (the procedure SQLite documents for rebuilding a table; `Migrator`), and each step:
 *  - drops every trigger first, and afterwards writes back those the step neither dropped
 *    (`dropRowTrigger`) nor created again, whose table still exists;
 *  - when it changed or dropped a table that existed before, checks every foreign key
 *    (`PRAGMA foreign_key_check`) and fails on the first broken reference.
 * A step that fails is rolled back with its transaction, triggers included. On PostgreSQL the
 * step just runs.
 */
import type { Knex } from 'knex';
import { droppedInStep } from './triggers';

interface Schema {
  type: string;
  name: string;
  tbl_name: string;
  sql: string | null;
}

const isSqlite = (db: Knex): boolean => db.client.config.client === 'sqlite3';
const quoted = (name: string): string => `"${name.replace(/"/g, '""')}"`;

async function schemaOf(db: Knex): Promise<Schema[]> {
  return (await db('sqlite_master').whereIn('type', ['trigger', 'table']).select('type', 'name', 'tbl_name', 'sql')) as Schema[];
}

export async function runMigrationStep<T>(db: Knex, step: () => Promise<T>): Promise<T> {
  if (!isSqlite(db)) return step();
  const before = await schemaOf(db);
  const saved = before.filter((r) => r.type === 'trigger' && r.sql);
  for (const t of saved) await db.raw(`drop trigger if exists ${quoted(t.name)}`);
  const dropped = new Set<string>();
  const result = await droppedInStep.run(dropped, step);
  const after = await schemaOf(db);
  const triggers = new Set(after.filter((r) => r.type === 'trigger').map((r) => r.name));
  const tables = new Map(after.filter((r) => r.type === 'table').map((r) => [r.name, r.sql]));
  for (const t of saved) {
    if (dropped.has(t.name) || triggers.has(t.name) || !tables.has(t.tbl_name)) continue;
    await db.raw(t.sql as string);
  }
  const reshaped = before.some((r) => r.type === 'table' && tables.get(r.name) !== r.sql);
  if (reshaped) {
    const broken = (await db.raw('PRAGMA foreign_key_check')) as { table: string; rowid: number; parent: string }[];
    if (broken.length) {
      const b = broken[0];
      throw new Error(`migration left ${broken.length} broken foreign key(s): ${b.table} row ${b.rowid} refers to a missing ${b.parent} row`);
    }
  }
  return result;
}
