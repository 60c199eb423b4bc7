import type { Knex } from 'knex';
import { dropColumns, networkIdColumn, userIdColumn, type Migration } from '../migration';

/**
 * Registration policies and usage charters per network: the email domains a
 * domain-restricted network accepts, the charter text and its version, who accepted which
 * version and when; and when a member asked to join a network that approves each request.
 */
export const registration: Migration = {
  name: '004_registration',
  async up(db: Knex) {
    await db.schema.alterTable('networks', (t) => {
      t.text('join_domains').nullable();
      t.text('charter').nullable();
      t.integer('charter_version').notNullable().defaultTo(0);
    });
    await db.schema.alterTable('users', (t) => {
      t.bigInteger('approval_requested_at').nullable();
    });
    await db.schema.createTable('charter_acceptances', (t) => {
      userIdColumn(t, 'user_id');
      networkIdColumn(t);
      t.integer('version').notNullable();
      t.bigInteger('accepted_at').notNullable();
      t.primary(['user_id', 'network_id', 'version']);
    });
  },
  async down(db: Knex) {
    await db.schema.dropTableIfExists('charter_acceptances');
    await dropColumns(db, 'users', 'approval_requested_at');
    await dropColumns(db, 'networks', 'charter_version', 'charter', 'join_domains');
  },
};
