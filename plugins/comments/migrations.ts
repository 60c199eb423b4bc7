import {
  cardVersionMigration,
  flagColumn,
  addColumns,
  addIndex,
  createIndex,
  createTables,
  dropIndex,
  userIdColumn,
  type Migration,
} from '../../core';

/** The thread's index (`005_comments_thread_index`): its range of one entity's top-level comments, in order, holds what their count tests. */
const THREAD_INDEX = 'comments_thread_index';
const THREAD_COLUMNS = ['entity_id', 'parent_id', 'id', 'deleted_at', 'withheld', 'author_id'];

/**
 * Comments are rows of their own table (not entities): their visibility is that of the
 * entity they are on. `comment_counts` keeps the number of live comments per entity,
 * changed in the same transaction as the comment.
 */
export const migrations: Migration[] = [
  createTables('001_comments', {
    comments: (t) => {
      t.increments('id');
      t.integer('entity_id').unsigned().notNullable().references('id').inTable('entities').onDelete('CASCADE');
      t.integer('network_id').unsigned().notNullable();
      userIdColumn(t, 'author_id');
      t.integer('parent_id').unsigned().nullable().references('id').inTable('comments').onDelete('CASCADE');
      t.text('body').notNullable();
      t.bigInteger('created_at').notNullable();
      t.bigInteger('edited_at').nullable();
      t.bigInteger('deleted_at').nullable();
      t.index(['entity_id', 'parent_id', 'id']);
      t.index(['parent_id']);
    },
    comment_counts: (t) => {
      t.integer('entity_id').unsigned().notNullable().primary().references('id').inTable('entities').onDelete('CASCADE');
      t.integer('n').notNullable().defaultTo(0);
    },
  }),
  // A feed reads each entity's latest comments from the end of this index (service.ts `FEED`).
  addIndex('002_comments_entity_id_id_index', 'comments', 'comments_entity_id_id_index', ['entity_id', 'id']),
  // A comment a moderator hid (issue 22, core/content/pieces.ts): shown to its author and the
  // network's moderators only, left out of counts, feeds, search and notifications.
  addColumns('003_comments_withheld', 'comments', { withheld: flagColumn }),
  // The withheld comments of an entity, few or none: the reads count those their reader sees
  // (their author's, all of them for a moderator) beside the counter, which leaves them out (core `withheldSeenCount`).
  addIndex('004_comments_withheld_index', 'comments', 'comments_withheld_entity_id', ['entity_id'], 'withheld'),
  {
    // The thread's count of the top-level comments its reader sees (reads.ts `SHOWN_TOP`, 3,512 of
    // them under a bench blog post) reads this index alone: every column its condition tests is in
    // it, so no comment row is fetched. It replaces (entity_id, parent_id, id), whose order it keeps
    // for the thread's pages (issue 18).
    name: '005_comments_thread_index',
    async up(db) {
      await createIndex(db, 'comments', THREAD_INDEX, THREAD_COLUMNS);
      await dropIndex(db, 'comments', 'comments_entity_id_parent_id_id_index', ['entity_id', 'parent_id', 'id']);
    },
    async down(db) {
      await createIndex(db, 'comments', 'comments_entity_id_parent_id_id_index', ['entity_id', 'parent_id', 'id']);
      await dropIndex(db, 'comments', THREAD_INDEX, THREAD_COLUMNS);
    },
  },
  // A comment written, edited, hidden or deleted (by anyone) changes the cards showing the thread (issue 18).
  cardVersionMigration('006_comments_card_version', 'comments', 'comments'),
];
