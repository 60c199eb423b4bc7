import type { Knex } from 'knex';
import type { Migration } from '../migration';

/**
 * Counting what a viewer may see of one kind in a network (the group directory's total:
 * 20,000 groups in the benchmark) reads only this index: every column the access clause
 * tests is in it, so no entity row is fetched.
 */
export const entityCountsIndex: Migration = {
  name: '009_entity_counts_index',
  async up(db: Knex) {
    await db.schema.alterTable('entities', (t) => {
      t.index(['network_id', 'type', 'access', 'deleted_at', 'owner_id', 'container_id'], 'entities_visible_count_index');
    });
  },
  async down(db: Knex) {
    await db.schema.alterTable('entities', (t) => {
      t.dropIndex(['network_id', 'type', 'access', 'deleted_at', 'owner_id', 'container_id'], 'entities_visible_count_index');
    });
  },
};
