import type { Knex } from 'knex';
import type { Migration } from '../migration';

/**
 * A person's avatar photo is core data (core/content/people.ts): `users.photo_key`, the
 * content-addressed key of its stored sizes. The profiles plugin's own migration copies the
 * keys it kept in `profiles.photo_key` here.
 */
export const userPhoto: Migration = {
  name: '015_user_photo',
  async up(db: Knex) {
    await db.schema.alterTable('users', (t) => {
      t.string('photo_key', 80).nullable();
    });
  },
  async down(db: Knex) {
    await db.schema.alterTable('users', (t) => t.dropColumn('photo_key'));
  },
};
