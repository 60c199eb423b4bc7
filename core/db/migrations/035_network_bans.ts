import type { Knex } from 'knex';
import { networkIdColumn, userIdColumn, type Migration } from '../migration';

/**
 * `network_bans`: a member banned from a network (core/members/bans.ts) — their membership
 * is removed and they cannot join it again (self-service joining, a provider's roles, an
 * administrator giving a role) while the row stands. Why (`reason`), who (`banned_by`, null
 * once that account is gone) and when (`banned_at`, ms).
 */
export const networkBans: Migration = {
  name: '035_network_bans',
  async up(db: Knex) {
    await db.schema.createTable('network_bans', (t) => {
      networkIdColumn(t);
      userIdColumn(t, 'user_id');
      t.string('reason', 500).notNullable();
      t.integer('banned_by').unsigned().nullable().references('id').inTable('users').onDelete('SET NULL');
      t.bigInteger('banned_at').notNullable();
      t.primary(['network_id', 'user_id']);
    });
  },
  async down(db: Knex) {
    await db.schema.dropTable('network_bans');
  },
};
