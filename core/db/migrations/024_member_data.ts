import { createTables, userIdColumn, type Migration } from '../migration';

/**
 * A member's data rights (core/members/): the archives of their data they asked for
 * (`member_exports`: built by a job, downloadable by them for 48 hours, then removed) and
 * the deletions of accounts waiting for their grace period to end (`account_deletions`:
 * one per member; signing in before `due_at` cancels it, a job completes it after).
 */
export const memberData: Migration = createTables('024_member_data', {
  member_exports: (t) => {
    t.increments('id');
    userIdColumn(t, 'user_id');
    t.integer('network_id').unsigned().notNullable();
    t.string('status', 20).notNullable().defaultTo('pending');
    t.string('storage_key', 255).nullable();
    t.bigInteger('size').nullable();
    t.bigInteger('requested_at').notNullable();
    t.bigInteger('ready_at').nullable();
    t.bigInteger('expires_at').nullable();
    t.index(['user_id', 'id']);
    t.index(['expires_at']);
  },
  account_deletions: (t) => {
    userIdColumn(t, 'user_id').primary();
    t.string('mode', 20).notNullable();
    t.integer('network_id').unsigned().notNullable();
    t.integer('requested_by').unsigned().nullable().references('id').inTable('users').onDelete('SET NULL');
    t.bigInteger('requested_at').notNullable();
    t.bigInteger('due_at').notNullable();
  },
});
