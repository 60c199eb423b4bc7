import { createTables, userIdColumn, type Migration } from '../../core';

/**
 * Who has a chat open, per process (`presence-book.ts`): one row per process and member,
 * refreshed by its process while the member stays; rows a process stopped refreshing
 * (it died) are ignored, then removed.
 */
export const migrations: Migration[] = [
  createTables('001_chat_presence', {
    chat_presence: (t) => {
      t.string('process', 36).notNullable();
      userIdColumn(t, 'user_id');
      t.string('state', 8).notNullable();
      t.bigInteger('seen_at').notNullable();
      t.primary(['process', 'user_id']);
      t.index(['user_id']);
    },
  }),
];
