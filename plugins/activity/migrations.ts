import { createTables, entityKeyColumn, networkIdColumn, userIdColumn, type Migration, entityMemberKey } from '../../core';

/**
 * Status posts (the text of a `status` entity), the members each post mentions (moved to the
 * core's `content_mentions` by 002), and the
 * hashtags members follow into their home feed (per network).
 */
export const migrations: Migration[] = [
  createTables('001_activity', {
    status_posts: (t) => {
      entityKeyColumn(t);
      t.text('body').notNullable();
      t.bigInteger('edited_at').nullable();
    },
    mentions: (t) => entityMemberKey(t, 'entity_id'),
    tag_follows: (t) => {
      userIdColumn(t, 'user_id');
      networkIdColumn(t);
      t.string('tag', 64).notNullable();
      t.bigInteger('created_at').notNullable();
      t.primary(['user_id', 'network_id', 'tag']);
    },
  }),
  {
    // Mentions are the core's now (`content_mentions`, which copied these rows).
    name: '002_core_mentions',
    async up(db) {
      await db.schema.dropTableIfExists('mentions');
    },
    async down() {},
  },
];
