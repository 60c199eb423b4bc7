/**
 * The people search's index of profile values (`profile_search_values`): each searchable value
 * (the built-in job title, department and location, and the values of the extra fields an
 * admin marks searchable), lower-cased and without accents, with the level of its field beside
 * it, so one LIKE over one column finds the members holding a word and the core's access clause
 * decides in the same statement who may see that value (see people-search.ts).
 *
 * Row triggers on `profiles`, `profile_values` and `profile_fields` keep it in step in the
 * transaction of every write (a service, the CLI, a seeder, a cascade); `rebuildPeopleIndex`
 * builds it whole (the migration, `ruche search reindex`).
 */
import type { Knex } from 'knex';
import { createRowTrigger, createSubstringIndex, dropRowTrigger, dropSubstringIndex, foldStatements, type SubstringIndex } from '../../core';
import { BUILTIN_VISIBILITY } from './api';

export const PEOPLE_INDEX = 'profile_search_values';
/** The trigrams of the folded values: a searched word is looked up, not compared with every value. */
export const PEOPLE_TRIGRAMS: SubstringIndex = { table: PEOPLE_INDEX, column: 'folded', key: 'id' };
/** The built-in profile columns the people search reads: a job title, a department, a site. */
export const BUILTIN_SEARCHED = ['headline', 'department', 'location'] as const;
/** The built-in values are one row per member (a third of the rows to scan), under this source. */
const BUILTIN_SOURCE = 'profile';

const dialectOf = (db: Knex): 'sqlite' | 'postgres' => (db.client.config.client === 'sqlite3' ? 'sqlite' : 'postgres');

/** An extra field's value is indexed under the source `f<field id>`. */
const fieldSource = (fieldId: string): string => `'f' || ${fieldId}`;

/**
 * The insert of the built-in values of the profiles `where` selects (alias `p`), side by side:
 * a searched word holds letters and digits only, so it never spans two values.
 */
function builtinInsert(where: string): string {
  return (
    `insert into ${PEOPLE_INDEX} (user_id, source, level, folded) select p.user_id, '${BUILTIN_SOURCE}', '${BUILTIN_VISIBILITY}', ` +
    `${BUILTIN_SEARCHED.map((k) => `p.${k}`).join(` || ' | ' || `)} from profiles p where ${where}`
  );
}

/** The insert of the searchable fields' values that `where` selects (aliases `v`, `f`). */
function valueInsert(where: string): string {
  return (
    `insert into ${PEOPLE_INDEX} (user_id, source, level, folded) select v.user_id, ${fieldSource('v.field_id')}, f.visibility, v.value ` +
    `from profile_values v join profile_fields f on f.id = v.field_id where f.searchable = true and ${where}`
  );
}

/** Statements replacing the index rows `where` selects with `inserts`, then folding them. */
function replaced(db: Knex, where: string, inserts: string[]): string[] {
  return [`delete from ${PEOPLE_INDEX} where ${where}`, ...inserts, ...foldStatements(dialectOf(db), PEOPLE_INDEX, 'folded', where)];
}

/** Statements re-indexing one member's values of one extra field (`user` and `field`: SQL expressions). */
const fieldOfMember = (db: Knex, user: string, field: string): string[] =>
  replaced(db, `user_id = ${user} and source = ${fieldSource(field)}`, [valueInsert(`v.user_id = ${user} and v.field_id = ${field}`)]);

const TRIGGERS = [
  'profile_search_builtin_insert',
  'profile_search_builtin_update',
  'profile_search_value_insert',
  'profile_search_value_update',
  'profile_search_value_delete',
  'profile_search_field_update',
  'profile_search_field_delete',
] as const;

/** Creates the table, its triggers, and builds it. */
export async function createPeopleIndex(db: Knex): Promise<void> {
  await db.schema.createTable(PEOPLE_INDEX, (t) => {
    t.increments('id');
    t.integer('user_id').notNullable().references('users.id').onDelete('CASCADE');
    t.string('source', 16).notNullable();
    t.string('level', 20).notNullable();
    t.text('folded').notNullable();
    t.index(['user_id', 'source'], `${PEOPLE_INDEX}_user`);
    t.index(['source'], `${PEOPLE_INDEX}_source`);
  });
  const builtin = replaced(db, `user_id = new.user_id and source = '${BUILTIN_SOURCE}'`, [builtinInsert('p.user_id = new.user_id')]);
  const field = replaced(db, `source = ${fieldSource('new.id')}`, [valueInsert('v.field_id = new.id')]);
  const triggers: Record<(typeof TRIGGERS)[number], { table: string; event: string; statements: string[] }> = {
    profile_search_builtin_insert: { table: 'profiles', event: 'insert', statements: builtin },
    profile_search_builtin_update: { table: 'profiles', event: 'update of headline, department, location', statements: builtin },
    profile_search_value_insert: { table: 'profile_values', event: 'insert', statements: fieldOfMember(db, 'new.user_id', 'new.field_id') },
    profile_search_value_update: {
      table: 'profile_values',
      event: 'update',
      statements: [...fieldOfMember(db, 'old.user_id', 'old.field_id'), ...fieldOfMember(db, 'new.user_id', 'new.field_id')],
    },
    profile_search_value_delete: { table: 'profile_values', event: 'delete', statements: fieldOfMember(db, 'old.user_id', 'old.field_id') },
    profile_search_field_update: { table: 'profile_fields', event: 'update of searchable, visibility', statements: field },
    profile_search_field_delete: {
      table: 'profile_fields',
      event: 'delete',
      statements: [`delete from ${PEOPLE_INDEX} where source = ${fieldSource('old.id')}`],
    },
  };
  for (const name of TRIGGERS) await createRowTrigger(db, { name, timing: 'after', ...triggers[name] });
  await createSubstringIndex(db, PEOPLE_TRIGRAMS);
  await rebuildPeopleIndex(db);
}

export async function dropPeopleIndex(db: Knex): Promise<void> {
  const tables: Record<string, string> = { builtin: 'profiles', value: 'profile_values', field: 'profile_fields' };
  for (const name of TRIGGERS) await dropRowTrigger(db, name, tables[name.split('_')[2]]);
  await dropSubstringIndex(db, PEOPLE_TRIGRAMS);
  await db.schema.dropTableIfExists(PEOPLE_INDEX);
}

/** Builds the index whole from the profiles and the searchable fields' values. */
export async function rebuildPeopleIndex(db: Knex): Promise<void> {
  await db.transaction(async (trx) => {
    for (const statement of replaced(db, '1 = 1', [builtinInsert('1 = 1'), valueInsert('1 = 1')])) await trx.raw(statement);
  });
}
