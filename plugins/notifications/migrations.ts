import type { Knex } from 'knex';
import { createTables, userIdColumn, type Migration } from '../../core';

/**
 * Notifications (one row per recipient and event; rows sharing a `group_key` show as one
 * line), members' email choices per kind, their time zone for digests (moved to the core's
 * `users.time_zone` by 002), and the admins'
 * per-network defaults.
 */
export const migrations: Migration[] = [
  createTables('001_notifications', {
    notifications: (t) => {
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
    },
    notification_prefs: (t) => {
      userIdColumn(t, 'user_id');
      t.string('kind', 80).notNullable();
      t.string('frequency', 20).notNullable();
      t.bigInteger('updated_at').notNullable();
      t.primary(['user_id', 'kind']);
    },
    notification_members: membersTable,
    notification_defaults: (t) => {
      t.integer('network_id').unsigned().notNullable();
      t.string('kind', 80).notNullable();
      t.string('frequency', 20).notNullable();
      t.primary(['network_id', 'kind']);
    },
  }),
  {
    // A member's time zone is the core's now (users.time_zone, set on the account page): the
    // zones members chose here move there (where they chose none there yet).
    name: '002_time_zones_to_core',
    async up(db) {
      const rows = (await db('notification_members').select('user_id', 'timezone')) as { user_id: number; timezone: string }[];
      for (const r of rows) await db('users').where({ id: r.user_id }).whereNull('time_zone').update({ time_zone: r.timezone });
      await db.schema.dropTable('notification_members');
    },
    async down(db) {
      await db.schema.createTable('notification_members', membersTable);
      const rows = (await db('users').whereNotNull('time_zone').select('id', 'time_zone')) as { id: number; time_zone: string }[];
      const now = Date.now();
      for (const r of rows) await db('notification_members').insert({ user_id: r.id, timezone: r.time_zone, updated_at: now });
    },
  },
];

/** `notification_members`: a member's time zone for digests, until 002 moved it to the core. */
function membersTable(t: Knex.CreateTableBuilder): void {
  t.integer('user_id').unsigned().primary().references('id').inTable('users').onDelete('CASCADE');
  t.string('timezone', 64).notNullable();
  t.bigInteger('updated_at').notNullable();
}
