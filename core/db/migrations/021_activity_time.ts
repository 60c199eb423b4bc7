import type { Knex } from 'knex';
import type { Migration } from '../migration';

/**
 * The activity of one network over a span of time (`network_id`, `created_at`): the daily
 * rollups of the analytics plugin read one day of a network's acts at a time; without this
 * index each day read the whole river (1.3 million rows on the bench network).
 */
export const activityTime: Migration = {
  name: '021_activity_time',
  async up(db: Knex) {
    await db.schema.alterTable('activity', (t) => {
      t.index(['network_id', 'created_at'], 'activity_network_time_index');
    });
  },
  async down(db: Knex) {
    await db.schema.alterTable('activity', (t) => t.dropIndex(['network_id', 'created_at'], 'activity_network_time_index'));
  },
};
