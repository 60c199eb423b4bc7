import { dropTables, entityIdColumn, entityKeyColumn, networkIdColumn, userIdColumn, type Migration } from '../../core';

/**
 * Status posts (the text of a `status` entity), the members each post mentions (moved to the
 * core's `content_mentions` by 002), and the
 * hashtags members follow into their home feed (per network).
 */
export const migrations: Migration[] = [
  {
    name: '001_activity',
    async up(db) {
      await db.schema.createTable('status_posts', (t) => {
        entityKeyColumn(t);
        t.text('body').notNullable();
        t.bigInteger('edited_at').nullable();
      });
      await db.schema.createTable('mentions', (t) => {
        entityIdColumn(t, 'entity_id');
        userIdColumn(t, 'user_id');
        t.primary(['entity_id', 'user_id']);
        t.index(['user_id']);
      });
      await db.schema.createTable('tag_follows', (t) => {
        userIdColumn(t, 'user_id');
        networkIdColumn(t);
        t.string('tag', 64).notNullable();
        t.bigInteger('created_at').notNullable();
        t.primary(['user_id', 'network_id', 'tag']);
      });
    },
    async down(db) {
      await dropTables(db, 'tag_follows', 'mentions', 'status_posts');
    },
  },
  {
    // Mentions are the core's now (`content_mentions`, which copied these rows).
    name: '002_core_mentions',
    async up(db) {
      await db.schema.dropTableIfExists('mentions');
    },
    async down() {},
  },
];
