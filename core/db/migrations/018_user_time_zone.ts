import type { Knex } from 'knex';
import type { Migration } from '../migration';

/**
 * A member's time zone is core data (core/time-zones.ts), set on the account page and used
 * by every plugin that reads or shows a time for them: `users.time_zone`, an IANA name, null
 * until chosen. The notifications plugin's own migration copies the zones it kept here.
 */
export const userTimeZone: Migration = {
  name: '018_user_time_zone',
  async up(db: Knex) {
    await db.schema.alterTable('users', (t) => {
      t.string('time_zone', 64).nullable();
    });
  },
  async down(db: Knex) {
    await db.schema.alterTable('users', (t) => t.dropColumn('time_zone'));
  },
};
