import type { Knex } from 'knex';
import type { Migration } from '../migration';

/**
 * Indexes the benchmark at real size (`npm run bench`) showed missing: pinned
 * announcements of a network are found by `pinned_until` instead of reading every entity.
 */
export const performanceIndexes: Migration = {
  name: '008_performance_indexes',
  async up(db: Knex) {
    await db.schema.alterTable('entities', (t) => {
      t.index(['network_id', 'pinned_until'], 'entities_network_pinned_index');
    });
  },
  async down(db: Knex) {
    await db.schema.alterTable('entities', (t) => {
      t.dropIndex(['network_id', 'pinned_until'], 'entities_network_pinned_index');
    });
  },
};
