import { createTables, type Migration } from '../migration';

/**
 * The search contract's queue (core/content/search.ts): the entities whose searchable text
 * or state changed since a search index last read them. `Entities` writes a row in the
 * transaction of every create, update, deletion and tag change (and `textChanged` for text
 * kept in a plugin's own rows); the plugin keeping an index drains it.
 */
export const searchQueue: Migration = createTables('022_search_queue', {
  search_queue: (t) => {
    t.bigInteger('entity_id').primary();
    t.bigInteger('queued_at').notNullable();
  },
});
