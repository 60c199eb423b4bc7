import type { Knex } from 'knex';
import { dropColumns, type Migration } from '../migration';

/**
 * The rules every identity provider shares (core/auth/external-accounts.ts):
 * - `networks.sso_only`: members of the network sign in through its providers only; the
 *   password form answers root administrators alone (the break-glass account).
 * - `user_identities.synced`: the profile fields the provider keeps (JSON, field → value),
 *   written at each sign-in and directory sync and locked for editing while linked.
 */
export const ssoRules: Migration = {
  name: '026_sso_rules',
  async up(db: Knex) {
    await db.schema.alterTable('networks', (t) => {
      t.boolean('sso_only').notNullable().defaultTo(false);
    });
    await db.schema.alterTable('user_identities', (t) => {
      t.text('synced').nullable();
    });
  },
  async down(db: Knex) {
    await dropColumns(db, 'user_identities', 'synced');
    await dropColumns(db, 'networks', 'sso_only');
  },
};
