import type { Knex } from 'knex';
import type { Migration } from '../migration';

/** Per-network branding (core/branding.ts): primary and accent colours, and the hash of the stored logo. */
export const networkBranding: Migration = {
  name: '007_network_branding',
  async up(db: Knex) {
    await db.schema.alterTable('networks', (t) => {
      t.string('brand_primary', 7).nullable();
      t.string('brand_accent', 7).nullable();
      t.string('brand_logo', 64).nullable();
    });
  },
  async down(db: Knex) {
    await db.schema.alterTable('networks', (t) => {
      t.dropColumn('brand_logo');
      t.dropColumn('brand_accent');
      t.dropColumn('brand_primary');
    });
  },
};
