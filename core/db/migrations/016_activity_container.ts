import type { Knex } from 'knex';
import { dropColumns, type Migration } from '../migration';

/**
 * A group's feed pages through the group's own acts: `activity.container_id` repeats the
 * container of the row's entity (kept in step by ActivityLog.record and Entities.update),
 * and the index (container_id, id) reads the newest acts of one group first. Joining
 * `entities` by container instead read every act of every entity of a big group and sorted
 * them (65 ms for a group of 5,000 posts).
 */
export const activityContainer: Migration = {
  name: '016_activity_container',
  async up(db: Knex) {
    await db.schema.alterTable('activity', (t) => {
      t.bigInteger('container_id').nullable();
    });
    await fillActivityContainers(db);
    await db.schema.alterTable('activity', (t) => {
      t.index(['container_id', 'id'], 'activity_container_id_id_index');
    });
  },
  async down(db: Knex) {
    await db.schema.alterTable('activity', (t) => {
      t.dropIndex(['container_id', 'id'], 'activity_container_id_id_index');
    });
    await dropColumns(db, 'activity', 'container_id');
  },
};

/** Copies each entity's container onto its activity rows (after a bulk write that left them out). */
export async function fillActivityContainers(db: Knex): Promise<void> {
  await db.raw(
    `update activity set container_id = (select e.container_id from entities e where e.id = activity.entity_id)
     where entity_id in (select id from entities where container_id is not null)`,
  );
}
