import type { Knex } from 'knex';
import type { Migration } from '../migration';

/**
 * One row per in-memory cache (core/cache/caches.ts): its version goes up in the
 * transaction of every change, so every process — and a change made by the CLI — is
 * noticed by a server polling this small table.
 */
export const cacheVersions: Migration = {
  name: '014_cache_versions',
  async up(db: Knex) {
    await db.schema.createTable('cache_versions', (t) => {
      t.string('name', 40).primary();
      t.bigInteger('version').notNullable().defaultTo(0);
    });
  },
  async down(db: Knex) {
    await db.schema.dropTable('cache_versions');
  },
};
