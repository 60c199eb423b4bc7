/**
 * The version of the members' profile values (plugin migration 008): one row, bumped by row
 * triggers in the statement of every write of a value (`profile_values`, the built-in
 * department and location of `profiles`) or of a field's definition (its type, choices or
 * level; its deletion), whoever writes (a member's edit, the directory's sync, a seeder, the
 * CLI), in the same transaction. Read in one indexed statement by who keeps counts of members
 * by a field (`ValueHolders.version`: the analytics dashboard's members by a field).
 */
import type { Knex } from 'knex';
import { createRowTrigger, dropRowTrigger } from '../../core';

export const VALUES_VERSION_TABLE = 'profile_values_version';

const BUMP = `update ${VALUES_VERSION_TABLE} set version = version + 1 where id = 1`;

const TRIGGERS = [
  { name: 'profile_version_builtin_insert', table: 'profiles', event: 'insert' },
  { name: 'profile_version_builtin_update', table: 'profiles', event: 'update of department, location' },
  { name: 'profile_version_value_insert', table: 'profile_values', event: 'insert' },
  { name: 'profile_version_value_update', table: 'profile_values', event: 'update' },
  { name: 'profile_version_value_delete', table: 'profile_values', event: 'delete' },
  { name: 'profile_version_field_update', table: 'profile_fields', event: 'update of type, choices, visibility' },
  { name: 'profile_version_field_delete', table: 'profile_fields', event: 'delete' },
] as const;

/**
 * Bumps the version first thing in a transaction that will write many members' values (a
 * field's deletion): its row is then locked before any value's, in the order a member's save
 * takes them (their profile, the version, their values), so the two cannot deadlock on PostgreSQL.
 */
export async function bumpValuesVersion(trx: Knex.Transaction): Promise<void> {
  await trx.raw(BUMP);
}

/** Creates the version's row and the triggers that bump it. */
export async function createValuesVersion(db: Knex): Promise<void> {
  await db.schema.createTable(VALUES_VERSION_TABLE, (t) => {
    t.integer('id').primary();
    t.bigInteger('version').notNullable().defaultTo(0);
  });
  await db(VALUES_VERSION_TABLE).insert({ id: 1, version: 0 });
  for (const t of TRIGGERS) await createRowTrigger(db, { ...t, timing: 'after', statements: [BUMP] });
}

export async function dropValuesVersion(db: Knex): Promise<void> {
  for (const t of TRIGGERS) await dropRowTrigger(db, t.name, t.table);
  await db.schema.dropTable(VALUES_VERSION_TABLE);
}

/** The values' version now. */
export async function valuesVersion(db: Knex): Promise<number> {
  const row = (await db(VALUES_VERSION_TABLE).where({ id: 1 }).first('version')) as { version: unknown } | undefined;
  return Number(row?.version ?? 0);
}
