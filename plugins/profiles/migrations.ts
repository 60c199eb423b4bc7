import type { Knex } from 'knex';
import { createTables, dropColumns, userIdColumn, type Migration } from '../../core';
import { createPeopleIndex, dropPeopleIndex } from './search-index';
import { createValuesVersion, dropValuesVersion } from './values-version';

export const migrations: Migration[] = [
  createTables('001_profiles', {
    profiles: (t) => {
      t.integer('user_id').unsigned().primary().references('id').inTable('users').onDelete('CASCADE');
      t.string('headline', 200).notNullable().defaultTo('');
      t.string('department', 200).notNullable().defaultTo('');
      t.string('location', 200).notNullable().defaultTo('');
      t.text('languages').notNullable().defaultTo('');
      t.text('skills').notNullable().defaultTo('');
      t.text('about').notNullable().defaultTo('');
      t.string('photo_key', 80).nullable();
      t.bigInteger('updated_at').notNullable();
    },
    profile_fields: (t) => {
      t.increments('id');
      t.string('key', 40).notNullable().unique();
      t.string('label_en', 120).notNullable();
      t.string('label_fr', 120).notNullable();
      t.string('type', 20).notNullable();
      t.text('choices').notNullable().defaultTo('[]');
      t.boolean('required').notNullable().defaultTo(false);
      t.string('visibility', 20).notNullable().defaultTo('members');
      t.integer('position').notNullable().defaultTo(0);
    },
    profile_values: (t) => {
      userIdColumn(t, 'user_id');
      t.integer('field_id').unsigned().notNullable().references('id').inTable('profile_fields').onDelete('CASCADE');
      t.string('value', 2000).notNullable();
      t.primary(['user_id', 'field_id', 'value']);
      t.index(['field_id', 'value']);
    },
  }),
  {
    // One vocabulary with the core's access levels: a field shown to the owner's connections is `friends`.
    name: '002_visibility_friends',
    async up(db) {
      await db('profile_fields').where({ visibility: 'connections' }).update({ visibility: 'friends' });
    },
    async down(db) {
      await db('profile_fields').where({ visibility: 'friends' }).update({ visibility: 'connections' });
    },
  },
  {
    // A person's photo is core data now (users.photo_key, core migration 015): copy the keys.
    name: '003_photo_to_users',
    async up(db) {
      await db.raw(
        'update users set photo_key = (select p.photo_key from profiles p where p.user_id = users.id) ' +
          'where exists (select 1 from profiles p where p.user_id = users.id and p.photo_key is not null)',
      );
      await dropColumns(db, 'profiles', 'photo_key');
    },
    async down(db) {
      await db.schema.alterTable('profiles', (t) => t.string('photo_key', 80).nullable());
      await db.raw('update profiles set photo_key = (select u.photo_key from users u where u.id = profiles.user_id)');
    },
  },
  {
    // An admin marks the extra fields the people search reads (department, site, job title...).
    name: '004_searchable_fields',
    async up(db) {
      await db.schema.alterTable('profile_fields', (t) => t.boolean('searchable').notNullable().defaultTo(false));
    },
    async down(db) {
      await dropColumns(db, 'profile_fields', 'searchable');
    },
  },
  {
    // The directory's department and location filters read the columns' distinct values, then
    // the members of the matching ones (plugins/connections/filters.ts, issue 18).
    name: '005_department_location_indexes',
    async up(db) {
      await db.schema.alterTable('profiles', (t) => {
        t.index(['department'], 'profiles_department_index');
        t.index(['location'], 'profiles_location_index');
      });
    },
    async down(db) {
      await db.schema.alterTable('profiles', (t) => {
        t.dropIndex(['department'], 'profiles_department_index');
        t.dropIndex(['location'], 'profiles_location_index');
      });
    },
  },
  {
    // The people search's index of searchable values, folded once when written, with each
    // value's level (search-index.ts): one LIKE over one column instead of folding and scanning
    // every profile and value for each word of each search.
    name: '006_people_search_index',
    up: createPeopleIndex,
    down: dropPeopleIndex,
  },
  {
    // The index again, with an integer key and the trigrams of its values (issue 21): a searched
    // word is looked up in them instead of compared with every value (core/db/substring-index.ts).
    name: '007_people_search_trigrams',
    up: recreatePeopleIndex,
    // 006 builds the same index now: rolled back to it, the index stays whole.
    down: recreatePeopleIndex,
  },
  {
    // The version of the members' values (issue 22, values-version.ts): one row that row triggers
    // bump with every write of a value or of a field's definition, so that who counts members by
    // a field (`profiles:valueHolders`: the analytics dashboard) keeps its counts until it moves.
    name: '008_values_version',
    up: createValuesVersion,
    down: dropValuesVersion,
  },
];

async function recreatePeopleIndex(db: Knex): Promise<void> {
  await dropPeopleIndex(db);
  await createPeopleIndex(db);
}
