import { dropTables, userIdColumn, type Migration } from '../../core';

/**
 * Notifications (one row per recipient and event; rows sharing a `group_key` show as one
 * line), members' email choices per kind, their timezone for digests, and the admins'
 * per-network defaults.
 */
export const migrations: Migration[] = [
  {
    name: '001_notifications',
    async up(db) {
      await db.schema.createTable('notifications', (t) => {
        t.bigIncrements('id');
        userIdColumn(t, 'user_id');
        t.string('kind', 80).notNullable();
        t.integer('actor_id').unsigned().nullable().references('id').inTable('users').onDelete('CASCADE');
        t.bigInteger('entity_id').nullable();
        t.bigInteger('object_id').nullable();
        t.string('group_key', 200).notNullable();
        t.integer('network_id').unsigned().notNullable();
        t.bigInteger('created_at').notNullable();
        t.bigInteger('read_at').nullable();
        /** Claimed for an email (or settled: never, not visible); null = still to email. */
        t.bigInteger('emailed_at').nullable();
        t.index(['user_id', 'network_id', 'created_at'], 'notifications_user_time');
        t.index(['user_id', 'read_at'], 'notifications_user_unread');
        t.index(['user_id', 'emailed_at'], 'notifications_user_unemailed');
      });
      await db.schema.createTable('notification_prefs', (t) => {
        userIdColumn(t, 'user_id');
        t.string('kind', 80).notNullable();
        t.string('frequency', 20).notNullable();
        t.bigInteger('updated_at').notNullable();
        t.primary(['user_id', 'kind']);
      });
      await db.schema.createTable('notification_members', (t) => {
        t.integer('user_id').unsigned().primary().references('id').inTable('users').onDelete('CASCADE');
        t.string('timezone', 64).notNullable();
        t.bigInteger('updated_at').notNullable();
      });
      await db.schema.createTable('notification_defaults', (t) => {
        t.integer('network_id').unsigned().notNullable();
        t.string('kind', 80).notNullable();
        t.string('frequency', 20).notNullable();
        t.primary(['network_id', 'kind']);
      });
    },
    async down(db) {
      await dropTables(db, 'notification_defaults', 'notification_members', 'notification_prefs', 'notifications');
    },
  },
];
