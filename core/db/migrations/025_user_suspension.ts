import type { Knex } from 'knex';
import type { Migration } from '../migration';

/**
 * A suspension says why and until when (core/auth/suspensions.ts): `users.suspension_reason`
 * and `users.suspended_until` (ms; null: until an administrator reactivates the account),
 * both null unless the account is suspended. `users.last_active_at` (ms) is the last time
 * the member used a session, written with the session's own last-seen time; the members
 * console filters and sorts on it.
 */
export const userSuspension: Migration = {
  name: '025_user_suspension',
  async up(db: Knex) {
    await db.schema.alterTable('users', (t) => {
      t.string('suspension_reason', 500).nullable();
      t.bigInteger('suspended_until').nullable();
      t.bigInteger('last_active_at').nullable();
    });
  },
  async down(db: Knex) {
    await db.schema.alterTable('users', (t) => {
      t.dropColumn('last_active_at');
      t.dropColumn('suspended_until');
      t.dropColumn('suspension_reason');
    });
  },
};
