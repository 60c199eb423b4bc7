import type { Knex } from 'knex';
import type { Migration } from '../migration';

/**
 * The search contract's queue (core/content/search.ts): the entities whose searchable text
 * or state changed since a search index last read them. `Entities` writes a row in the
 * transaction of every create, update, deletion and tag change (and `textChanged` for text
 * kept in a plugin's own rows); the plugin keeping an index drains it.
 */
export const searchQueue: Migration = {
  name: '022_search_queue',
  async up(db: Knex) {
    await db.schema.createTable('search_queue', (t) => {
      t.bigInteger('entity_id').primary();
      t.bigInteger('queued_at').notNullable();
    });
  },
  async down(db: Knex) {
    await db.schema.dropTableIfExists('search_queue');
  },
};
