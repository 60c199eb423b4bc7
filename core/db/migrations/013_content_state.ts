import type { Knex } from 'knex';
import { dropColumns, type Migration } from '../migration';

/**
 * Whether an entity is published: a draft or a post scheduled for later is not, and the
 * access model shows it to its owner only — on its page, its comments and reactions, in
 * feeds, notifications and every other surface. Existing rows are published. The count
 * index of 009 is rebuilt with the column, so counting what a viewer may see still reads
 * the index alone.
 */
export const contentState: Migration = {
  name: '013_content_state',
  async up(db: Knex) {
    await db.schema.alterTable('entities', (t) => {
      t.boolean('published').notNullable().defaultTo(true);
    });
    await db.schema.alterTable('entities', (t) => {
      t.dropIndex(['network_id', 'type', 'access', 'deleted_at', 'owner_id', 'container_id'], 'entities_visible_count_index');
    });
    await db.schema.alterTable('entities', (t) => {
      t.index(['network_id', 'type', 'access', 'deleted_at', 'published', 'owner_id', 'container_id'], 'entities_visible_count_index');
    });
  },
  async down(db: Knex) {
    await db.schema.alterTable('entities', (t) => {
      t.dropIndex(['network_id', 'type', 'access', 'deleted_at', 'published', 'owner_id', 'container_id'], 'entities_visible_count_index');
    });
    await db.schema.alterTable('entities', (t) => {
      t.index(['network_id', 'type', 'access', 'deleted_at', 'owner_id', 'container_id'], 'entities_visible_count_index');
    });
    await dropColumns(db, 'entities', 'published');
  },
};
