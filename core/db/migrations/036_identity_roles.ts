import type { Knex } from 'knex';
import type { Migration } from '../migration';

/**
 * `user_identities.roles`: the roles a provider's group rules gave the member (JSON list of
 * network id, role, and the role held before, null when none), so that they are taken back
 * when the directory no longer puts the member in the group (core/auth/external-accounts.ts).
 */
export const identityRoles: Migration = {
  name: '036_identity_roles',
  async up(db: Knex) {
    await db.schema.alterTable('user_identities', (t) => {
      t.text('roles').nullable();
    });
  },
  async down(db: Knex) {
    await db.schema.alterTable('user_identities', (t) => t.dropColumn('roles'));
  },
};
