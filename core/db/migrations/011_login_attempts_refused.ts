import type { Knex } from 'knex';
import type { Migration } from '../migration';

/**
 * Sign-in throttling that slows the attacker, not the victim (issue 16, case 14): attempts
 * refused by the throttle itself are kept in the security record but marked `refused`, so
 * they never count as guesses; an index finds a member's usual addresses (their successful
 * sign-ins) and the failures of one (account, address) pair.
 */
export const loginAttemptsRefused: Migration = {
  name: '011_login_attempts_refused',
  async up(db: Knex) {
    await db.schema.alterTable('login_attempts', (t) => {
      t.boolean('refused').notNullable().defaultTo(false);
      t.index(['account', 'ip', 'created_at'], 'login_attempts_account_ip_index');
    });
  },
  async down(db: Knex) {
    await db.schema.alterTable('login_attempts', (t) => {
      t.dropIndex(['account', 'ip', 'created_at'], 'login_attempts_account_ip_index');
      t.dropColumn('refused');
    });
  },
};
