import type { Knex } from 'knex';
import type { Migration } from '../../core';

const isSqlite = (db: Knex): boolean => db.client.config.client === 'sqlite3';

/**
 * The index keeps text only (who may see a result is read from `entities` at query time).
 * SQLite: an FTS5 table whose rowid is the entity id, folding accents and stemming English
 * plurals and endings (`porter unicode61 remove_diacritics 2`). PostgreSQL: the text and a
 * weighted `tsvector` (title and tags A, body B; `french`, `english` or `simple` by the text's
 * language, accents folded by the app) under a GIN index. Both: `derived_search_terms`, the distinct
 * words indexed, which "did you mean" compares a word without results with.
 */
export const migrations: Migration[] = [
  {
    name: '001_search_index',
    async up(db) {
      if (isSqlite(db)) {
        // A restore over an installation clears the data tables but not SQLite's virtual ones: an index left from it goes.
        await db.raw('drop table if exists search_fts');
        await db.raw(`create virtual table search_fts using fts5(title, body, keywords, tokenize = 'porter unicode61 remove_diacritics 2')`);
      } else {
        await db.schema.createTable('derived_search_docs', (t) => {
          t.bigInteger('entity_id').primary();
          t.text('title').notNullable();
          t.text('body').notNullable();
          t.string('language', 8).notNullable();
          t.specificType('tsv', 'tsvector').notNullable();
        });
        await db.raw('create index derived_search_docs_tsv on derived_search_docs using gin (tsv)');
      }
      await db.schema.createTable('derived_search_terms', (t) => {
        t.string('term', 40).primary();
        t.string('initial', 4).notNullable();
        t.integer('length').notNullable();
        t.index(['initial', 'length'], 'derived_search_terms_initial_length');
      });
    },
    async down(db) {
      await db.schema.dropTableIfExists('derived_search_terms');
      if (isSqlite(db)) await db.raw('drop table if exists search_fts');
      else await db.schema.dropTableIfExists('derived_search_docs');
    },
  },
];
