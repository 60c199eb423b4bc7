import type { Knex } from 'knex';
import { dropColumns, entityIdColumn, type Migration } from '../migration';

/**
 * What content plugins share: tags on any entity (one tag page across blogs, status posts
 * and discussions), the activity row's optional object (the comment of a "commented"
 * row), pinned-until for announcements, and the persisted job queue.
 */
export const content: Migration = {
  name: '005_content',
  async up(db: Knex) {
    await db.schema.createTable('entity_tags', (t) => {
      entityIdColumn(t, 'entity_id');
      t.string('tag', 64).notNullable();
      t.primary(['entity_id', 'tag']);
      t.index(['tag', 'entity_id']);
    });
    await db.schema.alterTable('activity', (t) => {
      t.bigInteger('object_id').nullable();
    });
    await db.schema.alterTable('entities', (t) => {
      t.bigInteger('pinned_until').nullable();
    });
    await db.schema.createTable('jobs', (t) => {
      t.bigIncrements('id');
      t.string('kind', 100).notNullable();
      t.text('payload').notNullable().defaultTo('{}');
      /** At most one unfinished job per key (e.g. `blogs.publish:42`). */
      t.string('unique_key', 200).nullable().unique();
      t.string('status', 20).notNullable().defaultTo('pending');
      t.bigInteger('run_at').notNullable();
      t.integer('attempts').notNullable().defaultTo(0);
      t.integer('max_attempts').notNullable().defaultTo(5);
      t.bigInteger('locked_until').nullable();
      t.string('locked_by', 100).nullable();
      t.text('last_error').nullable();
      t.bigInteger('created_at').notNullable();
      t.bigInteger('finished_at').nullable();
      t.index(['status', 'run_at']);
    });
  },
  async down(db: Knex) {
    await db.schema.dropTableIfExists('jobs');
    await dropColumns(db, 'entities', 'pinned_until');
    await dropColumns(db, 'activity', 'object_id');
    await db.schema.dropTableIfExists('entity_tags');
  },
};
