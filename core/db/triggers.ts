/**
 * Row triggers written once for both databases, for migrations that keep a denormalised
 * counter in step with the rows it counts: the trigger runs inside the statement that changes
 * those rows, so every writer (a service, the CLI, a seeder, a foreign key's cascade) keeps the
 * counter right in the same transaction without knowing it exists.
 *
 * The statements are plain SQL both dialects accept (`insert ... select ... where ... on
 * conflict (...) do update`, `update`, `delete`), naming the changed row `new` / `old`. SQLite
 * runs them as the trigger's body; PostgreSQL in a PL/pgSQL function of the same name.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Knex } from 'knex';

export interface RowTrigger {
  /** Unique in the database; the PostgreSQL function is `<name>_fn`. */
  name: string;
  table: string;
  timing: 'before' | 'after';
  /** `insert`, `delete` or `update of <column>`. */
  event: string;
  /** A condition on `new`/`old` for the trigger to run (both dialects' `when`). */
  when?: string;
  statements: string[];
  /** Statements run first on PostgreSQL only (row locks that SQLite's single writer does not need). */
  pgFirst?: string[];
}

const isSqlite = (db: Knex): boolean => db.client.config.client === 'sqlite3';

export async function createRowTrigger(db: Knex, t: RowTrigger): Promise<void> {
  const head = `create trigger ${t.name} ${t.timing} ${t.event} on ${t.table} for each row`;
  if (isSqlite(db)) {
    await db.raw(`${head}${t.when ? ` when ${t.when}` : ''} begin ${t.statements.map((s) => `${s};`).join(' ')} end`);
    return;
  }
  // A before-delete trigger lets the deletion go on by returning the old row; an after trigger's answer is ignored.
  const result = t.timing === 'before' ? (t.event === 'delete' ? 'old' : 'new') : 'null';
  const body = [...(t.pgFirst ?? []), ...t.statements].map((s) => `${s};`).join('\n');
  await db.raw(`create or replace function ${t.name}_fn() returns trigger language plpgsql as $$ begin\n${body}\nreturn ${result};\nend $$`);
  await db.raw(`${head}${t.when ? ` when (${t.when})` : ''} execute function ${t.name}_fn()`);
}

export async function dropRowTrigger(db: Knex, name: string, table: string): Promise<void> {
  droppedInStep.getStore()?.add(name);
  if (isSqlite(db)) {
    await db.raw(`drop trigger if exists ${name}`);
    return;
  }
  await db.raw(`drop trigger if exists ${name} on ${table}`);
  await db.raw(`drop function if exists ${name}_fn()`);
}

/** Names dropped with `dropRowTrigger` during the migration step running in this async context (core/db/migration-step.ts). */
export const droppedInStep = new AsyncLocalStorage<Set<string>>();
