import type { Knex } from 'knex';
import { entityIdColumn, userIdColumn, type Migration } from '../migration';

/**
 * Mentions of every kind of content (core/content/mentions.ts): who a text mentions, keyed by
 * the entity whose access decides who may read it and the piece inside it (`object_id`: a
 * comment, a reply; 0 for the entity's own body). Status posts' rows, kept by the activity
 * plugin in `mentions` until now, are copied over (that table is dropped by the plugin).
 */
export const contentMentions: Migration = {
  name: '017_content_mentions',
  async up(db: Knex) {
    await db.schema.createTable('content_mentions', (t) => {
      entityIdColumn(t, 'entity_id');
      t.bigInteger('object_id').notNullable().defaultTo(0);
      userIdColumn(t, 'user_id');
      t.primary(['entity_id', 'object_id', 'user_id']);
      t.index(['user_id']);
    });
    if (await db.schema.hasTable('mentions'))
      await db.raw('insert into content_mentions (entity_id, object_id, user_id) select entity_id, 0, user_id from mentions');
  },
  async down(db: Knex) {
    await db.schema.dropTableIfExists('content_mentions');
  },
};
