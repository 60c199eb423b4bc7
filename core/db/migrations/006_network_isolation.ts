import type { Knex } from 'knex';
import type { Migration } from '../migration';

/**
 * Isolated sub-networks (a partner company): a member who registers in one joins it only,
 * not the root network. By default (false) they also join the root, as before.
 */
export const networkIsolation: Migration = {
  name: '006_network_isolation',
  async up(db: Knex) {
    await db.schema.alterTable('networks', (t) => {
      t.boolean('isolated').notNullable().defaultTo(false);
    });
  },
  async down(db: Knex) {
    await db.schema.alterTable('networks', (t) => {
      t.dropColumn('isolated');
    });
  },
};
